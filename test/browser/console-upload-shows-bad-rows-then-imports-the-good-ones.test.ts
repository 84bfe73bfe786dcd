/**
 * The console's upload page in Chromium: a file with bad rows is refused whole, the page
 * lists exactly the bad rows the API found (line, column, value, reason) with the file's
 * format, and one click imports the good rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot, tableRows } from './console.ts';
import { startTestApp } from '../helpers/app.ts';

const CSV = [
  'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Opdrachtgever;Notitie',
  'D1;Anna Jansen;06-12345671;€ 100,00;F-1;31-12-2026;Energie BV;x',
  'D2;Bram Bakker;12;€ 200,00;F-2;31-12-2026;Energie BV;x',
  'D3;Cor de Wit;06-12345673;€ 300,00;F-3;31-12-2026;Energie BV;x',
  'D4;Dirk Dijk;06-12345674;veel;F-4;31-12-2026;Energie BV;x',
  'D5;Eva Evers;06-12345675;€ 500,00;F-5;31-12-2026;Energie BV;x',
].join('\r\n') + '\r\n';

test('an operator uploads a file with bad rows, sees exactly those rows, and imports the good rows with one click', { timeout: 90_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp();
  t.after(() => h.close());
  const dir = mkdtempSync(join(tmpdir(), 'bereik-console-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'dagbestand.csv');
  writeFileSync(file, CSV);
  const campaign = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'Dagbestand', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };

  const page = await openConsole(browser, h);
  await page.goto(`${h.url}/console#/upload/${campaign.id}`);
  await byId(page, 'u-file').setInputFiles(file);
  await page.waitForSelector('[data-testid="u-result"][data-status="rejected"]');

  const [imp] = ((await (await h.api(`/campaigns/${campaign.id}/imports`)).json()) as { items: { id: number }[] }).items;
  const api = (await (await h.api(`/imports/${imp!.id}`)).json()) as { errors: { line: number; column: string | null; value: string | null; reason: string }[] };
  assert.deepEqual(api.errors.map((e) => e.line), [3, 5], 'the API found the two bad rows');
  assert.deepEqual(await tableRows(page, 'u-errors'), api.errors.map((e) => [String(e.line), e.column ?? '', e.value ?? '', e.reason]));
  assert.equal(await byId(page, 'u-rows').textContent(), '5');
  assert.equal(await byId(page, 'u-rejected').textContent(), '2');
  assert.equal(await byId(page, 'u-imported').textContent(), '0');
  assert.equal(await byId(page, 'u-encoding').textContent(), 'utf-8');
  assert.equal(await byId(page, 'u-delimiter').textContent(), ';');
  assert.equal(await byId(page, 'u-ignored').textContent(), 'Notitie');
  await screenshot(page, 'upload');

  // The rejects CSV downloads with the token (a plain link could not send it).
  const [download] = await Promise.all([page.waitForEvent('download'), byId(page, 'u-rejects').click()]);
  const rejects = readFileSync((await download.path())!, 'utf8');
  assert.match(rejects, /D2;Bram Bakker;12;/);
  assert.match(rejects, /D4;Dirk Dijk;06-12345674;veel;/);
  assert.doesNotMatch(rejects, /Anna Jansen/);

  await byId(page, 'u-good-rows').click();
  await page.waitForSelector('[data-testid="u-result"][data-status="partial"]');
  assert.equal(await byId(page, 'u-imported').textContent(), '3');
  const contacts = (await (await h.api(`/campaigns/${campaign.id}/contacts`)).json()) as { items: unknown[] };
  assert.equal(contacts.items.length, 3, 'the three good rows are contacts of the campaign');
});
