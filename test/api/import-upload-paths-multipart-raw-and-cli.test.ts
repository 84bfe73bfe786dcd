import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { runBereik } from '../helpers/cli.ts';
import { FIXTURES, contactsOf, createCampaign, fixture, uploadMultipart, uploadRaw } from '../helpers/imports.ts';


const bereik = (args: string[], dbPath: string) => runBereik(args, { BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'warn' });

test('the same file imports the same way as multipart, as a raw text/csv body, and as application/octet-stream', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const file = fixture('good', 'dutch-semicolon.csv');
  const results = [];
  for (const how of ['multipart', 'raw', 'octet'] as const) {
    const id = await createCampaign(app, { name: how });
    const res =
      how === 'multipart' ? await uploadMultipart(app, id, file, 'debiteuren.csv')
      : how === 'raw' ? await uploadRaw(app, id, file)
      : await app.api(`/campaigns/${id}/imports`, { method: 'POST', body: new Uint8Array(file), headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'export.csv' } });
    const body = (await res.json()) as { status: string; rowsImported: number; fileName: string | null };
    assert.equal(res.status, 201, JSON.stringify(body));
    results.push({ status: body.status, rows: body.rowsImported, contacts: (await contactsOf(app, id)).map((c) => [c.debtorRef, c.invoiceRef, c.amountCents, c.phones]) });
    if (how === 'multipart') assert.equal(body.fileName, 'debiteuren.csv');
    if (how === 'octet') assert.equal(body.fileName, 'export.csv');
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

test('a multipart upload without the field "file" is a validation error naming the field', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  const form = new FormData();
  form.set('csv', new Blob(['x']), 'x.csv');
  const res = await app.api(`/campaigns/${id}/imports`, { method: 'POST', body: form });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'VALIDATION');
  assert.match(body.error.message, /body\/file/);
});

test('importing into a campaign that does not exist answers 404', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const res = await uploadRaw(app, 999, fixture('good', 'utf8-bom.csv'));
  assert.equal(res.status, 404);
});

test('bereik import: imports into the database, and a bad file exits 1 listing every bad row', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);

  const ok = await bereik(['import', '--campaign', String(id), join(FIXTURES, 'good', 'dutch-semicolon.csv')], app.dbPath);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /completed; 3 of 3 rows imported \(3 new claims, 0 updated, 2 new debtors\)/);
  assert.equal((await contactsOf(app, id)).length, 3, 'the running API sees what the CLI imported');

  const bad = await bereik(['import', '--campaign', String(id), join(FIXTURES, 'bad', 'every-bad-row-listed.csv')], app.dbPath);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /3 of 5 rows are invalid; nothing was imported/);
  assert.match(bad.stderr, /line 3, telefoon = "06-1": phone number is too short/);
  assert.match(bad.stderr, /line 4, bedrag = "x": amount is not a number/);
  assert.match(bad.stderr, /line 6, vervaldatum = "30-02-2026": date 30-02-2026 does not exist/);
  assert.equal((await contactsOf(app, id)).length, 3);

  const partial = join(app.dir, 'partial.csv');
  writeFileSync(partial, 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\nP1;Een;0612345601;1,00;F1\nP2;Twee;06-1;2,00;F2\n');
  const skip = await bereik(['import', '--campaign', String(id), '--skip-invalid', partial], app.dbPath);
  assert.equal(skip.status, 0, skip.stderr);
  assert.match(skip.stdout, /partial; 1 of 2 rows imported/);
  assert.match(skip.stdout, /line 3, telefoon = "06-1": phone number is too short/);
  assert.equal((await contactsOf(app, id)).length, 4);
});
