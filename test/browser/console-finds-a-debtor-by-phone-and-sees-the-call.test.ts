/**
 * The console's debtor page in Chromium, on the whole service with the simulated Asterisk:
 * the campaign calls a debtor, who confirms and presses 1; the operator types the number
 * as the debtor says it and sees that call (keys, AMD, result, duration) in the timeline
 * with the open claim.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot, startOnSimulator, tableRows } from './console.ts';

const CSV = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Opdrachtgever;Betaallink\r\nT1;Tineke Terug;06-33333301;€ 123,45;F-9;Water Zuid BV;https://betaal.example.nl/p/9\r\n';
const PHONE = '+31633333301';

test('an operator finds a debtor by the phone number they give and sees the call that just happened', { timeout: 120_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startOnSimulator(t, 20);
  h.app.deps.engine!.sim!.asterisk.setBehaviour(PHONE, {
    ringMs: 2000, outcome: 'answer', hangup: { idleMs: 15000 },
    keys: [{ afterPrompt: 1, on: 'end', delayMs: 500, keys: '1' }, { afterPrompt: 2, on: 'end', delayMs: 500, keys: '1' }],
  } as never);
  const campaign = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'Water', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };
  assert.equal((await h.api(`/campaigns/${campaign.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV })).status, 201);
  assert.equal((await h.api(`/campaigns/${campaign.id}/start`, { method: 'POST' })).status, 200);

  type Call = { id: string; state: string; dtmfPath: string; result: string | null };
  let call: Call | undefined;
  for (const until = Date.now() + 60_000; Date.now() < until && !call; await new Promise((r) => setTimeout(r, 250))) {
    const { items } = (await (await h.api(`/calls?campaign=${campaign.id}&direction=outbound`)).json()) as { items: Call[] };
    call = items.find((c) => c.state === 'ended');
  }
  assert.ok(call, 'the campaign called the debtor and the call ended');

  const page = await openConsole(browser, h);
  await byId(page, 'nav-debtors').click();
  await byId(page, 'd-q').fill('06 3333 3301');
  await byId(page, 'd-search').click();
  await byId(page, 'd-hit').click();
  await page.waitForSelector(`[data-testid="d-timeline"] tr[data-kind="call"][data-id="${call.id}"]`);
  assert.equal(await byId(page, 'd-name').textContent(), 'Tineke Terug (T1)');
  const [claim] = await tableRows(page, 'd-claims');
  assert.deepEqual([claim![0], claim![1], claim![4]], ['F-9', 'Water Zuid BV', 'open']);
  const row = await page.locator(`tr[data-kind="call"][data-id="${call.id}"]`).textContent();
  assert.match(row ?? '', /direction: outbound/);
  assert.match(row ?? '', new RegExp(`keys: ${call.dtmfPath}`));
  assert.match(row ?? '', new RegExp(`result: ${call.result}`));
  assert.match(row ?? '', /durationSec: \d+/);
  await screenshot(page, 'debtor');

  // The pay link again, from the page: the API queues it (or says why not) and the timeline shows it.
  const messagesBefore = await page.locator('[data-testid="d-timeline"] tr[data-kind="message"]').count();
  await byId(page, 'd-paylink-sms').click();
  await page.waitForFunction(() => /\S/.test((document.querySelector('[data-testid="d-action-ok"]')?.textContent ?? '') + (document.querySelector('[data-testid="d-action-error"]')?.textContent ?? '')));
  const refused = await byId(page, 'd-action-error').textContent();
  assert.equal(refused, '', `the pay link was queued: ${refused}`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="d-timeline"] tr[data-kind="message"]').length === n + 1, messagesBefore);
});
