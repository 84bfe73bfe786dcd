/**
 * The statistical side of predictive pacing, on the discrete-event simulation that drives
 * the real pacer and tracker (scripts/lib/des): what used to take minutes on the simulated
 * Asterisk (test/e2e/predictive-campaign and predictive-warm-start-dials-ahead) runs here
 * over whole days in model time, for several seeds. The campaigns are the ones those
 * end-to-end tests ran: 5 agents, no AMD, 2–9 s rings, 15 s ring timeout, short talks.
 * What an operator and Ofcom would check: the abandon rate stays at or under 3 % over
 * 24 h, an abandoned person hears the information message within 2 s of answering, no
 * agent gets two debtors, and a campaign already warm from earlier today dials ahead.
 * The run-time wiring (ARI, flows, desk) keeps its smoke: test/e2e/predictive-campaign.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateDay } from '../../scripts/lib/des/simulate.ts';
import type { DesScenario } from '../../scripts/lib/des/model.ts';

const MIN = 60_000;
const H = 60 * MIN;

/** test/e2e/predictive-campaign.test.ts's campaign: answer 35 %, machine 8 %, busy 12 %, the rest ring out; talk 20–70 s; wrap-up 5 s. */
const CAMPAIGN: Partial<DesScenario> = {
  mode: 'predictive',
  agents: 5,
  liveRate: 0.35,
  machineRate: 0.08,
  busyRate: 0.12,
  amd: false,
  ringMeanMs: 5_500,
  ringTimeoutMs: 15_000,
  talkMeanMs: 45_000,
  talkSigma: 0.35,
  wrapMeanMs: 5_000,
  wrapSigma: 0.1,
  maxConcurrentChannels: 20,
  maxCallsPerSecond: 5,
};

test('a predictive campaign with 5 agents keeps a 24 h day under the 3 % abandon cap, tells every abandoned person within 2 s, never double-books an agent', () => {
  for (const seed of [11, 12]) {
    const r = simulateDay({ ...CAMPAIGN, seed, durationMs: 24 * H });
    const why = `seed ${seed}: ${r.abandonedNoAgent} abandoned of ${r.livePersons} live`;
    assert.ok(r.livePersons >= 1000, `enough live answers to judge (${why})`);
    assert.ok(r.connected > 0.9 * r.livePersons, `debtors were put through to agents (${r.connected}; ${why})`);
    assert.ok(r.decisions.predictive! > 0, `the pacer dialled predictively: ${JSON.stringify(r.reasons)}`);
    assert.ok(r.abandonRate <= 0.03, `day abandon rate ${(100 * r.abandonRate).toFixed(2)} % (${why})`);
    assert.ok(r.maxRunningAbandonRate <= 0.03, `worst running abandon rate ${(100 * r.maxRunningAbandonRate).toFixed(2)} % (${why})`);
    // Without AMD nobody waits for a verdict: 2 s after answer each person talks to an agent or hears the message.
    assert.ok(r.worstWaitMs <= 2000, `a person heard nothing for ${r.worstWaitMs} ms after answering (${why})`);
    assert.equal(r.agentOverlaps, 0, 'no agent was given a debtor while talking to another');
    assert.equal(r.callsLeft, 0, 'every call ended');
  }
});

/** test/e2e/predictive-warm-start-dials-ahead.test.ts's campaign: answer 30 %, busy 10 %, the rest ring out; talk 20–60 s. */
const WARM_CAMPAIGN: Partial<DesScenario> = {
  ...CAMPAIGN,
  liveRate: 0.3,
  machineRate: 0,
  busyRate: 0.1,
  talkMeanMs: 40_000,
  talkSigma: 0.3,
  maxConcurrentChannels: 25,
  durationMs: 15 * MIN,
};
const EARLIER = 150;
/** Earlier today, from 2 h before the run, one every 30 s (none abandoned): what the engine reads back from the store on start. */
const earlierToday = Array.from({ length: EARLIER }, (_, i) => ({ atMs: -2 * H + i * 30_000, abandoned: false }));

test('a predictive campaign warm from 150 live answers earlier today dials ahead of its agents within 15 minutes and keeps the 24 h rate under 3 %; a cold one does not yet', () => {
  for (const seed of [23, 24, 25]) {
    const warm = simulateDay({ ...WARM_CAMPAIGN, seed, earlierLiveAnswers: earlierToday });
    const why = `seed ${seed}: ${JSON.stringify(warm.reasons)}`;
    assert.ok((warm.reasons.predictive ?? 0) > 0, `the pacer left its cold start and paced predictively (${why})`);
    assert.ok(warm.aheadChecks > 0, `more debtors were ringing than agents were free at some moment (${why})`);
    assert.ok(warm.livePersons >= 15, `enough live answers in the run (${warm.livePersons})`);
    const abandoned = warm.abandonedNoAgent + warm.abandonedFalseMachine;
    const rate24h = abandoned / (warm.livePersons + EARLIER);
    assert.ok(rate24h <= 0.03, `24 h abandon rate ${(100 * rate24h).toFixed(1)} % (${abandoned} of ${warm.livePersons + EARLIER})`);
    assert.ok(warm.worstWaitMs <= 2000 && warm.agentOverlaps === 0);

    // The same quarter hour without the history: the pacer stays progressive (cold start, then a thin abandon budget).
    const cold = simulateDay({ ...WARM_CAMPAIGN, seed });
    assert.equal(cold.reasons.predictive, undefined, `cold seed ${seed}: ${JSON.stringify(cold.reasons)}`);
    assert.equal(cold.aheadChecks, 0);
  }
});
