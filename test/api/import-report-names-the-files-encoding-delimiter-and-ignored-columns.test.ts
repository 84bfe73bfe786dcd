/**
 * GET /imports/:id tells what the file turned out to be (encoding, delimiter, ignored
 * columns), as the synchronous answer does: an operator following a background import
 * (the console's upload page) sees the same facts once the check pass has read the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createCampaign, followImport } from '../helpers/imports.ts';

type View = { import: { status: string }; format: { encoding: string; delimiter: string; ignoredColumns: string[] } | null };

const finished = async (app: TestApp, location: string) => (await followImport<View>(app, location)).at(-1)!;

test('a background import of a Windows-1252, comma-separated file with an extra column reports all three', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  // "Zoë" in Windows-1252 (ë = 0xEB): not valid UTF-8.
  const body = Buffer.concat([Buffer.from('debiteurnummer,naam,telefoon,bedrag,factuurnummer,opmerking\r\nD1,Zo', 'latin1'), Buffer.from([0xeb]), Buffer.from(',06-12345678,"12,50",F1,bellen na 5\r\n', 'latin1')]);
  const res = await app.api(`/campaigns/${id}/imports?async=true`, { method: 'POST', body, headers: { 'content-type': 'text/csv' } });
  assert.equal(res.status, 202);
  const view = await finished(app, res.headers.get('location')!);
  assert.equal(view.import.status, 'completed');
  assert.deepEqual(view.format, { encoding: 'windows-1252', delimiter: ',', ignoredColumns: ['opmerking'] });
});

test('a rejected file still reports its format (the operator fixes the file, not the guesswork)', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  const res = await app.api(`/campaigns/${id}/imports?async=true`, { method: 'POST', body: 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\nD1;Jan;12;1,00;F1\n', headers: { 'content-type': 'text/csv' } });
  const view = await finished(app, res.headers.get('location')!);
  assert.equal(view.import.status, 'rejected');
  assert.deepEqual(view.format, { encoding: 'utf-8', delimiter: ';', ignoredColumns: [] });
});
