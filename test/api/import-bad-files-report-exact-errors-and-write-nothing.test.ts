import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { FIXTURES, createCampaign, expectations, fixture, storeCounts, uploadRaw, contactsOf } from '../helpers/imports.ts';

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
