/**
 * What the phones did: GET /calls (newest first, filterable, paged by cursor),
 * GET /calls/:id, and GET /campaigns/:id/stats (the dialer's progress counts).
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS, READERS } from '../auth.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { recordAccess } from '../audit.ts';
import { errors, Literals } from '../schemas.ts';
import { dialerRoutes } from '../../dialer/runtime/routes.ts';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const Call = Type.Object(
  {
    id: Type.String(),
    direction: Literals(['outbound', 'inbound', 'agent']),
    campaignId: Nullable(Type.Integer()),
    contactId: Nullable(Type.Integer()),
    debtorId: Nullable(Type.Integer()),
    agentId: Nullable(Type.Integer()),
    parentCallId: Nullable(Type.String()),
    fromNumber: Nullable(Type.String()),
    toNumber: Nullable(Type.String()),
    state: Type.String(),
    disposition: Nullable(Type.String()),
    amdStatus: Nullable(Type.String()),
    hangupCause: Nullable(Type.Integer()),
    hangupText: Nullable(Type.String()),
    dtmfPath: Type.String({ description: 'every key the debtor pressed, in order' }),
    messageHeard: Type.Boolean(),
    identityConfirmed: Type.Boolean(),
    result: Nullable(Type.String()),
    createdAt: Type.String(),
    answeredAt: Nullable(Type.String()),
    endedAt: Nullable(Type.String()),
  },
  { $id: 'Call', additionalProperties: true },
);

function cursor(before: string | undefined): { before?: string; beforeId?: string } {
  if (before === undefined) return {};
  const i = before.indexOf('~');
  return i < 0 ? { before } : { before: before.slice(0, i), beforeId: before.slice(i + 1) };
}

const routes: RouteModule = async (app, deps) => {
  const { calls } = deps.store;
  app.get(
    '/calls',
    {
      config: { roles: READERS, scope: 'creditor' },
      schema: {
        tags: ['calls'],
        summary: 'Calls, newest first; pass nextCursor back as before for the next page',
        querystring: Type.Object({
          campaign: Type.Optional(Type.Integer({ minimum: 1 })),
          debtor: Type.Optional(Type.Integer({ minimum: 1 })),
          direction: Type.Optional(Literals(['outbound', 'inbound', 'agent'])),
          live: Type.Optional(Type.Boolean({ description: 'only calls dialling, ringing or up' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          before: Type.Optional(Type.String({ description: 'the nextCursor of the previous page' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Call), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400) },
      },
    },
    async (req) => {
      const q = req.query;
      const limit = q.limit ?? 100;
      const items = calls.list({
        ...(q.campaign !== undefined ? { campaignId: q.campaign } : {}),
        ...(q.debtor !== undefined ? { debtorId: q.debtor } : {}),
        ...(q.direction !== undefined ? { direction: q.direction } : {}),
        ...(q.live ? { live: true } : {}),
        ...cursor(q.before),
        creditors: creditorsOf(req),
        limit,
      });
      if (items.length) recordAccess(deps, req, 'call_list', items.map((c) => c.debtorId));
      const last = items.at(-1);
      // Many calls share a created_at (one dialer tick): the cursor carries the id too.
      return { items, nextCursor: items.length === limit && last ? `${last.createdAt}~${last.id}` : null };
    },
  );
  app.get(
    '/calls/:id',
    { config: { roles: READERS, scope: 'creditor' }, schema: { tags: ['calls'], params: Type.Object({ id: Type.String({ minLength: 1 }) }), response: { 200: Call, ...errors(404) } } },
    async (req) => {
      const creditors = creditorsOf(req);
      const call = calls.get(req.params.id);
      if (!call || (creditors && !calls.list({ id: call.id, creditors, limit: 1 }).length)) {
        throw notFoundFor('call', req.params.id);
      }
      recordAccess(deps, req, 'call_view', [call.debtorId]);
      return call;
    },
  );
  const dialer = deps.engine?.dialer;
  if (dialer) {
    // A campaign holding none of a limited token's creditors' claims does not exist for it.
    const stats = (id: number, creditors: string[] | null) => (creditors && !deps.store.contacts.holdsClaimOf(id, creditors) ? undefined : dialer.stats(id, creditors));
    await app.register(dialerRoutes, { stats, roles: OPERATORS, scope: 'creditor' });
  }
};

export default routes;
