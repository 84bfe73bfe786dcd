/**
 * CSV upload into a campaign (multipart field `file`, or the raw body as text/csv or
 * application/octet-stream), import reports, and the rejects CSV. The upload is streamed
 * to a temporary file first: the import reads it twice (check, then write) and never
 * holds it in memory.
 */
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { IdParams, Literals, Paging, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { makeTempDir } from '../../campaigns/import/temp.ts';
import { IMPORT_STATUSES } from '../../store/types.ts';
import { recordAccess } from '../audit.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';

const ImportStatus = Literals(IMPORT_STATUSES);
const RowErrorSchema = Type.Object({
  line: Type.Integer({ description: 'line number as in the file (header = 1)' }),
  column: Type.Union([Type.String(), Type.Null()], { description: 'column name as in the header' }),
  value: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
});
const ImportSchema = Type.Object(
  {
    id: Type.Integer(),
    campaignId: Type.Integer(),
    fileName: Type.Union([Type.String(), Type.Null()]),
    fileSha256: Type.String(),
    status: ImportStatus,
    skipInvalid: Type.Boolean(),
    rowsTotal: Type.Integer(),
    rowsImported: Type.Integer(),
    rowsRejected: Type.Integer(),
    debtorsCreated: Type.Integer(),
    claimsCreated: Type.Integer(),
    claimsUpdated: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Import' },
);
const ProgressSchema = Type.Union(
  [
    Type.Object({
      phase: Literals(['validating', 'writing']),
      rows: Type.Integer({ description: 'rows checked (validating) or written (writing) so far' }),
    }),
    Type.Null(),
  ],
  { description: 'how far a running import is; null once it has ended' },
);
const FormatSchema = Type.Object({
  encoding: Type.String(),
  delimiter: Type.String(),
  ignoredColumns: Type.Array(Type.String(), { description: 'header columns Bereik does not read' }),
});
const ImportResult = Type.Composite([
  Type.Omit(ImportSchema, []),
  Type.Object({
    encoding: Type.String(),
    delimiter: Type.String(),
    ignoredColumns: Type.Array(Type.String()),
    errors: Type.Array(RowErrorSchema, { description: 'bad rows (skipInvalid): the errors of the first 1,000 bad rows, as stored' }),
    errorsTotal: Type.Integer({ description: 'errors found in all' }),
    errorsTruncated: Type.Boolean({ description: 'true when more errors were found than are listed and stored' }),
    rejectsUrl: Type.Union([Type.String(), Type.Null()]),
  }),
]);

const tooLarge = (limit: number) =>
  new BereikError('IMPORT_TOO_LARGE', `the file is larger than the upload limit of ${limit.toLocaleString('en')} bytes (imports.maxUploadBytes)`, { limit });

/** Counts the bytes passing through and fails the moment they pass `limit`, so the rest is never read or spooled. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(tooLarge(limit));
      else done(null, chunk);
    },
  });
}

/** Streams the uploaded file (multipart or raw body) to a temporary file, refusing it once it passes `limit` bytes. Payment files use it too (routes/payments.ts). */
export async function saveUpload(req: FastifyRequest, dir: string, limit: number, what = 'the CSV'): Promise<{ path: string; fileName: string | null }> {
  const path = join(dir, 'upload.csv');
  if (req.isMultipart()) {
    const part = await req.file({ limits: { fileSize: limit } });
    if (!part) throw new BereikError('VALIDATION', `body/file is required: send ${what} as the multipart field "file"`);
    if (part.fieldname !== 'file') throw new BereikError('VALIDATION', `body/file is required: the multipart field is called "${part.fieldname}", expected "file"`);
    try {
      await pipeline(part.file, byteLimit(limit), createWriteStream(path));
    } catch (err) {
      throw (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge(limit) : err;
    }
    if (part.file.truncated) throw tooLarge(limit);
    return { path, fileName: part.filename || null };
  }
  const body = req.body;
  if (!(body instanceof Readable)) {
    throw new BereikError('VALIDATION', `send ${what} as multipart/form-data (field "file") or as the body with Content-Type text/csv${what === 'the CSV' ? '' : ', application/xml'}`);
  }
  // A declared length over the limit is refused before a byte of the body is read.
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(limit);
  await pipeline(body, byteLimit(limit), createWriteStream(path));
  const name = req.headers['x-file-name'];
  return { path, fileName: typeof name === 'string' ? name : null };
}

const routes: RouteModule = async (app, deps) => {
  const { imports, config } = deps;
  app.addSchema(ImportSchema);

  app.post('/campaigns/:id/imports', {
    config: { roles: OPERATORS, scope: 'all-creditors' },
    schema: {
      tags: ['imports'],
      summary: 'Import a CSV of debtors and claims into the campaign',
      description:
        'multipart/form-data with the field `file`, or the raw file with Content-Type text/csv or application/octet-stream ' +
        '(optional header X-File-Name). The whole file is checked first: any bad row → 422 IMPORT_BAD_ROW listing every bad row ' +
        'and nothing imported, unless skipInvalid=true. With Prefer: respond-async (or async=true) the answer is 202 with ' +
        'Location /imports/:id as soon as the import is recorded; follow it for progress and the result.',
      consumes: ['multipart/form-data', 'text/csv', 'application/octet-stream'],
      params: IdParams,
      querystring: Type.Object({
        skipInvalid: Type.Optional(Type.Boolean({ default: false })),
        async: Type.Optional(Type.Boolean({ default: false, description: 'the same as the header Prefer: respond-async' })),
      }),
      headers: Type.Object({ prefer: Type.Optional(Type.String({ description: 'respond-async: answer 202 at once and import in the background' })) }),
      response: {
        201: ImportResult,
        202: Type.Object(
          { import: Type.Ref('Import'), progress: ProgressSchema, location: Type.String() },
          { description: 'accepted: the import runs in the background; follow location (GET /imports/:id) until its status is no longer running' },
        ),
        ...errors(400, 404, 409, 413, 422),
      },
    },
  }, async (req, reply) => {
    const dir = makeTempDir('upload');
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    const respondAsync = req.query.async === true || /(^|[,;\s])respond-async([,;\s]|$)/i.test(req.headers.prefer ?? '');
    let background = false;
    try {
      let upload: { path: string; fileName: string | null };
      try {
        upload = await saveUpload(req, dir, config.imports.maxUploadBytes);
      } catch (err) {
        // The rest of the body is not wanted: end the connection after the answer instead of reading it.
        if (err instanceof BereikError && err.code === 'IMPORT_TOO_LARGE') reply.header('connection', 'close');
        throw err;
      }
      const { path, fileName } = upload;
      const request = { campaignId: req.params.id, path, fileName, skipInvalid: req.query.skipInvalid };
      if (respondAsync) {
        const record = await imports.start(request, cleanup);
        background = true;
        const location = `/imports/${record.id}`;
        return reply.status(202).header('location', location).header('preference-applied', 'respond-async').send({ import: record, progress: imports.progress(record.id), location });
      }
      const result = await imports.importFile(request);
      const { timings: _t, ...rest } = result;
      return reply.status(201).send({ ...rest, errorsTruncated: result.errorsTotal > result.errors.length, rejectsUrl: result.rowsRejected > 0 ? `/imports/${result.id}/rejects.csv` : null });
    } finally {
      if (!background) cleanup();
    }
  });

  app.get('/campaigns/:id/imports', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['imports'],
      summary: "A campaign's imports, newest first",
      params: IdParams,
      querystring: Type.Object(Paging),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Import')), total: Type.Integer() }), ...errors(400, 404) },
    },
  }, async (req) => {
    const creditors = creditorsOf(req);
    if (creditors && !deps.store.contacts.campaignOnlyOf(req.params.id, creditors)) throw notFoundFor('campaign', req.params.id);
    return imports.listForCampaign(req.params.id, { limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 });
  });

  /**
   * A limited token sees the imports of a campaign that holds its creditors' claims only: in a
   * shared campaign an import's counts, errors and rejected rows (which name no claim) mix creditors.
   */
  const visibleImport = (req: FastifyRequest<{ Params: { id: number } }>) => {
    const creditors = creditorsOf(req);
    if (!creditors) return;
    const record = deps.store.imports.get(req.params.id);
    if (!record || !deps.store.contacts.campaignOnlyOf(record.campaignId, creditors)) throw notFoundFor('import', req.params.id);
  };

  app.get('/imports/:id', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['imports'],
      summary: 'An import: counts and its bad rows (paged)',
      params: IdParams,
      querystring: Type.Object(Paging),
      response: {
        200: Type.Object({
          import: Type.Ref('Import'),
          progress: ProgressSchema,
          errors: Type.Array(RowErrorSchema, { description: 'a page of the stored errors: those of the first 1,000 bad rows' }),
          errorsTotal: Type.Integer({ description: 'errors found in all' }),
          errorsTruncated: Type.Boolean({ description: 'true when more errors were found than were stored: the list stops at the first 1,000 bad rows' }),
          format: Type.Union([FormatSchema, Type.Null()], { description: 'what the file turned out to be; null until the check pass has read it all' }),
        }),
        ...errors(400, 404),
      },
    },
  }, async (req) => {
    visibleImport(req);
    const page = imports.errors(req.params.id, { limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 });
    const format = imports.format(req.params.id);
    return { import: imports.get(req.params.id), progress: imports.progress(req.params.id), errors: page.items, errorsTotal: page.total, errorsTruncated: page.total > page.stored, format };
  });

  app.get('/imports/:id/rejects.csv', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['imports'],
      summary: "The import's bad rows as CSV: the original columns plus a reason (formula-escaped)",
      produces: ['text/csv'],
      params: IdParams,
      response: { 200: Type.String({ description: 'CSV, UTF-8 with BOM, ; separated' }), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    visibleImport(req);
    const chunks = imports.rejectsCsv(req.params.id);
    const first = chunks.next(); // throws NOT_FOUND before any header is sent
    // Rejected rows quote debtors' raw values; they name no debtor id, so the entry names the import.
    recordAccess(deps, req, 'export', [], { importId: req.params.id, what: 'rejects.csv' });
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="import-${req.params.id}-rejects.csv"`);
    const body = Readable.from((function* () {
      if (!first.done) yield first.value;
      yield* chunks;
    })());
    // A stream skips response serialisation; the schema documents what it carries.
    return reply.send(body as unknown as string);
  });
};

export default routes;
