import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateDay } from '../../scripts/lib/des/simulate.ts';
import type { DesReport } from '../../scripts/lib/des/model.ts';

const H = 3600_000;

function assertConservation(r: DesReport): void {
  assert.equal(r.dials, r.livePersons + r.machines + r.busy + r.noAnswer, 'every dialled call has exactly one outcome');
  assert.equal(r.livePersons, r.connected + r.abandonedNoAgent + r.abandonedFalseMachine, 'every person reached an agent or was abandoned');
  assert.equal(r.callsLeft, 0, 'no call is left up at the end of the day');
}

test('the same seed gives the same day; another seed a different one', () => {
  const a = simulateDay({ seed: 7, agents: 10, durationMs: 2 * H });
  const b = simulateDay({ seed: 7, agents: 10, durationMs: 2 * H });
  const c = simulateDay({ seed: 8, agents: 10, durationMs: 2 * H });
  assert.deepEqual(a, b);
  assert.notEqual(a.dials, c.dials);
});

test('calls are conserved in every mode', () => {
  for (const mode of ['progressive', 'predictive'] as const) assertConservation(simulateDay({ mode, agents: 20, durationMs: 2 * H }));
  assertConservation(simulateDay({ agents: 20, durationMs: 2 * H, amd: false }));
  assertConservation(simulateDay({ agents: 20, durationMs: 2 * H, amdFalseMachineRate: 0.01 }));
});

test('progressive never abandons; predictive keeps agents busier and stays under the 3 % cap', () => {
  const prog = simulateDay({ mode: 'progressive', agents: 20, liveRate: 0.2, durationMs: 4 * H });
  const pred = simulateDay({ mode: 'predictive', agents: 20, liveRate: 0.2, durationMs: 4 * H });
  assert.equal(prog.abandonedNoAgent, 0);
  assert.ok(pred.occupancy > prog.occupancy + 0.1, `occupancy ${prog.occupancy.toFixed(3)} → ${pred.occupancy.toFixed(3)}`);
  assert.ok(pred.connectsPerAgentHour > prog.connectsPerAgentHour);
  assert.ok(pred.maxRunningAbandonRate <= 0.03, `worst running abandon rate ${pred.maxRunningAbandonRate}`);
});

test('a preview campaign dials nothing by itself', () => {
  const r = simulateDay({ mode: 'preview', agents: 5, durationMs: H });
  assert.equal(r.dials, 0);
  assert.equal(r.occupancy, 0);
});

test('an answer-rate surge mid-day does not push the abandon rate over the cap', () => {
  const r = simulateDay({ agents: 20, liveRate: 0.2, durationMs: 4 * H, liveRateChanges: [{ atMs: 2 * H, liveRate: 0.6 }] });
  assertConservation(r);
  assert.ok(r.abandonRate <= 0.03 && r.maxRunningAbandonRate <= 0.03, `day ${r.abandonRate}, worst running ${r.maxRunningAbandonRate}`);
});

test('agents leaving mid-day: fewer agent-hours, calls still conserved, cap kept over the day', () => {
  const r = simulateDay({ agents: 50, liveRate: 0.2, durationMs: 4 * H, agentChanges: [{ atMs: 2 * H, agents: 10 }] });
  assertConservation(r);
  assert.ok(r.agentHours < 50 * 4 * 0.7, `agent-hours ${r.agentHours.toFixed(1)}`);
  assert.ok(r.maxRunningAbandonRate <= 0.03, `worst running ${r.maxRunningAbandonRate}`);
});

test('persons AMD sends to voicemail are counted as abandoned and the pacer budgets for them', () => {
  const r = simulateDay({ agents: 20, liveRate: 0.35, durationMs: 4 * H, amdFalseMachineRate: 0.01 });
  assert.ok(r.abandonedFalseMachine > 0);
  assert.equal(r.abandonRate, (r.abandonedNoAgent + r.abandonedFalseMachine) / r.livePersons);
  assert.ok(r.abandonRate <= 0.03, `day ${r.abandonRate}`);
});

test('agents rung per debtor lose debtors to the 2 s rule and sit idle while ringing; open lines do not (issue 16)', () => {
  const day = { mode: 'predictive' as const, agents: 20, liveRate: 0.35, durationMs: 4 * H, seed: 3 };
  const line = simulateDay(day);
  const rung = simulateDay({ ...day, agentRing: { meanMs: 1500, sigma: 0.5 } });
  assertConservation(rung);
  assert.ok(line.abandonRate < 0.03, `open lines: ${line.abandonRate}`);
  // An agent who takes longer than the 2 s after the debtor's answer finds an abandoned call.
  assert.ok(rung.abandonRate > 0.1, `rung agents: ${rung.abandonRate}`);
  assert.ok(rung.occupancy < line.occupancy, `occupancy rung ${rung.occupancy} < open lines ${line.occupancy}`);
  // An agent who always answers at once is as good as an open line.
  const instant = simulateDay({ ...day, agentRing: { meanMs: 1, sigma: 0.1 } });
  assert.ok(instant.abandonRate < 0.03, `instant answer: ${instant.abandonRate}`);
});
