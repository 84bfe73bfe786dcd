/**
 * A file bad on every line, or with one enormous value, must not be stored (or answered)
 * again in full: the first 1,000 bad rows are kept with at most 200 characters of each
 * value, and the answer and the import record say how many errors there were in all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign, storeCounts, uploadRaw } from '../helpers/imports.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

const HEADER = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\n';

interface RowError { line: number; column: string | null; value: string | null; reason: string }
interface ImportView { import: { status: string; rowsRejected: number; rowsImported: number }; errors: RowError[]; errorsTotal: number; errorsTruncated: boolean }

function file(bad: number, good: number): string {
  let s = HEADER;
  for (let i = 0; i < bad; i++) s += `D${i};Naam ${i};0612345678;twaalf;F${i}\n`;
  for (let i = 0; i < good; i++) s += `G${i};Goed ${i};0612345678;12,50;G${i}\n`;
  return s;
}

test('1,500 bad rows: the answer lists the first 1,000 and says 1,500; the record stores 1,000 and says the list is cut', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);

  const res = await uploadRaw(app, campaignId, file(1500, 10));
  const body = (await res.json()) as { error: { code: string; message: string; details: { importId: number; rowsRejected: number; errorsTotal: number; errorsTruncated: boolean; errors: RowError[] } } };
  assert.equal(res.status, 422);
  assert.equal(body.error.code, 'IMPORT_BAD_ROW');
  const d = body.error.details;
  assert.equal(d.rowsRejected, 1500);
  assert.equal(d.errorsTotal, 1500);
  assert.equal(d.errorsTruncated, true);
  assert.equal(d.errors.length, 1000);
  assert.deepEqual(d.errors.at(-1), { line: 1001, column: 'bedrag', value: 'twaalf', reason: 'amount is not a number' });

  const view = (await (await app.api(`/imports/${d.importId}?limit=100&offset=950`)).json()) as ImportView;
  assert.equal(view.errorsTotal, 1500);
  assert.equal(view.errorsTruncated, true);
  assert.deepEqual(view.errors.map((e) => e.line), Array.from({ length: 50 }, (_, i) => 952 + i), 'the stored list ends at the 1,000th bad row');
  const stored = sqliteHandle(app.app.deps.store).prepare(`SELECT count(*) FROM import_errors WHERE import_id = ? AND line > 0`).pluck().get(d.importId);
  assert.equal(stored, 1000);
});

test('with skipInvalid the good rows are imported; the answer, the record and the rejects CSV hold the first 1,000 bad rows', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);

  const res = await uploadRaw(app, campaignId, file(1500, 10), '?skipInvalid=true');
  const body = (await res.json()) as { id: number; status: string; rowsImported: number; rowsRejected: number; errors: RowError[]; errorsTotal: number; errorsTruncated: boolean };
  assert.equal(res.status, 201, JSON.stringify(body).slice(0, 500));
  assert.equal(body.status, 'partial');
  assert.equal(body.rowsImported, 10);
  assert.equal(body.rowsRejected, 1500);
  assert.equal(body.errors.length, 1000);
  assert.equal(body.errorsTotal, 1500);
  assert.equal(body.errorsTruncated, true);
  assert.equal(storeCounts(app, campaignId).contacts, 10);

  const view = (await (await app.api(`/imports/${body.id}`)).json()) as ImportView;
  assert.equal(view.errorsTotal, 1500);
  assert.equal(view.errorsTruncated, true);
  const csv = await (await app.api(`/imports/${body.id}/rejects.csv`)).text();
  const lines = csv.trim().split('\r\n');
  assert.equal(lines.length, 1 + 1000);
  assert.match(lines.at(-1)!, /^D999;Naam 999;/);
});

test('a few bad rows are all listed and the list is not cut', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const res = await uploadRaw(app, campaignId, file(3, 2));
  const d = ((await res.json()) as { error: { details: { importId: number; errorsTotal: number; errorsTruncated: boolean; errors: RowError[] } } }).error.details;
  assert.equal(d.errorsTotal, 3);
  assert.equal(d.errorsTruncated, false);
  assert.equal(d.errors.length, 3);
  const view = (await (await app.api(`/imports/${d.importId}`)).json()) as ImportView;
  assert.deepEqual([view.errorsTotal, view.errorsTruncated, view.errors.length], [3, false, 3]);
});

test('a 60,000-character name is answered and stored as its first 200 characters (and 1,000 in the row kept for the rejects CSV)', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const name = 'Jansen'.repeat(10_000);
  const res = await uploadRaw(app, campaignId, `${HEADER}D1;${name};0612345678;12,50;F1\n`);
  const text = await res.text();
  assert.equal(res.status, 422);
  assert.ok(text.length < 2048, `answer of ${text.length} bytes`);
  const d = (JSON.parse(text) as { error: { details: { importId: number; errors: RowError[] } } }).error.details;
  const clipped = name.slice(0, 199) + '…';
  assert.deepEqual(d.errors, [{ line: 2, column: 'naam', value: clipped, reason: 'longer than 500 characters' }]);
  const view = (await (await app.api(`/imports/${d.importId}`)).json()) as ImportView;
  assert.deepEqual(view.errors, d.errors);
  const stored = sqliteHandle(app.app.deps.store).prepare(`SELECT value, length(raw) AS raw FROM import_errors WHERE import_id = ? AND line = 2`).get(d.importId) as { value: string; raw: number };
  assert.equal(stored.value, clipped);
  assert.ok(stored.raw < 1100, `the row kept for the rejects CSV takes ${stored.raw} characters`);
});
