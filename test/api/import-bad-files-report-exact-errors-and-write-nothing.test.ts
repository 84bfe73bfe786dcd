import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { FIXTURES, createCampaign, expectations, fixture, storeCounts, uploadRaw, contactsOf } from '../helpers/imports.ts';
import { MAX_RECORD_CHARS } from '../../src/campaigns/import/csv.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

interface Expected {
  code: 'IMPORT_BAD_FILE' | 'IMPORT_BAD_ROW';
  message?: string;
  errors?: { line: number; column: string | null; value: string | null; reason: string }[];
}

const expected = expectations<Expected>('bad');

test('every file in test/fixtures/bad has an expectation (and there are at least 25)', () => {
  const files = readdirSync(join(FIXTURES, 'bad')).filter((f) => f !== 'expected.json').sort();
  assert.deepEqual(files, Object.keys(expected).sort());
  assert.ok(files.length >= 25, `${files.length} bad files`);
});

test('each bad file is refused with its exact error, and nothing is written', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  // Start from a campaign that already holds data, so "nothing written" also means "nothing changed".
  const seed = await uploadRaw(app, campaignId, fixture('good', 'dutch-semicolon.csv'));
  assert.equal(seed.status, 201);
  const before = storeCounts(app, campaignId);
  const contactsBefore = await contactsOf(app, campaignId);

  for (const [name, exp] of Object.entries(expected)) {
    await t.test(name, async () => {
      const res = await uploadRaw(app, campaignId, fixture('bad', name));
      const body = (await res.json()) as { error: { code: string; message: string; details: { importId: number; errors?: Expected['errors'] } } };
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(body.error.code, exp.code);
      if (exp.message) assert.ok(body.error.message.startsWith(exp.message), `message: ${body.error.message}`);
      if (exp.errors) assert.deepEqual(body.error.details.errors, exp.errors);
      assert.deepEqual(storeCounts(app, campaignId), before, 'row counts unchanged');

      // The import is on record as rejected, with the same bad rows.
      const rec = await app.api(`/imports/${body.error.details.importId}`);
      const report = (await rec.json()) as { import: { status: string; rowsImported: number }; errors: Expected['errors'] };
      assert.equal(report.import.status, 'rejected');
      assert.equal(report.import.rowsImported, 0);
      if (exp.errors) assert.deepEqual(report.errors, exp.errors);
    });
  }
  assert.deepEqual(await contactsOf(app, campaignId), contactsBefore, 'the operator sees the same contacts as before');
});

/**
 * Too big to commit, so generated: a 5 MB field and a 5 MB line. Each is refused at its
 * limit with the line and column, the answer quotes at most 200 characters of it, and
 * nothing of it is stored.
 */
test('a field past 64 KiB and a line past 1 MiB are refused with line and column, a short answer, and nothing written or stored', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  assert.equal((await uploadRaw(app, campaignId, fixture('good', 'dutch-semicolon.csv'))).status, 201);
  const before = storeCounts(app, campaignId);
  const header = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\n';
  const longLine = 'D1;Naam;0612345678;12,50;F1' + ';x'.repeat(2_500_000);
  const cases = [
    {
      name: '5 MB field',
      body: `${header}D1;${'x'.repeat(5_000_000)};0612345678;12,50;F1\n`,
      message: 'line 2, column 2 (naam): the field is longer than 65,536 characters, the most a field may hold (is a closing quote missing?)',
      details: { line: 2, column: 2, columnName: 'naam', value: 'x'.repeat(199) + '…' },
    },
    {
      name: '5 MB line',
      body: `${header}${longLine}\n`,
      // The column that holds the first character past 1 MiB.
      message: `line 2: the line is longer than 1,048,576 characters, the most a line may hold (passed in column ${longLine.slice(0, MAX_RECORD_CHARS + 1).split(';').length})`,
      details: { line: 2, column: longLine.slice(0, MAX_RECORD_CHARS + 1).split(';').length, value: longLine.slice(0, 199) + '…' },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const res = await uploadRaw(app, campaignId, c.body);
      const text = await res.text();
      assert.equal(res.status, 422, text);
      assert.ok(text.length < 2048, `answer of ${text.length} bytes`);
      const body = JSON.parse(text) as { error: { code: string; message: string; details: { importId: number } } };
      assert.equal(body.error.code, 'IMPORT_BAD_FILE');
      assert.equal(body.error.message, c.message);
      assert.deepEqual(body.error.details, { importId: body.error.details.importId, ...c.details });
      assert.deepEqual(storeCounts(app, campaignId), before, 'row counts unchanged');
      const rec = (await (await app.api(`/imports/${body.error.details.importId}`)).json()) as { import: { status: string; error: string } };
      assert.equal(rec.import.status, 'rejected');
      assert.equal(rec.import.error, c.message);
      const stored = sqliteHandle(app.app.deps.store).prepare(`SELECT coalesce(sum(length(value)) + sum(length(raw)), 0) FROM import_errors WHERE import_id = ?`).pluck().get(body.error.details.importId) as number;
      assert.ok(stored < 200, `${stored} characters stored`);
    });
  }
});
