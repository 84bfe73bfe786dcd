/**
 * The console's debtor actions in Chromium: the operator puts the debtor's number on the
 * do-not-call list, records a payment the office received and a promise to pay; each shows
 * in the timeline at once, and the API stores what the page showed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot, tableRows } from './console.ts';
import { startTestApp } from '../helpers/app.ts';

const CSV = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Opdrachtgever\r\nA1;Anke Actie;06-22222201;€ 123,45;F-77;Water Zuid BV\r\n';

test('an operator puts a number on the do-not-call list and records a payment and a promise from the debtor page', { timeout: 120_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp();
  t.after(() => h.close());
  const campaign = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'Acties', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };
  assert.equal((await h.api(`/campaigns/${campaign.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV })).status, 201);
  const { items: [debtor] } = (await (await h.api('/debtors?q=A1')).json()) as { items: { id: number }[] };

  const page = await openConsole(browser, h);
  await page.goto(`${h.url}/console#/debtors/${debtor!.id}`);
  await byId(page, 'd-dnc').waitFor();

  // Do not call: the phone is marked, the timeline has the entry, and the API says so.
  await byId(page, 'd-dnc-reason').fill('asked on the phone');
  await byId(page, 'd-dnc').click();
  await page.waitForSelector('[data-testid="d-timeline"] tr[data-kind="dnc"]');
  assert.equal(await byId(page, 'd-dnc-ok').textContent(), '+31622222201 is on the do-not-call list.');
  assert.match((await byId(page, 'd-phones').textContent())!, /\+31622222201 \(do not call\)/);
  const timeline = (await (await h.api(`/debtors/${debtor!.id}/timeline`)).json()) as { debtor: { phones: { dnc: boolean }[] }; entries: { kind: string; detail: Record<string, unknown> }[] };
  assert.equal(timeline.debtor.phones[0]!.dnc, true);
  assert.equal(timeline.entries.find((e) => e.kind === 'dnc')?.detail.reason, 'asked on the phone');

  // A payment of € 50,00: in the timeline, the claim's open amount falls, stored as matched to the claim.
  await byId(page, 'd-rec-amount').fill('50,00');
  await byId(page, 'd-rec-date').fill('2026-11-20');
  await byId(page, 'd-record').click();
  await page.waitForSelector('[data-testid="d-timeline"] tr[data-kind="payment"]');
  assert.match((await page.locator('[data-testid="d-timeline"] tr[data-kind="payment"]').textContent())!, /€\s?50\.00/);
  await page.waitForFunction(() => /73\.45/.test(document.querySelector('[data-testid="d-claims"] tbody tr')?.textContent ?? ''));
  const { items: paid } = (await (await h.api(`/payments?debtorId=${debtor!.id}`)).json()) as { items: { amountCents: number; status: string; bookedOn: string }[] };
  assert.deepEqual(paid.map((p) => [p.amountCents, p.status, p.bookedOn]), [[5000, 'matched', '2026-11-20']]);

  // A promise to pay by 1 December: a disposition in the timeline; the claim is promised.
  await byId(page, 'd-rec-kind').selectOption('promise');
  await byId(page, 'd-rec-amount').fill('');
  await byId(page, 'd-rec-date').fill('2026-12-01');
  await byId(page, 'd-record').click();
  await page.waitForSelector('[data-testid="d-timeline"] tr[data-kind="disposition"]');
  assert.match((await page.locator('[data-testid="d-timeline"] tr[data-kind="disposition"]').textContent())!, /2026-12-01/);
  await page.waitForFunction(() => /promised/.test(document.querySelector('[data-testid="d-claims"] tbody tr')?.textContent ?? ''));
  assert.equal((await tableRows(page, 'd-claims'))[0]![4], 'promised');
  await screenshot(page, 'debtor-actions');
});
