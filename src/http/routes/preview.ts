/**
 * Preview dialling for an agent's own token (role agent): the next case of a preview
 * campaign held for me, dial it, or skip it (src/dialer/runtime/preview.ts). The case
 * comes with the debtor, their claims and recent calls, as on the screen pop.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { errors } from '../schemas.ts';
import { AGENT_ONLY, agentOf } from '../auth.ts';
import { creditorsOf } from '../scope.ts';

const ContactParams = Type.Object({ contactId: Type.Integer({ minimum: 1 }) });

const PreviewCase = Type.Object({
  campaignId: Type.Integer(),
  contactId: Type.Integer(),
  claimId: Type.Integer(),
  phone: Type.String({ description: 'the number that will be dialled (E.164)' }),
  debtor: Type.Unknown(),
  claims: Type.Array(Type.Unknown()),
  history: Type.Array(Type.Unknown(), { description: 'recent calls to or from the debtor, newest first' }),
});

const routes: RouteModule = async (app, deps) => {
  const preview = deps.engine?.preview;
  if (!preview) return;
  const tags = ['agent'];

  app.get(
    '/agent/preview/next',
    { config: AGENT_ONLY, schema: { tags, summary: 'The next case of a preview campaign, held for me until I dial or skip it', response: { 200: PreviewCase, 204: Type.Null(), ...errors(404, 409) } } },
    async (req, reply) => {
      const creditors = creditorsOf(req);
      const next = preview.next(agentOf(req), creditors);
      if (!next) return reply.code(204).send(null);
      const found = deps.store.cases.load(next.debtorId, creditors);
      return { ...next, debtor: found?.debtor ?? null, claims: found?.claims ?? [], history: found?.calls ?? [] };
    },
  );
  app.post(
    '/agent/preview/:contactId/dial',
    {
      // Only the case this agent holds, which next offered within its creditors.
      config: AGENT_ONLY,
      schema: { tags, summary: 'Dial the case I hold; when the debtor answers I am put through', params: ContactParams, response: { 202: Type.Object({ callId: Type.String() }), ...errors(404, 409) } },
    },
    async (req, reply) => {
      const callId = await preview.dial(agentOf(req), req.params.contactId);
      reply.code(202);
      return { callId };
    },
  );
  app.post(
    '/agent/preview/:contactId/skip',
    { config: AGENT_ONLY, schema: { tags, summary: 'Pass on the case I hold', params: ContactParams, response: { 204: Type.Null(), ...errors(404) } } },
    async (req, reply) => {
      preview.skip(agentOf(req), req.params.contactId);
      reply.code(204);
    },
  );
};

export default routes;
