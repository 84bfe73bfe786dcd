/**
 * Data-protection routes, admin only (docs/data-protection.md):
 *   POST /debtors/:ref/erase   erase or anonymise one person everywhere (refused while a claim
 *                              is legally open, unless force with a reason, which is audited);
 *   GET  /debtors/:ref/export  everything held about one person (subject-access request), as
 *                              JSON or, with ?format=html, a page a person can read;
 *   GET  /audit                the access audit by debtor, token and period; ?format=csv exports it.
 * The debtor is named by debtor number (:ref, the back office's debiteurnummer).
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { RouteModule } from '../route-module.ts';
import { errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { recordAccess } from '../audit.ts';
import { notFoundFor } from '../scope.ts';
import { subjectHtml } from '../subject-html.ts';
import { auditCsv } from '../audit-csv.ts';
import { CACHE_FILE } from '../../tts/cache.ts';

const RefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 200 }) });

const routes: RouteModule = async (app, deps) => {
  const { erasure, audit } = deps.store;
  const debtorOf = (ref: string): number => {
    const id = erasure.byRef(ref);
    if (id === undefined) throw notFoundFor('debtor', ref);
    return id;
  };

  app.post('/debtors/:ref/erase', {
    config: { scope: 'all-creditors' },
    schema: {
      tags: ['admin'],
      summary: "Erase a person's data in every table (aggregates stay; their numbers stay only as salted hashes on the do-not-contact list)",
      params: RefParams,
      body: Type.Object({
        force: Type.Optional(Type.Boolean({ description: 'erase although a claim is still open; needs reason' })),
        reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'why (recorded in the access audit)' })),
      }),
      response: { 200: Type.Object({ debtorId: Type.Integer(), erased: Type.Record(Type.String(), Type.Integer()), forced: Type.Boolean() }), ...errors(400, 404, 409) },
    },
  }, async (req) => {
    const debtorId = debtorOf(req.params.ref);
    const force = req.body?.force === true;
    const reason = req.body?.reason?.trim();
    if (force && !reason) throw new BereikError('VALIDATION', 'force needs a reason: say why the person is erased while a claim is open (it is audited)', [{ field: 'reason' }]);
    const open = erasure.openClaims(debtorId);
    if (open.length && !force) {
      throw new BereikError(
        'ERASURE_CLAIM_OPEN',
        `debtor ${req.params.ref} has ${open.length} claim(s) still ${[...new Set(open.map((c) => c.status))].join('/')}: the creditor may still need the data to collect them. ` +
          'Close them first, or send {"force": true, "reason": "…"} (recorded in the access audit)',
        { claims: open.map((c) => c.id) },
        409,
      );
    }
    const now = new Date(deps.clock.now()).toISOString();
    const { erased, audio } = deps.store.transaction(() => {
      const counts = erasure.erase(debtorId, now);
      const keys = deps.store.ttsAudio.release(debtorId);
      recordAccess(deps, req, 'erasure', [debtorId], { forced: force && open.length > 0, ...(reason ? { reason } : {}), openClaims: open.length });
      return { erased: counts, audio: keys };
    });
    erasure.checkpoint();
    // After the commit: a file is never gone while the erasure could still roll back.
    const ttsAudio = removeCachedAudio(deps.config.tts.cacheDir, audio, req.log);
    // Their recorded voice: the rows went with the erasure, the files go now.
    deps.recordingFiles?.sweep();
    deps.metrics?.retentionRemoved.inc({ kind: 'erasure' });
    req.log.info({ debtorId, forced: force }, 'debtor erased');
    return { debtorId, erased: { ...erased, ttsAudio }, forced: force && open.length > 0 };
  });

  app.get('/debtors/:ref/export', {
    config: { scope: 'all-creditors' },
    schema: {
      tags: ['admin'],
      summary: 'Everything Bereik holds about one person, for a subject-access request (JSON, or ?format=html)',
      params: RefParams,
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])) }),
      response: { 200: Type.Unknown(), ...errors(404) },
    },
  }, async (req, reply) => {
    const debtorId = debtorOf(req.params.ref);
    const data = erasure.subject(debtorId)!;
    recordAccess(deps, req, 'subject_export', [debtorId], { format: req.query.format ?? 'json' });
    if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').send(subjectHtml(data, new Date(deps.clock.now()).toISOString()));
    return data;
  });

  app.get('/audit', {
    config: { scope: 'all-creditors' },
    schema: {
      tags: ['admin'],
      summary: 'The access audit, oldest first: by debtor, by token, by period (from inclusive, to exclusive); ?format=csv exports it',
      querystring: Type.Object({
        debtor: Type.Optional(Type.Integer({ minimum: 1 })),
        token: Type.Optional(Type.Integer({ minimum: 1 })),
        from: Type.Optional(Type.String({ format: 'date-time' })),
        to: Type.Optional(Type.String({ format: 'date-time' })),
        after: Type.Optional(Type.Integer({ minimum: 0, description: 'the nextCursor of the page before' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 500 })),
        format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
      }),
      response: { 200: Type.Unknown(), ...errors(400) },
    },
  }, async (req, reply) => {
    const q = req.query;
    const limit = q.limit ?? 500;
    const iso = (v: string | undefined) => (v === undefined ? undefined : new Date(v).toISOString());
    const items = audit.query({
      ...(q.debtor !== undefined ? { debtorId: q.debtor } : {}),
      ...(q.token !== undefined ? { tokenId: q.token } : {}),
      ...(q.from !== undefined ? { from: iso(q.from)! } : {}),
      ...(q.to !== undefined ? { to: iso(q.to)! } : {}),
      ...(q.after !== undefined ? { afterId: q.after } : {}),
      limit,
    });
    if (q.format === 'csv') {
      recordAccess(deps, req, 'audit_export', [], { entries: items.length });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="bereik-audit.csv"').send(auditCsv(items));
    }
    return { items, nextCursor: items.length === limit ? items.at(-1)!.id : null };
  });
};

export default routes;

/** Deletes the erased person's TTS audio files from the cache; returns how many were there. */
function removeCachedAudio(dir: string, keys: readonly string[], log: FastifyBaseLogger): number {
  let removed = 0;
  for (const key of keys) {
    const name = `${key}.wav`;
    if (!CACHE_FILE.test(name)) continue;
    try {
      unlinkSync(join(dir, name));
      removed++;
    } catch (err) {
      // Already pruned is fine; anything else is said, the file still goes with the cache's age limit.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err }, 'erasure: a TTS audio file could not be deleted');
    }
  }
  return removed;
}
