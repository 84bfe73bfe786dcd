import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pace, type PacerSettings, type PacerStats } from '../../src/dialer/pacing/pacer.ts';
import { PacingTracker } from '../../src/dialer/pacing/tracker.ts';

const stats = (over: Partial<PacerStats> = {}): PacerStats => ({
  agentsAvailable: 10,
  agentsTalkingElapsedMs: [],
  agentsWrapUpElapsedMs: [],
  callsRinging: 0,
  callsWaiting: 0,
  otherCallsUp: 0,
  answerRate: 0.25,
  answerSamples: 400,
  liveAnswersObserved: 300,
  meanDialToLiveMs: 15_000,
  meanTalkMs: 180_000,
  meanWrapMs: 30_000,
  liveAnswered24h: 500,
  abandoned24h: 0,
  ...over,
});
const predictive: PacerSettings = { mode: 'predictive', abandonRateCap: 0.03, maxConcurrentChannels: 200 };
const NOW = Date.parse('2026-11-23T10:00:00Z');

test('preview mode never dials by itself: the agent clicks', () => {
  assert.deepEqual(pace(stats(), NOW, { ...predictive, mode: 'preview' }).dialNow, 0);
});

test('progressive dials one call per available agent, minus calls already ringing or waiting', () => {
  const d = pace(stats({ callsRinging: 3, callsWaiting: 1 }), NOW, { ...predictive, mode: 'progressive' });
  assert.deepEqual([d.dialNow, d.effectiveMode], [6, 'progressive']);
});

test('predictive with good measurements dials ahead of the available agents', () => {
  const d = pace(stats(), NOW, predictive);
  assert.equal(d.effectiveMode, 'predictive');
  assert.ok(d.dialNow > 10, `dials ${d.dialNow} for 10 agents at 25 % answers`);
  assert.ok(d.dialNow <= 40, `but not more than 1/answer rate per agent (${d.dialNow})`);
});

test('cold start: with nothing measured, predictive behaves progressively', () => {
  const d = pace(stats({ answerRate: 0, answerSamples: 0, liveAnswersObserved: 0, liveAnswered24h: 0 }), NOW, predictive);
  assert.deepEqual([d.dialNow, d.effectiveMode, d.reason], [10, 'progressive', 'cold_start']);
});

test('cold start: measured answers but no abandon budget yet (first live answers of the day) stays progressive', () => {
  const d = pace(stats({ liveAnswered24h: 60 }), NOW, predictive);
  assert.deepEqual([d.effectiveMode, d.reason], ['progressive', 'abandon_budget_exhausted']);
});

test('a rising 24 h abandon rate means fewer dials, then progressive before the cap', () => {
  const dials = [0, 4, 8, 11, 14].map((abandoned24h) => pace(stats({ abandoned24h }), NOW, predictive));
  for (let i = 1; i < dials.length; i++) assert.ok(dials[i]!.dialNow <= dials[i - 1]!.dialNow, `dials fall as abandons rise: ${dials.map((d) => d.dialNow)}`);
  assert.ok(dials[0]!.dialNow > dials[3]!.dialNow, 'backs off before falling back');
  assert.equal(dials[4]!.effectiveMode, 'progressive', '14/500 = 2.8 % is too close to the 3 % cap');
  assert.equal(dials[4]!.dialNow, 10);
});

test('agents leaving means fewer dials; with no agent left and calls ringing, none', () => {
  const counts = [10, 6, 3, 0].map((agentsAvailable) => pace(stats({ agentsAvailable }), NOW, predictive).dialNow);
  assert.deepEqual([...counts].sort((a, b) => b - a), counts);
  assert.ok(counts[0]! > counts[1]! && counts[1]! > counts[2]!);
  assert.equal(pace(stats({ agentsAvailable: 0, callsRinging: 20 }), NOW, predictive).dialNow, 0);
});

test('agents finishing their wrap-up get calls dialled for them before they are free', () => {
  const d = pace(stats({ agentsAvailable: 0, agentsWrapUpElapsedMs: [28_000, 29_000, 29_500, 30_000] }), NOW, predictive);
  assert.equal(d.effectiveMode, 'predictive');
  assert.ok(d.dialNow >= 4, `dials ${d.dialNow} for 4 agents about to be free`);
  const early = pace(stats({ agentsAvailable: 0, agentsWrapUpElapsedMs: [0, 0, 0, 0] }), NOW, predictive);
  assert.ok(early.dialNow < d.dialNow, 'fewer for agents who just started wrap-up');
});

test('persons wrongly sent to voicemail by AMD count as abandoned (strict Ofcom reading)', () => {
  const s = stats({ abandoned24h: 4 });
  assert.equal(pace(s, NOW, predictive).effectiveMode, 'predictive');
  const d = pace(s, NOW, { ...predictive, amdFalseMachineRate: 0.02 }); // +10 estimated: 14/510
  assert.equal(d.effectiveMode, 'progressive');
});

test('no channel left: no dial in any mode', () => {
  const full = stats({ callsRinging: 5, agentsTalkingElapsedMs: [1, 2, 3], otherCallsUp: 2 });
  for (const mode of ['progressive', 'predictive', 'agentless'] as const) {
    assert.equal(pace(full, NOW, { ...predictive, mode, maxConcurrentChannels: 10 }).dialNow, 0, mode);
  }
});

test('answer-rate collapse: the estimate is halfway after 3 minutes, nearly there after 10, and the pacer dials more per agent', () => {
  const tracker = new PacingTracker();
  let t = NOW;
  // 30 minutes at 35 %: 2 attempts finish per second.
  for (let i = 0; i < 3600; i++, t += 500) tracker.attemptFinished(t, i % 20 < 7, 15_000);
  const before = tracker.measured(t);
  assert.ok(Math.abs(before.answerRate - 0.35) < 0.02, `before ${before.answerRate}`);
  // Then 10 minutes at 5 %.
  for (let i = 0; i < 360; i++, t += 500) tracker.attemptFinished(t, i % 20 === 0, 15_000);
  const at3 = tracker.measured(t).answerRate;
  assert.ok(at3 < 0.21, `after 3 min the estimate is ${at3.toFixed(3)}`);
  for (let i = 360; i < 1200; i++, t += 500) tracker.attemptFinished(t, i % 20 === 0, 15_000);
  const after = tracker.measured(t);
  assert.ok(after.answerRate < 0.09, `after 10 min the estimate is ${after.answerRate.toFixed(3)}`);
  const s = { ...stats(), liveAnswered24h: 1000 };
  const dBefore = pace({ ...s, ...before, liveAnswered24h: 1000, abandoned24h: 0 }, t, predictive);
  const dAfter = pace({ ...s, ...after, liveAnswered24h: 1000, abandoned24h: 0 }, t, predictive);
  assert.ok(dAfter.dialNow > dBefore.dialNow, `${dBefore.dialNow} → ${dAfter.dialNow}`);
});

test('answer-rate surge: the estimate rises within minutes, so the pacer dials fewer (the unsafe direction)', () => {
  const tracker = new PacingTracker();
  let t = NOW;
  for (let i = 0; i < 3600; i++, t += 500) tracker.attemptFinished(t, i % 10 < 2, 15_000); // 20 %
  const before = tracker.measured(t);
  for (let i = 0; i < 360; i++, t += 500) tracker.attemptFinished(t, i % 10 < 6, 15_000); // 3 min at 60 %
  const after = tracker.measured(t);
  assert.ok(after.answerRate > 0.38, `after 3 min the estimate is ${after.answerRate.toFixed(3)}`);
  const dBefore = pace({ ...stats(), ...before, liveAnswered24h: 1000, abandoned24h: 0 }, t, predictive);
  const dAfter = pace({ ...stats(), ...after, liveAnswered24h: 1000, abandoned24h: 0 }, t, predictive);
  assert.ok(dAfter.dialNow < dBefore.dialNow, `${dBefore.dialNow} → ${dAfter.dialNow}`);
});

test('the tracker counts live answers and abandons of the last 24 h only', () => {
  const tracker = new PacingTracker();
  tracker.attemptFinished(NOW, true, 10_000);
  tracker.abandoned(NOW);
  tracker.attemptFinished(NOW + 23 * 3600_000, true, 10_000);
  assert.deepEqual([tracker.measured(NOW + 23 * 3600_000).liveAnswered24h, tracker.measured(NOW + 23 * 3600_000).abandoned24h], [2, 1]);
  const later = tracker.measured(NOW + 24 * 3600_000 + 1);
  assert.deepEqual([later.liveAnswered24h, later.abandoned24h, later.liveAnswersObserved], [1, 0, 2]);
});
