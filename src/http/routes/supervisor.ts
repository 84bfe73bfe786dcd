/**
 * Supervisors (issue 16 §3, docs/supervisors.md): the live agent calls, and listening in,
 * whispering to the agent, barging in, stopping. Role supervisor (and admin); a token limited
 * to creditors gets 403 AUTH_SCOPE, since the list spans every creditor. Every action is in
 * the access audit (GET /audit), written by the supervisor service itself so that sessions
 * that end by themselves are logged too.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { SUPERVISORS } from '../auth.ts';
import { errors, Literals } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { maskPhone } from '../../lib/log.ts';
import { SUPERVISE_MODES, type Supervisor } from '../../agents/supervise.ts';
import type { FastifyRequest } from 'fastify';

const Session = Type.Object({ id: Type.String(), callId: Type.String(), agentId: Type.Integer(), mode: Literals(SUPERVISE_MODES), startedAt: Type.String() });

const LiveCall = Type.Object({
  callId: Type.String(),
  agentId: Type.Integer(),
  agentName: Type.String(),
  campaignId: Type.Union([Type.Integer(), Type.Null()]),
  since: Type.String({ description: 'UTC time the debtor and the agent were bridged' }),
  debtor: Type.String({ description: "the debtor's number, masked (+3161234****)" }),
  supervision: Type.Union([Session, Type.Null()], { description: "this supervisor's session on the call, if any" }),
  supervisors: Type.Integer({ description: 'how many supervisors are on the call' }),
});

const routes: RouteModule = async (app, deps) => {
  const desk = deps.agents;
  if (!desk) return;
  const sup = desk.supervisors;
  const config = { roles: SUPERVISORS, scope: 'all-creditors' as const };

  const me = (req: FastifyRequest): Supervisor => {
    const a = req.auth!;
    const agent = a.agentId == null ? undefined : desk.registry.get(a.agentId);
    if (!agent) {
      throw new BereikError('SUPERVISOR_NO_PHONE', `token ${a.name} is not linked to an agent record with a phone; an admin makes one with POST /tokens {"role":"supervisor","agentId":N} or bereik token create --role supervisor --agent-id N`, undefined, 409);
    }
    return { tokenId: a.tokenId, name: a.name, endpoint: agent.endpoint, address: req.ip ?? null };
  };

  app.get(
    '/supervisor/calls',
    { config, schema: { tags: ['supervisors'], summary: 'Live conversations between debtors and agents', response: { 200: Type.Object({ items: Type.Array(LiveCall) }) } } },
    async (req) => {
      const mine = sup.sessionOf(req.auth!.tokenId);
      const items = desk.live.list().map((c) => {
        const row = deps.store.calls.get(c.callId);
        const number = row ? (row.direction === 'inbound' ? row.fromNumber : row.toNumber) : c.debtor.callerNumber;
        return {
          callId: c.callId,
          agentId: c.agentId,
          agentName: desk.registry.get(c.agentId)?.name ?? '',
          campaignId: c.campaignId,
          since: c.since,
          debtor: maskPhone(number),
          supervision: mine?.callId === c.callId ? mine : null,
          supervisors: sup.sessionsOn(c.callId).length,
        };
      });
      return { items: items.sort((a, b) => a.since.localeCompare(b.since)) };
    },
  );

  app.post(
    '/supervisor/calls/:callId/supervise',
    {
      config,
      schema: {
        tags: ['supervisors'],
        summary: "Listen, whisper to the agent, or barge in (rings the supervisor's phone first; a second call switches mode)",
        params: Type.Object({ callId: Type.String({ minLength: 1 }) }),
        body: Type.Object({ mode: Literals(SUPERVISE_MODES) }, { additionalProperties: false }),
        response: { 200: Session, ...errors(400, 404, 409, 503) },
      },
    },
    async (req) => sup.supervise(me(req), req.params.callId, req.body.mode),
  );

  app.delete(
    '/supervisor/calls/:callId/supervise',
    {
      config,
      schema: { tags: ['supervisors'], summary: "Stops this supervisor's session on the call", params: Type.Object({ callId: Type.String({ minLength: 1 }) }), response: { 200: Session, ...errors(404) } },
    },
    async (req) => {
      const cur = sup.sessionOf(req.auth!.tokenId);
      if (!cur || cur.callId !== req.params.callId) throw new BereikError('NOT_FOUND', `supervisor: no session of yours on call ${req.params.callId}`, undefined, 404);
      return (await sup.stop(req.auth!.tokenId)) ?? cur;
    },
  );
};

export default routes;
