/**
 * Predictive pacing at run time, past its cold start: the campaign already had 150 live
 * answers earlier today (read back from the store when the engine starts, as after a
 * restart), so the pacer may dial ahead of the agents from the first minutes. What an
 * operator and Ofcom would check: it really dials more debtors than there are free agents,
 * and the abandon rate over the last 24 h stays at or under 3 %.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { agentRig, callRows } from './predictive-harness.ts';

/** Monday 23 Nov 2026, 10:00 in Amsterdam. */
const ORIGIN = Date.parse('2026-11-23T09:00:00Z');
const RUN_MS = 6 * 60_000;
const EARLIER = 150;

test('a warm predictive campaign dials ahead of its agents and keeps the 24 h abandon rate under 3 %', { timeout: 240_000 }, async (t) => {
  const rig = await agentRig({
    scale: 5, // a 2 s connect budget of 400 real ms (see predictive-campaign.test.ts)
    origin: ORIGIN,
    mode: 'predictive',
    agents: 5,
    debtors: 200,
    population: { seed: 23, weights: { answer: 30, busy: 10, noanswer: 55, unreachable: 5 }, ringMs: { min: 2000, max: 9000 } },
    settings: { amd: false, ringTimeoutSec: 15, maxConcurrentChannels: 25, maxCallsPerSecond: 5, maxAttemptsTotal: 3, retryDelayMinutes: { ...DEFAULT_SETTINGS.retryDelayMinutes, busy: 2, no_answer: 3 } },
    talkMs: { min: 20_000, max: 60_000 },
    wrapUpSec: 5,
    earlierLiveCalls: EARLIER,
  });
  t.after(() => rig.close());
  let aheadTicks = 0;
  let maxAhead = 0;
  const reasons = new Map<string, number>();
  await rig.runUntil(ORIGIN + RUN_MS, () => {
    const d = rig.engine.pacing.lastDecision(rig.campaignId);
    if (d) {
      reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
      const free = rig.agentIds.filter((id) => rig.engine.desk.registry.get(id)?.state === 'available').length;
      const ringing = rig.outbound().filter((r) => r.state === 'dialing' || r.state === 'ringing').length;
      if (d.effectiveMode === 'predictive' && ringing > free) {
        aheadTicks++;
        maxAhead = Math.max(maxAhead, ringing - free);
      }
    }
    return false;
  });
  await rig.stop();

  const outbound = callRows(rig.db).filter((r) => r.direction === 'outbound' && !r.id.startsWith('earlier-'));
  const live = outbound.filter((r) => r.disposition === 'answered' || r.disposition === 'abandoned');
  const abandoned = outbound.filter((r) => r.disposition === 'abandoned');
  t.diagnostic(
    `${outbound.length} calls, ${live.length} live, ${abandoned.length} abandoned; dialled ahead of free agents on ${aheadTicks} checks (up to ${maxAhead} more ringing than free); pacer reasons ${JSON.stringify(Object.fromEntries(reasons))}`,
  );
  assert.ok((reasons.get('predictive') ?? 0) > 0, `the pacer left its cold start and paced predictively: ${JSON.stringify(Object.fromEntries(reasons))}`);
  assert.ok(aheadTicks > 0, 'more debtors were ringing than agents were free at some moment');
  assert.ok(live.length >= 15, `enough live answers in the run (${live.length})`);
  const rate24h = abandoned.length / (live.length + EARLIER);
  assert.ok(rate24h <= 0.03, `24 h abandon rate ${(100 * rate24h).toFixed(1)} % (${abandoned.length} of ${live.length + EARLIER})`);
});
