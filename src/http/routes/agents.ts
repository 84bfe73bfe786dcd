/**
 * Agents over REST. Operators and admins manage agents (/agents); an agent's own token
 * (api_tokens.agent_id) works the /agent routes: their state, their cases, what they
 * recorded. The desk (deps.agents) is wired by the app; without it these routes are absent.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { AGENT_ONLY, OPERATORS, agentOf } from '../auth.ts';
import { scopedPop } from '../../agents/hub.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { recordAccess } from '../audit.ts';
import { IdParams, Literals, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { createToken } from '../tokens.ts';
import type { AgentDeskService } from '../../agents/desk.ts';
import { SELF_SERVICE } from '../../agents/states.ts';
import { AGENT_STATES } from '../../agents/types.ts';
import { recordAgentDisposition } from '../../agents/dispositions.ts';
import { LINE_STATES } from '../../agents/line.ts';
import desktopRoutes from './desktop.ts';

/** The desk the app wires in as deps.agents (read loosely so app.ts may declare it as it likes). */
export function deskOf(deps: object): AgentDeskService | undefined {
  return (deps as { agents?: AgentDeskService }).agents;
}

const Agent = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  endpoint: Type.String(),
  skills: Type.Array(Type.String()),
  state: Literals(AGENT_STATES),
  stateSince: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const AgentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    endpoint: Type.String({ pattern: '^[A-Za-z0-9]+/\\S+$', description: 'dial string of the agent phone, e.g. PJSIP/agent1001' }),
    skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

const routes: RouteModule = async (app, deps) => {
  const desk = deskOf(deps);
  if (!desk) {
    deps.log.warn('agents: no AgentDesk wired into the app; /agents and /agent routes are not available');
    return;
  }
  const { registry } = desk;
  const found = (id: number) => {
    const a = registry.get(id);
    if (!a) throw new BereikError('NOT_FOUND', `agent ${id} does not exist`, undefined, 404);
    return a;
  };

  app.post('/agents', { config: { roles: OPERATORS, scope: 'all-creditors' }, schema: { tags: ['agents'], summary: 'Add an agent (starts offline)', body: AgentBody, response: { 201: Agent, ...errors(400, 409) } } }, async (req, reply) => {
    reply.code(201);
    return registry.create({ name: req.body.name.trim(), endpoint: req.body.endpoint, skills: req.body.skills ?? [] });
  });
  app.get('/agents', { config: { roles: OPERATORS, scope: 'all-creditors' }, schema: { tags: ['agents'], summary: 'All agents with their live state', response: { 200: Type.Array(Agent), ...errors() } } }, async () =>
    registry.list(),
  );
  app.get('/agents/:id', { config: { roles: OPERATORS, scope: 'all-creditors' }, schema: { tags: ['agents'], params: IdParams, response: { 200: Agent, ...errors(404) } } }, async (req) => found(req.params.id));
  app.patch(
    '/agents/:id',
    { config: { roles: OPERATORS, scope: 'all-creditors' }, schema: { tags: ['agents'], summary: 'Change name, endpoint or skills', params: IdParams, body: Type.Partial(AgentBody), response: { 200: Agent, ...errors(400, 404, 409) } } },
    async (req) => {
      found(req.params.id);
      const { name, endpoint, skills } = req.body;
      if (name === undefined && endpoint === undefined && skills === undefined) {
        throw new BereikError('VALIDATION', 'body: send at least one of name, endpoint, skills', [{ field: 'body', message: 'body has no field to change' }]);
      }
      return registry.update(req.params.id, { ...(name !== undefined ? { name: name.trim() } : {}), ...(endpoint !== undefined ? { endpoint } : {}), ...(skills !== undefined ? { skills } : {}) })!;
    },
  );
  app.delete('/agents/:id', { config: { roles: OPERATORS, scope: 'all-creditors' }, schema: { tags: ['agents'], summary: 'Remove an agent who is not on a call; revokes their tokens', params: IdParams, response: { 204: Type.Null(), ...errors(404, 409) } } }, async (req, reply) => {
    found(req.params.id);
    registry.remove(req.params.id);
    reply.code(204);
    return null;
  });
  app.post(
    '/agents/:id/token',
    { config: { scope: 'all-creditors' }, schema: { tags: ['agents'], summary: "Create the agent's desktop token (admin; shown once)", params: IdParams, response: { 201: Type.Object({ id: Type.Integer(), token: Type.String(), agentId: Type.Integer() }), ...errors(404) } } },
    async (req, reply) => {
      const a = found(req.params.id);
      const t = createToken(deps.store.tokens, deps.clock, { name: `agent ${a.name}`, role: 'agent', agentId: a.id });
      reply.code(201);
      return { id: t.id, token: t.token, agentId: a.id };
    },
  );

  // ---- the agent's own routes -------------------------------------------------------
  app.get('/agent/me', { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'Who I am, my state, the case on my screen and my line', response: { 200: Type.Object({ agent: Agent, case: Type.Unknown(), line: Type.Unknown() }), ...errors(404) } } }, async (req) => {
    const id = agentOf(req);
    // A token limited to creditors sees the case only with their claims, or none (as on the desktop socket).
    return { agent: found(id), case: scopedPop(desk.activeCase(id) ?? null, creditorsOf(req)), line: desk.lines.info(id) };
  });
  app.post(
    '/agent/state',
    { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'Go available, pause, or go offline', body: Type.Object({ state: Literals(['available', 'paused', 'offline']) }, { additionalProperties: false }), response: { 200: Agent, ...errors(400, 409) } } },
    async (req) => registry.apply(agentOf(req), SELF_SERVICE[req.body.state]),
  );
  const Line = Type.Object({ state: Literals(LINE_STATES), since: Type.String(), reason: Type.Optional(Type.String()) });
  app.post(
    '/agent/line',
    { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'Open my line: my phone rings once; debtors then reach me without ringing (an open line is returned as it is)', response: { 200: Line, ...errors(404, 503) } } },
    async (req) => desk.lines.open(agentOf(req)),
  );
  app.delete('/agent/line', { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'Hang my line up (not a drop: I am not paused for it)', response: { 200: Line, ...errors() } } }, async (req) => {
    const id = agentOf(req);
    await desk.lines.close(id);
    return desk.lines.info(id);
  });
  // The desktop softphone's SIP account for this login (docs/agent-softphone.md): made by
  // Bereik, pushed to Asterisk, never typed by the agent; asking again renews it.
  const Softphone = Type.Object({
    endpoint: Type.String(), username: Type.String(), password: Type.String(), uri: Type.String(), wsUrl: Type.String(),
    expiresAt: Type.String({ description: 'UTC; ask again before it to renew' }),
  });
  app.post(
    '/agent/softphone',
    { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'My softphone\'s SIP account (short-lived; asking again renews it). 409 SOFTPHONE_DISABLED when the softphone is off', response: { 200: Softphone, ...errors(404, 409, 503) } } },
    async (req, reply) => {
      const id = agentOf(req);
      found(id);
      reply.header('cache-control', 'no-store');
      return desk.softphones.issue(id);
    },
  );
  app.delete('/agent/softphone', { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'Delete my softphone\'s SIP account from Asterisk (logout)', response: { 204: Type.Null(), ...errors() } } }, async (req, reply) => {
    await desk.softphones.revoke(agentOf(req));
    return reply.code(204).send(null);
  });
  app.get('/agent/cases', { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'The transfers that reached me, newest first', response: { 200: Type.Array(Type.Unknown()), ...errors() } } }, async (req) => {
    const id = agentOf(req);
    const creditors = creditorsOf(req);
    const dispositions = deps.store.dispositions.list({ agentId: id, creditors });
    return deps.store.agents.cases(id, 50, creditors).map((c) => ({ ...c, dispositions: dispositions.filter((d) => d.callId === c.parentCallId) }));
  });
  app.post(
    '/agent/dispositions',
    {
      config: AGENT_ONLY,
      schema: {
        tags: ['agent'],
        summary: 'Record the result of a conversation; moves the claim to promised/arranged/disputed',
        body: Type.Object(
          {
            claimId: Type.Integer({ minimum: 1 }),
            callId: Type.Optional(Type.String({ minLength: 1 })),
            kind: Literals(['promise_to_pay', 'payment_arrangement', 'dispute', 'wrong_person', 'callback', 'other']),
            promiseDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
            amountCents: Type.Optional(Type.Integer({ minimum: 0 })),
            callbackAt: Type.Optional(Type.String({ minLength: 10 })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Unknown(), ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const creditors = creditorsOf(req);
      const creditor = deps.store.claims.creditorOf(req.body.claimId);
      if (creditors && (creditor === undefined || !creditors.includes(creditor))) throw notFoundFor('claim', req.body.claimId);
      const row = recordAgentDisposition(deps.store, deps.clock, agentOf(req), req.body);
      recordAccess(deps, req, 'disposition', [deps.store.dispositions.debtorOfClaim(req.body.claimId) ?? null], { claimId: req.body.claimId, kind: req.body.kind });
      reply.code(201);
      return row;
    },
  );
  app.post('/agent/wrapup/end', { config: AGENT_ONLY, schema: { tags: ['agent'], summary: 'Done with the case: available for the next call', response: { 200: Agent, ...errors(409) } } }, async (req) => {
    const id = agentOf(req);
    // The wrap-up timer may have ended it already; either way the case leaves the screen.
    if (!registry.tryApply(id, 'wrap_up_end') && found(id).state !== 'available') {
      throw new BereikError('CONFLICT', `you are ${found(id).state}, not in wrap-up`, undefined, 409);
    }
    desk.clearCase(id);
    return found(id);
  });

  // The browser desktop and its WebSocket live beside the agent routes.
  await desktopRoutes(app, deps, desk);
};

export default routes;
