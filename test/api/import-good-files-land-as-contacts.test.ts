import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { FIXTURES, contactsOf, createCampaign, expectations, fixture, uploadRaw, type ContactView } from '../helpers/imports.ts';

interface Expected {
  rows: number;
  debtors: number;
  encoding: string;
  delimiter: string;
  ignoredColumns?: string[];
  contacts: Partial<ContactView>[];
}

const expected = expectations<Expected>('good');

test('every file in test/fixtures/good has an expectation', () => {
  const files = readdirSync(join(FIXTURES, 'good')).filter((f) => f !== 'expected.json').sort();
  assert.deepEqual(files, Object.keys(expected).sort());
});

test('good files import completely and the operator sees each claim as a contact', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  for (const [name, exp] of Object.entries(expected)) {
    await t.test(name, async () => {
      const campaignId = await createCampaign(app, { name });
      const res = await uploadRaw(app, campaignId, fixture('good', name));
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, 201, JSON.stringify(body));
      assert.equal(body.status, 'completed');
      assert.equal(body.rowsTotal, exp.rows);
      assert.equal(body.rowsImported, exp.rows);
      assert.equal(body.encoding, exp.encoding);
      assert.equal(body.delimiter, exp.delimiter);
      if (exp.ignoredColumns) assert.deepEqual(body.ignoredColumns, exp.ignoredColumns);
      const contacts = await contactsOf(app, campaignId);
      assert.equal(contacts.length, exp.rows);
      exp.contacts.forEach((want, i) => {
        const got = contacts[i]!;
        for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof ContactView], v, `${name} row ${i + 1} ${k}`);
      });
    });
  }
});
