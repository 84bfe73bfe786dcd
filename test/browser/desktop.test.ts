/**
 * The agent desktop in headless Chromium through a whole warm transfer with a virtual
 * debtor on the simulator: log in, go available, the screen pop, the call connects,
 * a network drop and a reload mid-session, the debtor hangs up, a promise to pay is
 * recorded, wrap-up ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { browserFor, byId } from './chromium.ts';
import { openRig } from '../e2e/transfer-harness.ts';
import { listDispositions } from '../../src/store/dispositions.ts';

async function textOf(page: Page, id: string, expected: string | RegExp): Promise<void> {
  await page.waitForFunction(
    ([tid, src, flags]) => {
      const el = document.querySelector(`[data-testid="${tid}"]`);
      return !!el && new RegExp(src!, flags).test(el.textContent ?? '');
    },
    [id, typeof expected === 'string' ? `^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : expected.source, typeof expected === 'string' ? '' : expected.flags],
  );
}
const stateIs = (page: Page, state: string) => page.waitForSelector(`[data-testid="agent-state"][data-state="${state}"]`);
const phaseIs = (page: Page, phase: string) => page.waitForSelector(`[data-testid="case"][data-phase="${phase}"]:not([hidden])`);

test('an agent takes a warm transfer in the browser desktop and records a promise to pay', async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  // scale 10: a 2 s ring is 0.2 s real; wrap-up is long so the browser has time to record the result.
  const rig = await openRig({ scale: 10, wrapUpSec: 3600 });
  try {
    const srv = await rig.serve();
    const upgraded: Socket[] = [];
    srv.http.server.on('upgrade', (_req, socket: Socket) => upgraded.push(socket));
    const annaId = rig.agent('Anna de Vries', 'PJSIP/agent1', { outcome: 'answer', ringMs: 2000 });
    const token = srv.token('agent', annaId);

    const page = await (await browser.newContext()).newPage();
    await page.goto(srv.url + '/desktop');
    await byId(page, 'token').fill(token);
    await byId(page, 'login-button').click();
    await textOf(page, 'agent-name', 'Anna de Vries');
    await stateIs(page, 'offline');

    // A reload keeps the agent logged in (token in sessionStorage).
    await page.reload();
    await textOf(page, 'agent-name', 'Anna de Vries');
    assert.equal(await byId(page, 'login').isHidden(), true);

    await byId(page, 'go-available').click();
    await stateIs(page, 'available');
    assert.equal(rig.desk.registry.get(annaId)?.state, 'available');

    const { call, callId } = await rig.debtorCall();
    const outcome = rig.desk.transfer(rig.request(call, callId));
    await textOf(page, 'debtor-name', 'Jan Jansen');
    await textOf(page, 'risk', 'high');
    await textOf(page, 'keys', '1 2');
    await textOf(page, 'claims', /F-77.*Energie BV.*€\s1\.234,56/);
    await textOf(page, 'reason', 'chose to speak to an agent');
    await textOf(page, 'whisper', /^Jan Jansen\. twaalfhonderdvijfendertig euro\. Risico/);
    await phaseIs(page, 'connected');
    assert.deepEqual(await outcome, { kind: 'connected', agentId: annaId });
    await stateIs(page, 'talking');

    // The network drops under the desktop: it reconnects and still shows the live call.
    for (const s of upgraded.splice(0)) s.destroy();
    await page.waitForSelector('[data-testid="connection"].off');
    await page.waitForSelector('[data-testid="connection"].on');
    await phaseIs(page, 'connected');
    await textOf(page, 'debtor-name', 'Jan Jansen');

    rig.sim.asterisk.hangUpPhone(call.id, 16);
    await rig.desk.whenFinished(callId);
    await phaseIs(page, 'ended');
    await stateIs(page, 'wrap_up');

    // A reload in wrap-up brings the case back, so the result can still be recorded.
    await page.reload();
    await phaseIs(page, 'ended');
    await textOf(page, 'debtor-name', 'Jan Jansen');

    await byId(page, 'd-kind').selectOption('promise_to_pay');
    await byId(page, 'd-date').fill('2030-01-15');
    await byId(page, 'd-amount').fill('500,00');
    await byId(page, 'd-note').fill('Betaalt de helft eind januari');
    await byId(page, 'd-save').click();
    await textOf(page, 'd-status', 'Saved.');
    assert.deepEqual(
      listDispositions(rig.db, { agentId: annaId }).map((d) => ({ kind: d.kind, date: d.promiseDate, cents: d.amountCents, callId: d.callId, claimId: d.claimId })),
      [{ kind: 'promise_to_pay', date: '2030-01-15', cents: 50000, callId, claimId: rig.claimId }],
    );
    assert.equal((rig.db.prepare('SELECT status FROM claims WHERE id = ?').get(rig.claimId) as { status: string }).status, 'promised');

    await byId(page, 'wrapup-end').click();
    await stateIs(page, 'available');
    await page.waitForSelector('[data-testid="idle"]:not([hidden])');
    assert.equal(rig.desk.registry.get(annaId)?.state, 'available');
  } finally {
    await rig.close();
  }
});
