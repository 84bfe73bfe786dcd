/**
 * Recordings of agent conversations on the debtor's timeline (issue 16 §4,
 * docs/call-recordings.md): GET /debtors/:id/recordings lists them, GET
 * /call-recordings/:id/file plays or downloads one. Operators and admins only: a recording is
 * the debtor's own voice, more than a client's staff, an agent or a supervisor needs after
 * the call. A token limited to creditors sees the recordings of debtors with a claim of
 * theirs; any other answers 404, as if it did not exist. Each play or download is audited.
 */
import { createReadStream } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { recordAccess } from '../audit.ts';
import { errors, Literals } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const Recording = Type.Object({
  id: Type.Integer(),
  callId: Type.String(),
  agentId: Nullable(Type.Integer()),
  campaignId: Nullable(Type.Integer()),
  state: Literals(['recording', 'stored', 'failed']),
  durationSec: Nullable(Type.Integer()),
  bytes: Nullable(Type.Integer()),
  announced: Type.Boolean({ description: 'the debtor heard the recording notice first' }),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  url: Nullable(Type.String({ description: 'the file, for an operator token; null until stored' })),
});

const routes: RouteModule = async (app, deps) => {
  const rows = deps.store.callRecordings;
  const files = deps.recordingFiles;

  app.get(
    '/debtors/:id/recordings',
    {
      config: { roles: OPERATORS, scope: 'creditor' },
      schema: {
        tags: ['debtors'],
        summary: "Recordings of the debtor's conversations with agents, newest first",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ items: Type.Array(Recording) }), ...errors(404) },
      },
    },
    async (req) => {
      const debtor = deps.store.debtorLookup.profile(req.params.id, creditorsOf(req));
      if (!debtor) throw notFoundFor('debtor', req.params.id);
      const items = rows.ofDebtor(debtor.id).map((r) => ({
        id: r.id, callId: r.callId, agentId: r.agentId, campaignId: r.campaignId, state: r.state, durationSec: r.durationSec, bytes: r.bytes,
        announced: r.announced, startedAt: r.startedAt, endedAt: r.endedAt, url: r.state === 'stored' ? `/call-recordings/${r.id}/file` : null,
      }));
      if (items.length) recordAccess(deps, req, 'call_list', [debtor.id], { recordings: items.length });
      return { items };
    },
  );

  app.get(
    '/call-recordings/:id/file',
    {
      config: { roles: OPERATORS, scope: 'creditor' },
      schema: {
        tags: ['debtors'],
        summary: 'One recording as audio/wav (download=true: as an attachment)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }),
        response: { ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      const creditors = creditorsOf(req);
      const r = rows.get(req.params.id);
      if (!r || (creditors && !rows.visibleTo(r.id, creditors))) throw notFoundFor('recording', req.params.id);
      const path = r.file ? files?.path(r.file) : undefined;
      if (r.state !== 'stored' || !path) {
        throw new BereikError('RECORDING_UNAVAILABLE', `recording ${r.id} is ${r.state === 'stored' ? 'gone from disk' : r.state === 'recording' ? 'still being made' : 'failed in Asterisk'}`, { state: r.state }, 409);
      }
      recordAccess(deps, req, 'recording_play', [r.debtorId], { recording: r.id, callId: r.callId, download: req.query.download === true });
      reply.header('content-type', 'audio/wav');
      reply.header('content-length', String(r.bytes ?? ''));
      reply.header('cache-control', 'no-store');
      if (req.query.download) reply.header('content-disposition', `attachment; filename="recording-${r.id}.wav"`);
      return reply.send(createReadStream(path));
    },
  );
};

export default routes;
