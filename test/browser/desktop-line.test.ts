/**
 * The agent's line in the browser desktop (docs/agent-line.md): logging in opens it (the
 * simulated desk phone rings once and answers), a debtor is put through without a new
 * ring, a dropped line shows on screen with the agent paused, and the desktop opens it again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserFor, byId } from './chromium.ts';
import { openRig } from '../e2e/transfer-harness.ts';

const lineIs = (page: Page, state: string) => page.waitForSelector(`[data-testid="line"][data-state="${state}"]`);
const stateIs = (page: Page, state: string) => page.waitForSelector(`[data-testid="agent-state"][data-state="${state}"]`);

test('logging in opens the line; a debtor arrives without a ring; a dropped line is shown, pauses the agent and is opened again', async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const rig = await openRig({ scale: 10, wrapUpSec: 3600 });
  try {
    const srv = await rig.serve();
    const annaId = rig.agent('Anna de Vries', 'PJSIP/agent1', { outcome: 'answer', ringMs: 1000 });
    const page = await (await browser.newContext()).newPage();
    await page.goto(srv.url + '/desktop');
    await byId(page, 'token').fill(srv.token('agent', annaId));
    await byId(page, 'login-button').click();
    await lineIs(page, 'open');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 1);
    await byId(page, 'go-available').click();
    await stateIs(page, 'available');

    const { call, callId } = await rig.debtorCall();
    assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'connected', agentId: annaId });
    await page.waitForSelector('[data-testid="case"][data-phase="connected"]:not([hidden])');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 1, 'no new ring for the debtor');
    rig.sim.asterisk.hangUpPhone(call.id, 16);
    await rig.desk.whenFinished(callId);
    await byId(page, 'wrapup-end').click();
    await stateIs(page, 'available');

    // The line drops: paused, said on screen, and the desktop rings the phone again (2 s backoff).
    rig.sim.asterisk.hangUpPhone(rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!.channelId, 16);
    await stateIs(page, 'paused');
    await page.waitForFunction(() => /line dropped/i.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ''));
    await lineIs(page, 'open');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 2, 'one new ring to open the line again');
    assert.equal(rig.desk.lines.info(annaId).state, 'open');

    await byId(page, 'logout').click();
    await byId(page, 'login').waitFor();
    assert.equal(rig.desk.lines.info(annaId).state, 'none', 'logging out hangs the line up');
  } finally {
    await rig.close();
  }
});
