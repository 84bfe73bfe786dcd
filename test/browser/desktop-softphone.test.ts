/**
 * The desktop softphone's controls on the simulator (docs/agent-softphone.md): Chromium
 * with a fake microphone lists the devices, meters the microphone, mutes it, shows that
 * Asterisk's WebSocket cannot be reached and retries; a refused microphone is said in the
 * agent's language with a Retry button; logging out deletes the SIP account. The call
 * itself (registration, line, RTP) is proven on the real Asterisk:
 * test/asterisk/softphone-line-takes-a-debtor-without-ringing.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserFor, byId, WEBRTC_ARGS } from './chromium.ts';
import { openRig } from '../e2e/transfer-harness.ts';
import { until } from '../helpers/until.ts';

/** Nothing listens there: the softphone keeps trying. */
const NO_ASTERISK = 'ws://127.0.0.1:9/ws';
const statusIs = (page: Page, state: string) => page.waitForSelector(`[data-testid="softphone-status"][data-state="${state}"]`);

/** Chromium with fake devices and a simulator whose softphone setting points nowhere; undefined when Chromium cannot run here. */
async function softphoneRig(t: Parameters<typeof browserFor>[0]) {
  const browser = await browserFor(t, WEBRTC_ARGS);
  if (!browser) return undefined;
  const rig = await openRig({ scale: 10, softphoneWsUrl: NO_ASTERISK });
  const srv = await rig.serve();
  const annaId = rig.agent('Anna de Vries', 'PJSIP/agent1', { outcome: 'answer', ringMs: 0 });
  /** Opens /desktop in a context of this locale and logs Anna in. */
  const login = async (locale: string, init?: () => void, sameBrowserAs?: Page) => {
    const ctx = sameBrowserAs?.context() ?? (await browser.newContext({ locale }));
    if (init) await ctx.addInitScript(init);
    const page = await ctx.newPage();
    await page.goto(srv.url + '/desktop');
    await byId(page, 'token').fill(srv.token('agent', annaId));
    await byId(page, 'login-button').click();
    return page;
  };
  return { rig, annaId, login };
}

test('the softphone lists the fake microphone, meters and mutes it, retries an unreachable Asterisk, and logout deletes its account', async (t) => {
  const r = await softphoneRig(t);
  if (!r) return;
  const { rig } = r;
  try {
    const page = await r.login('en-GB');
    await byId(page, 'softphone').waitFor();
    await statusIs(page, 'reconnecting');
    assert.match(await byId(page, 'softphone-status').textContent() ?? '', /connection lost — retrying in \d+ s/);
    assert.equal(rig.sim.asterisk.pjsip.ids('endpoint').length, 1, 'Bereik pushed the SIP account to Asterisk');

    // Chromium's fake devices, named once the microphone is allowed.
    const mics = await byId(page, 'softphone-mic').locator('option').allTextContents();
    assert.ok(mics.length >= 1 && mics.every((m) => m.length > 0), `microphones listed: ${JSON.stringify(mics)}`);
    assert.ok((await byId(page, 'softphone-speaker').locator('option').count()) >= 1, 'a speaker to choose');
    // The fake microphone beeps: the meter moves.
    await page.waitForFunction(() => (document.querySelector('[data-testid="softphone-level"]') as HTMLMeterElement).value > 0.01, undefined, { timeout: 10_000 });

    await byId(page, 'softphone-mute').click();
    assert.equal(await byId(page, 'softphone-mute').getAttribute('aria-pressed'), 'true');
    assert.equal(await byId(page, 'softphone-mute').textContent(), 'Unmute');
    await page.waitForFunction(() => (document.querySelector('[data-testid="softphone-level"]') as HTMLMeterElement).value === 0);
    await byId(page, 'softphone-mute').click();
    assert.equal(await byId(page, 'softphone-mute').getAttribute('aria-pressed'), 'false');

    // The line waits for the softphone: it never rang the desk phone.
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 0);

    await byId(page, 'logout').click();
    await byId(page, 'login').waitFor();
    await until('the SIP account deleted', () => rig.sim.asterisk.pjsip.ids('endpoint').length === 0);
  } finally {
    await rig.close();
  }
});

test('a second tab of the same browser leaves the phone to the first, says so, and takes it over when the first closes', async (t) => {
  const r = await softphoneRig(t);
  if (!r) return;
  const { rig } = r;
  try {
    const first = await r.login('en-GB');
    await statusIs(first, 'reconnecting');
    const second = await r.login('en-GB', undefined, first);
    await statusIs(second, 'elsewhere').catch(async (e) => assert.fail(`${e.message}: ${await byId(second, 'softphone-status').getAttribute('data-state')} / ${await byId(second, 'softphone-message').textContent()} / line ${await byId(second, 'line').textContent()}`));
    assert.equal(await byId(second, 'softphone-status').textContent(), 'in another tab');
    assert.match(await byId(second, 'softphone-message').textContent() ?? '', /open in another tab of this browser; calls come in there/);
    assert.equal(await byId(second, 'softphone-retry').isHidden(), true, 'nothing to retry: the phone is fine, it is elsewhere');
    assert.notEqual(await byId(second, 'line').getAttribute('data-state'), 'dropped', 'the second tab does not call the line dropped');
    assert.equal(rig.sim.asterisk.pjsip.ids('endpoint').length, 1, 'one SIP account for the agent');
    // The first tab still has the phone: it keeps trying to reach Asterisk, the second does not.
    await statusIs(first, 'reconnecting');

    await first.close();
    await statusIs(second, 'reconnecting').catch(async (e) => assert.fail(`${e.message}: ${await byId(second, 'softphone-status').getAttribute('data-state')} / ${await byId(second, 'softphone-message').textContent()} / line ${await byId(second, 'line').textContent()}`));
    assert.doesNotMatch(await byId(second, 'softphone-message').textContent() ?? '', /another tab/);
    assert.equal(rig.sim.asterisk.pjsip.ids('endpoint').length, 1, 'the account lives on for the tab that took over');
  } finally {
    await rig.close();
  }
});

test('a refused microphone is said in Dutch with a Retry button, and the line is not opened', async (t) => {
  const r = await softphoneRig(t);
  if (!r) return;
  const { rig, annaId } = r;
  try {
    // What Chromium answers when the agent (or a policy) blocks the microphone for the site.
    const page = await r.login('nl-NL', () => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await statusIs(page, 'no-mic');
    assert.equal(await byId(page, 'softphone-status').textContent(), 'geen microfoon');
    assert.match(await byId(page, 'softphone-message').textContent() ?? '', /De browser weigert de microfoon\. Sta de microfoon toe/);
    assert.equal(await byId(page, 'softphone-retry').isVisible(), true);
    assert.equal(await byId(page, 'softphone-retry').textContent(), 'Opnieuw');
    await page.waitForSelector('[data-testid="line"][data-state="dropped"]');
    assert.match(await byId(page, 'line').textContent() ?? '', /weigert de microfoon/);
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 0, 'no line without a microphone');
    assert.equal(rig.desk.lines.info(annaId).state, 'none');
  } finally {
    await rig.close();
  }
});
