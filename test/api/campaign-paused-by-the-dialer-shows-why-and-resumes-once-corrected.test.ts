/**
 * What the operator sees when the dialer pauses a campaign whose stored settings break it
 * (saved before the API checked them): GET /campaigns/:id says paused and why, naming the
 * setting; the other campaign keeps its rate; PATCH corrects the setting and resume clears
 * the reason and dialling starts again. The dialer runs on the app's database with a fake
 * Asterisk and a fake clock, stepped tick by tick.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { startTestApp } from '../helpers/app.ts';
import { rig, seedCampaign } from '../unit/dialer-fixture.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

type Json = any;

test('a campaign with a stored 1e20 retry delay is paused after 3 rounds with the reason in GET /campaigns/:id, and runs again once corrected', async (t) => {
  const app = await startTestApp({ telephony: false });
  t.after(() => app.close());
  const r = rig({ db: sqliteHandle(app.app.deps.store) });
  const debtors = (base: number) => Array.from({ length: 30 }, (_, i) => ({ phones: [`+${base + i}`] }));
  const bad = seedCampaign(r.db, {
    name: 'stored before the checks',
    debtors: debtors(31613000000),
    settings: { retryDelayMinutes: { ...DEFAULT_SETTINGS.retryDelayMinutes, busy: 1e20 } } as never,
  }).campaignId;
  const good = seedCampaign(r.db, { name: 'good', debtors: debtors(31612000000), settings: { maxCallsPerSecond: 2 } }).campaignId;
  const dialled = (prefix: string) => r.tel.calls.filter((c) => c.number.startsWith(prefix)).length;

  const goodPerTick: number[] = [];
  for (let i = 0; i < 4; i++) {
    const before = dialled('+31612');
    await r.dialer.tick();
    goodPerTick.push(dialled('+31612') - before);
    await r.clock.advance(1000);
  }
  assert.deepEqual(goodPerTick, [2, 2, 2, 2], 'the good campaign kept its 2 calls a second');
  assert.equal(dialled('+31613'), 0);

  const shown = (await (await app.api(`/campaigns/${bad}`)).json()) as Json;
  assert.equal(shown.state, 'paused');
  assert.deepEqual(shown.actions, ['resume', 'finish']);
  assert.match(shown.pausedReason, /failed on 3 rounds in a row/);
  assert.match(shown.pausedReason, /settings\.retryDelayMinutes\.busy must be at most 129600/);
  assert.equal(((await (await app.api(`/campaigns/${good}`)).json()) as Json).pausedReason, null);

  // Another change must name the stored problem rather than keep it.
  const rename = await app.api(`/campaigns/${bad}`, { method: 'PATCH', json: { settings: { ringTimeoutSec: 30 } } });
  assert.equal(rename.status, 400);
  assert.equal(((await rename.json()) as Json).error.details[0].field, 'settings.retryDelayMinutes.busy');

  const fixed = await app.api(`/campaigns/${bad}`, { method: 'PATCH', json: { settings: { retryDelayMinutes: { busy: 30 } } } });
  assert.equal(fixed.status, 200, await fixed.clone().text());
  const resumed = (await (await app.api(`/campaigns/${bad}/resume`, { method: 'POST' })).json()) as Json;
  assert.equal(resumed.state, 'running');
  assert.equal(resumed.pausedReason, null, 'resuming clears the reason');

  await r.dialer.tick();
  assert.ok(dialled('+31613') > 0, 'the corrected campaign dials');
  assert.equal(((await (await app.api(`/campaigns/${bad}`)).json()) as Json).state, 'running');
});

test('an operator pause shows no dialer reason', async (t) => {
  const app = await startTestApp({ telephony: false });
  t.after(() => app.close());
  const created = (await (await app.api('/campaigns', { method: 'POST', json: { name: 'x', mode: 'agentless', callerId: '+31201234567' } })).json()) as Json;
  await app.api(`/campaigns/${created.id}/start`, { method: 'POST' });
  const paused = (await (await app.api(`/campaigns/${created.id}/pause`, { method: 'POST' })).json()) as Json;
  assert.equal(paused.state, 'paused');
  assert.equal(paused.pausedReason, null);
});
