/**
 * The console's supervisor page in Chromium, on Bereik with the simulated Asterisk: a debtor
 * talks with an agent on her open line; a supervisor logs in with their own token, sees the
 * call (agent, since, the number masked) and uses Listen, Whisper, Barge and Stop; the
 * simulated phones hear what real ones would at each step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { screenshot } from './console.ts';
import { openRig } from '../e2e/transfer-harness.ts';
import type { PhoneCallRecord } from '../../src/sim/index.ts';

const hearsNow = (rec: PhoneCallRecord) => rec.voices.filter((v) => v.endedAtMs === null).map((v) => v.phone).sort();

test('a supervisor lists the live agent call in the console and listens, whispers, barges and stops from its buttons', { timeout: 120_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const rig = await openRig({ wrapUpSec: 30 });
  t.after(() => rig.close());
  const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 300 });
  const deskOfSam = rig.agent('Sam', 'PJSIP/sup1', { outcome: 'answer', ringMs: 300 });
  await rig.desk.lines.open(agentId);
  rig.desk.registry.apply(agentId, 'go_available');
  const debtor = '+31612345678';
  const { call, callId } = await rig.debtorCall(debtor);
  assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'connected', agentId });
  const srv = await rig.serve();

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(srv.url + '/console');
  await byId(page, 'lang').selectOption('en');
  await byId(page, 'token').fill(srv.token('supervisor', deskOfSam));
  await byId(page, 'login-button').click();
  await page.waitForSelector(`[data-testid="s-calls"] tr[data-call="${callId}"]`);
  assert.deepEqual(await page.locator('nav a').allTextContents(), ['Listen in'], 'a supervisor sees the live calls only');
  const row = page.locator(`tr[data-call="${callId}"]`);
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[0], 'Anna');
  assert.equal(cells[3], '+3161234****');
  assert.ok(!(await page.content()).includes(debtor), 'the full number is not on the page');

  const phone = (key: string) => rig.sim.asterisk.phone(key).calls.at(-1)!;
  const choose = async (id: string, shown: string) => {
    await row.getByTestId(id).click();
    await page.waitForFunction(([c, m]) => document.querySelector(`tr[data-call="${c}"] [data-testid="s-mode"]`)?.textContent === m, [callId, shown] as const);
  };
  await choose('s-listen', 'Listen');
  assert.deepEqual(hearsNow(phone('PJSIP/sup1')), [debtor, 'PJSIP/agent1'].sort());
  assert.deepEqual(hearsNow(phone(debtor)), ['PJSIP/agent1']);
  await screenshot(page, 'supervisor');
  await choose('s-whisper', 'Whisper');
  assert.deepEqual(hearsNow(phone('PJSIP/agent1')), [debtor, 'PJSIP/sup1'].sort());
  assert.deepEqual(hearsNow(phone(debtor)), ['PJSIP/agent1']);
  await choose('s-barge', 'Barge');
  assert.deepEqual(hearsNow(phone(debtor)), ['PJSIP/agent1', 'PJSIP/sup1']);
  await choose('s-stop', '—');
  assert.equal(phone('PJSIP/sup1').hungUpBy, 'app');

  // In Dutch the same buttons.
  await byId(page, 'lang').selectOption('nl');
  assert.deepEqual(await row.locator('button').allTextContents(), ['Meeluisteren', 'Influisteren', 'Inbreken', 'Stoppen']);
});
