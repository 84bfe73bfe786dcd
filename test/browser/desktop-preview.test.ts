/**
 * Preview dialling in the browser desktop, on the whole service: an operator sets up a
 * preview campaign over the API; the agent logs in, asks for the next case, reads it,
 * clicks Dial, and talks to the debtor once the virtual phone answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserFor, byId } from './chromium.ts';
import { ScaledClock } from '../../src/lib/clock.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { startTestApp } from '../helpers/app.ts';
import { listCalls } from '../../src/store/calls.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

/** Monday 23 Nov 2026 10:00 in Amsterdam: inside the calling window. */
const ORIGIN = Date.parse('2026-11-23T09:00:00Z');
const CSV = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Risico;Opdrachtgever\r\nP1;Petra Preview;06-22222201;€ 2.500,00;F-77;31-12-2026;hoog;Energie Noord BV\r\n';

test('an agent asks for a preview case, sees the debtor and claims, clicks Dial and is put through', { timeout: 90_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
  t.after(() => rmSync(ttsDir, { recursive: true, force: true }));
  const tts = new SilentTts({ cacheDir: ttsDir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  // 4×: the agent must join within 2 virtual seconds of the debtor's answer (else the call is
  // abandoned, by rule); at 10× that left 200 real ms, which a loaded CI machine missed.
  const h = await startTestApp({ clock: new ScaledClock(4, ORIGIN), config: { dialer: { tickMs: 1000 }, agents: { wrapUpSec: 3600 } }, telephony: { tts } });
  t.after(() => h.close());

  const campaign = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'Preview', mode: 'preview', callerId: '+31201234567', settings: { amd: false } } })).json()) as { id: number };
  assert.equal((await h.api(`/campaigns/${campaign.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV })).status, 201);
  assert.equal((await h.api(`/campaigns/${campaign.id}/start`, { method: 'POST' })).status, 200);
  // Call-centre agent phones auto-answer (headset): ringing the agent after the debtor answers
  // must still connect within the 2-second abandon rule.
  h.app.deps.engine!.sim!.asterisk.setBehaviour('PJSIP/agent1001', { outcome: 'answer', ringMs: 300, context: 'bereik-agents' } as never);
  const agent = (await (await h.api('/agents', { method: 'POST', json: { name: 'Anna de Vries', endpoint: 'PJSIP/agent1001' } })).json()) as { id: number };
  const { token } = (await (await h.api(`/agents/${agent.id}/token`, { method: 'POST', role: 'admin' })).json()) as { token: string };

  const page = await (await browser.newContext()).newPage();
  await page.goto(h.url + '/desktop');
  await byId(page, 'token').fill(token);
  await byId(page, 'login-button').click();
  await page.waitForSelector('[data-testid="agent-state"][data-state="offline"]');
  await byId(page, 'go-available').click();
  await page.waitForSelector('[data-testid="agent-state"][data-state="available"]');

  // Nothing is dialled until the agent asks: preview campaigns wait for the click.
  await h.app.deps.clock.delay(5000);
  assert.equal(listCalls(sqliteHandle(h.app.deps.store), { campaignId: campaign.id }).length, 0);

  await byId(page, 'preview-next').click();
  await page.waitForSelector('[data-testid="pv-case"]:not([hidden])');
  assert.equal(await byId(page, 'pv-name').textContent(), 'Petra Preview');
  assert.equal(await byId(page, 'pv-phone').textContent(), '+31622222201');
  assert.match((await byId(page, 'pv-claims').textContent()) ?? '', /F-77.*Energie Noord BV.*2\.500,00/);

  await byId(page, 'pv-dial').click();
  await page.waitForFunction(() => /Dialling/.test(document.querySelector('[data-testid="pv-status"]')?.textContent ?? ''));
  // The virtual debtor answers; the agent's phone rings and answers; the screen pop shows the call.
  await page.waitForSelector('[data-testid="case"][data-phase="connected"]:not([hidden])', { timeout: 30_000 }).catch((err: Error) => {
    const calls = listCalls(sqliteHandle(h.app.deps.store), {});
    throw new Error(`${err.message}\ncalls: ${JSON.stringify(calls)}\nphones: ${JSON.stringify(h.app.deps.engine!.sim!.asterisk.calls().slice(-3))}`);
  });
  assert.equal(await byId(page, 'debtor-name').textContent(), 'Petra Preview');
  const [call] = listCalls(sqliteHandle(h.app.deps.store), { campaignId: campaign.id, direction: 'outbound' });
  assert.ok(call, 'one outbound call was placed');
  assert.equal(call.toNumber, '+31622222201');
  const legs = listCalls(sqliteHandle(h.app.deps.store), { direction: 'agent' });
  assert.ok(legs.some((l) => l.parentCallId === call.id && l.agentId === agent.id), 'the agent who dialled took the call');
});
