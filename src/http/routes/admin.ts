/**
 * The console's admin page: API tokens (list, create with a role, revoke) and the
 * effective configuration with every secret hidden. Admin only (routes without
 * config.roles are admin's). Agents and their desktop tokens are in routes/agents.ts;
 * health is /healthz.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { IdParams, Literals, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { isoUtc } from '../../lib/clock.ts';
import { createToken } from '../tokens.ts';
import { ROLES } from '../../store/types.ts';

/** Keys whose values are credentials: shown as set or not, never as they are. */
const SECRET = /(secret|password|token|key|credential)$/i;
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

/** The configuration with every credential replaced by '(set)' or '' and credentials in URLs (user:pass@) cut. */
export function redactConfig(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactConfig(v, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  if (typeof value === 'string' && SECRET.test(key)) return value ? '(set)' : '';
  if (typeof value === 'string') return value.replace(/\/\/[^/@\s]+@/, '//(credentials)@');
  return value;
}

const Token = Type.Object({
  id: Type.Integer(), name: Type.String(), role: Literals(ROLES), agentId: Nullable(Type.Integer()),
  createdAt: Type.String(), lastUsedAt: Nullable(Type.String()), revokedAt: Nullable(Type.String()),
  creditors: Type.Array(Type.String(), { description: 'the creditors the token is limited to; empty: every creditor' }),
});

const routes: RouteModule = async (app, { store, clock, config }) => {
  app.get('/tokens', {
    config: { scope: 'none' },
    schema: { tags: ['admin'], summary: 'Every API token (never the token itself), oldest first', response: { 200: Type.Array(Token), ...errors() } },
  }, async () => store.tokens.list());

  app.post('/tokens', {
    config: { scope: 'none' },
    schema: {
      tags: ['admin'],
      summary: 'Create an API token; the token is in this answer only',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        role: Literals(['admin', 'operator', 'client', 'supervisor'], { description: "agents' tokens are made per agent: POST /agents/:id/token" }),
        agentId: Type.Optional(Type.Integer({ minimum: 1, description: "supervisor only, and required: the agent record whose endpoint is the supervisor's phone (docs/supervisors.md)" })),
        creditors: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description: 'limits the token to these creditors (docs/data-protection.md); a client token needs one, an admin token cannot have any' })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer(), name: Type.String(), role: Type.String(), token: Type.String() }), ...errors(400) },
    },
  }, async (req, reply) => {
    const { role, agentId } = req.body;
    if (role === 'supervisor' && agentId === undefined) throw new BereikError('VALIDATION', "a supervisor token needs agentId: the agent record whose endpoint is the supervisor's phone");
    if (role !== 'supervisor' && agentId !== undefined) throw new BereikError('VALIDATION', 'agentId applies to a supervisor token only; an agent gets theirs from POST /agents/:id/token');
    if (agentId !== undefined && !store.agents.get(agentId)) throw new BereikError('VALIDATION', `agentId ${agentId}: no such agent record`);
    const t = createToken(store.tokens, clock, { name: req.body.name.trim(), role, agentId: agentId ?? null, creditors: req.body.creditors ?? [] });
    req.log.info({ tokenId: t.id, role: t.role }, 'API token created');
    return reply.code(201).send({ id: t.id, name: t.name, role: t.role, token: t.token });
  });

  app.delete('/tokens/:id', {
    config: { scope: 'none' },
    schema: { tags: ['admin'], summary: 'Revoke a token: it stops working at once', params: IdParams, response: { 204: Type.Null(), ...errors(404) } },
  }, async (req, reply) => {
    if (!store.tokens.revoke(req.params.id, isoUtc(clock.now()))) throw new BereikError('NOT_FOUND', `token ${req.params.id} does not exist or is revoked already`, { id: req.params.id }, 404);
    req.log.info({ tokenId: req.params.id }, 'API token revoked');
    return reply.code(204).send(null);
  });

  app.get('/admin/config', {
    config: { scope: 'none' },
    schema: { tags: ['admin'], summary: 'The effective configuration (defaults, file and environment merged), secrets hidden', response: { 200: Type.Object({}, { additionalProperties: true }), ...errors() } },
  }, async () => redactConfig(config));
};

export default routes;
