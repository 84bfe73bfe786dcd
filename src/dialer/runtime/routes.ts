/**
 * GET /campaigns/:id/stats: a campaign's progress for the operator's live view. A small
 * Fastify plugin; the integrator registers it with the stats source and, where the
 * global auth hook is not used, a guard (an onRequest/preHandler hook).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BereikError } from '../../lib/errors.ts';
import { CALL_DISPOSITIONS, CONTACT_STATUSES, type Role } from '../../store/types.ts';
import type { CampaignStats } from './stats.ts';
import { creditorsOf } from '../../http/scope.ts';

const Counts = (keys: readonly string[]) => Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])));

export const CampaignStatsSchema = Type.Object(
  {
    campaignId: Type.Integer(),
    state: Type.String(),
    contacts: Counts([...CONTACT_STATUSES, 'total']),
    calls: Counts(['total', 'live', ...CALL_DISPOSITIONS]),
    answered: Type.Integer(),
    busy: Type.Integer(),
    noAnswer: Type.Integer(),
    machine: Type.Integer(),
    paylinks: Type.Integer(),
    agentRequests: Type.Integer(),
    results: Type.Record(Type.String(), Type.Integer(), { description: 'calls by flow result' }),
  },
  { $id: 'CampaignStats' },
);

export interface DialerRoutesOptions {
  /** A campaign's figures; creditors: over their claims only, undefined when the campaign holds none of them (a 404). */
  stats(campaignId: number, creditors: string[] | null): CampaignStats | undefined;
  /** Roles besides admin that may read the figures (the global auth hook reads route config.roles). */
  roles?: Role[];
  /** The creditor-scope policy (src/http/scope.ts): stats() filters to the token's creditors. */
  scope?: 'creditor';
  /** An extra guard run before the handler (e.g. a preHandler that checks the bearer token). */
  guard?: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

export async function dialerRoutes(app: FastifyInstance, opts: DialerRoutesOptions): Promise<void> {
  app.get(
    '/campaigns/:id/stats',
    {
      config: { roles: opts.roles ?? ['operator'], scope: opts.scope ?? 'creditor' },
      ...(opts.guard ? { preHandler: opts.guard } : {}),
      schema: {
        tags: ['campaigns'],
        summary: "A campaign's progress: contacts by status, calls by disposition and result",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: CampaignStatsSchema },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const stats = opts.stats(id, creditorsOf(req));
      if (!stats) throw new BereikError('NOT_FOUND', `campaign ${id} does not exist`, { id }, 404);
      return stats;
    },
  );
}
