/**
 * The console's debtor page in Chromium: after a recorded conversation with an agent (on the
 * simulated Asterisk), the operator sees the recording on the debtor's page, plays it in the
 * page and downloads it as a WAV.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { openRig } from '../e2e/transfer-harness.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { isoUtc } from '../../src/lib/clock.ts';

test("an operator plays and downloads a recording from the debtor's page", { timeout: 120_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const rig = await openRig({ wrapUpSec: 30 });
  t.after(() => rig.close());
  const store = createSqliteStore(rig.db);
  const campaignId = store.campaigns.insert({ name: 'Opgenomen', mode: 'agentless', callerId: '+31201234567', language: 'nl', defaultCountry: 'NL', settings: JSON.stringify({ recordAgentCalls: true, announceRecording: true }) }, isoUtc(rig.clock.now()));
  const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 300 });
  rig.desk.registry.apply(agentId, 'go_available');
  const { call, callId } = await rig.debtorCall();
  assert.deepEqual(await rig.desk.transfer(rig.request(call, callId, { campaignId })), { kind: 'connected', agentId });
  await rig.clock.delay(5000);
  rig.sim.asterisk.hangUpPhone(call.id, 16);
  await rig.desk.whenFinished(callId);
  const srv = await rig.serve();

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(srv.url + '/console');
  await byId(page, 'lang').selectOption('en');
  await byId(page, 'token').fill(srv.token('operator'));
  await byId(page, 'login-button').click();
  await byId(page, 'nav-campaigns').waitFor();
  await page.goto(`${srv.url}/console#/debtors/${rig.debtorId}`);
  await byId(page, 'rec-list').waitFor();
  const item = await byId(page, 'rec-list').textContent();
  assert.match(item ?? '', /\d s · notice played/);

  await byId(page, 'rec-play').click();
  const audio = byId(page, 'rec-audio');
  await audio.waitFor();
  assert.match((await audio.getAttribute('src')) ?? '', /^blob:/, 'the audio came through the token, as a blob');

  const [file] = await Promise.all([page.waitForEvent('download'), byId(page, 'rec-download').click()]);
  assert.match(file.suggestedFilename(), /^recording-\d+\.wav$/);
  const { readFileSync } = await import('node:fs');
  const wav = readFileSync((await file.path())!);
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
});
