/**
 * Campaigns stored with settings the API now refuses (written before validation existed)
 * must not stall the dialer: each campaign's round is isolated, a campaign that fails
 * three rounds in a row is paused with the reason an operator can read, and the other
 * campaigns dial exactly as they would alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CampaignService } from '../../src/campaigns/service.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { createLogger, silentLogger } from '../../src/lib/log.ts';
import type { Pacer } from '../../src/dialer/runtime/deps.ts';
import { campaignState, events, rig, seedCampaign, type Rig } from './dialer-fixture.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const debtors = (n: number, base: number, timeZone?: string) => Array.from({ length: n }, (_, i) => ({ phones: [`+${base + i}`], ...(timeZone !== undefined ? { timeZone } : {}) }));
const GOOD = { maxCallsPerSecond: 2, maxConcurrentChannels: 100 };

/** Originates of the good campaign per tick, over `ticks` ticks one second apart. */
async function goodCallsPerTick(r: Rig, ticks: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const before = r.tel.calls.filter((c) => c.number.startsWith('+31612')).length;
    await r.dialer.tick();
    out.push(r.tel.calls.filter((c) => c.number.startsWith('+31612')).length - before);
    await r.clock.advance(1000);
  }
  return out;
}

function logLines(): { lines: Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination: sink }) };
}

const BAD: [string, Record<string, unknown>, string | undefined, RegExp][] = [
  ['a retry delay of 1e20 minutes', { retryDelayMinutes: { ...DEFAULT_SETTINGS.retryDelayMinutes, busy: 1e20 } }, undefined, /settings\.retryDelayMinutes\.busy/],
  ['an unknown default time zone', { defaultTimeZone: 'Mars/Olympus' }, '', /settings\.defaultTimeZone/],
];

for (const [what, settings, zone, field] of BAD) {
  test(`a campaign stored with ${what} is paused after 3 failing rounds, and the good campaign dials at its normal rate`, async () => {
    const alone = rig();
    seedCampaign(alone.db, { debtors: debtors(30, 31612000000), settings: GOOD });
    const baseline = await goodCallsPerTick(alone, 6);
    assert.deepEqual(baseline, [2, 2, 2, 2, 2, 2], 'alone, the good campaign dials 2 a second');

    const { lines, log } = logLines();
    const r = rig({ log });
    // Written straight to the store, as a campaign saved before the API validated settings.
    const bad = seedCampaign(r.db, { name: 'bad', debtors: debtors(30, 31613000000, zone), settings: settings as never });
    const good = seedCampaign(r.db, { name: 'good', debtors: debtors(30, 31612000000), settings: GOOD });
    const states: string[] = [];
    const perTick: number[] = [];
    for (let i = 0; i < 6; i++) {
      perTick.push(...(await goodCallsPerTick(r, 1)));
      states.push(campaignState(r.db, bad.campaignId));
    }
    assert.deepEqual(perTick, baseline, 'the good campaign dials exactly as it does alone');
    assert.deepEqual(states, ['running', 'running', 'paused', 'paused', 'paused', 'paused'], 'paused after the third failing round');
    assert.equal(r.tel.calls.filter((c) => c.number.startsWith('+31613')).length, 0, 'the bad campaign placed no call');
    assert.equal(campaignState(r.db, good.campaignId), 'running');

    const shown = new CampaignService({ store: createSqliteStore(r.db), clock: r.clock, log: silentLogger() }).get(bad.campaignId);
    assert.equal(shown.state, 'paused');
    assert.match(shown.pausedReason ?? '', /3 rounds in a row/);
    assert.match(shown.pausedReason ?? '', field, 'the reason names the bad setting');
    assert.equal(new CampaignService({ store: createSqliteStore(r.db), clock: r.clock, log: silentLogger() }).get(good.campaignId).pausedReason, null);
    assert.equal(events(r.db, 'campaign_paused').length, 1, 'the pause is in the event journal');

    const paused = lines.filter((l) => l.msg === 'campaign paused by the dialer');
    assert.equal(paused.length, 1);
    assert.equal(paused[0]!.campaignId, bad.campaignId);
    assert.equal(paused[0]!.level, 50, 'logged as an error');
    assert.match(String(paused[0]!.reason), field);
  });
}

test('a campaign that fails now and then but never 3 rounds in a row keeps running', async () => {
  let round = 0;
  const failOn = new Set([1, 2, 4, 5, 7, 8, 9]);
  const pacer: Pacer = ({ campaignId }) => {
    if (campaignId === flaky && failOn.has(round)) throw new Error('pacer lost its agent counts');
    return 1;
  };
  const r = rig({ pacer });
  const flaky = seedCampaign(r.db, { name: 'flaky', mode: 'progressive', debtors: debtors(20, 31613000000) }).campaignId;
  const states: string[] = [];
  for (round = 1; round <= 9; round++) {
    await r.dialer.tick();
    states.push(campaignState(r.db, flaky));
    await r.clock.advance(1000);
  }
  assert.deepEqual(states, ['running', 'running', 'running', 'running', 'running', 'running', 'running', 'running', 'paused']);
  assert.equal(r.tel.calls.length, 2, 'it dialled on the rounds that worked (3 and 6)');
});

test('a call that ends after its campaign’s stored settings went bad is still recorded, retried after the default delay', async () => {
  const r = rig();
  const { campaignId, contactIds } = seedCampaign(r.db, { debtors: debtors(1, 31613000000, '') });
  assert.equal((await r.dialer.tick()).originated, 1);
  // Written behind the API's back while the call rings (an old Bereik, a hand edit).
  const broken = { ...DEFAULT_SETTINGS, defaultTimeZone: 'Mars/Olympus', retryDelayMinutes: { ...DEFAULT_SETTINGS.retryDelayMinutes, busy: 1e20 } };
  r.db.prepare(`UPDATE campaigns SET settings = ? WHERE id = ?`).run(JSON.stringify(broken), campaignId);
  r.tel.calls[0]!.end({ cause: 17, dialStatus: 'BUSY' });
  await r.clock.advance(0);
  const row = r.db.prepare(`SELECT status, attempts, last_outcome, next_attempt_at FROM contacts WHERE id = ?`).get(contactIds[0]) as Record<string, unknown>;
  assert.deepEqual(row, { status: 'pending', attempts: 1, last_outcome: 'busy', next_attempt_at: '2026-11-23T09:30:00.000Z' }, 'busy: the default 30 minutes later');
});

test('stored settings that are not an object at all fall back to the strict defaults and the campaign dials', async () => {
  for (const raw of ['null', '5', '[]', '{not json']) {
    const r = rig();
    const { campaignId } = seedCampaign(r.db, { debtors: debtors(3, 31613000000) });
    r.db.prepare(`UPDATE campaigns SET settings = ? WHERE id = ?`).run(raw, campaignId);
    assert.equal((await r.dialer.tick()).originated, 3, raw);
    assert.equal(campaignState(r.db, campaignId), 'running', raw);
  }
});
