/**
 * A progressive campaign on the real stack: one call per available agent, so every person
 * who answers is talking to an agent within 2 s and no call is abandoned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentRig, callRows } from './predictive-harness.ts';

const ORIGIN = Date.parse('2026-11-23T09:00:00Z');

test('progressive: never more debtors on the line than agents free, and every debtor who answers talks to an agent', { timeout: 60_000 }, async (t) => {
  const rig = await agentRig({
    // 1 clock second = 125 real ms: the 2 s connect budget holds ~10 ARI round trips even on a busy machine.
    scale: 8,
    origin: ORIGIN,
    mode: 'progressive',
    agents: 2,
    debtors: 8,
    population: { seed: 9, weights: { answer: 4, busy: 1 }, ringMs: { min: 1000, max: 4000 } },
    settings: { amd: false, ringTimeoutSec: 15, maxConcurrentChannels: 10, maxAttemptsTotal: 1 },
    talkMs: { min: 10_000, max: 30_000 },
    wrapUpSec: 3,
  });
  t.after(() => rig.close());
  await rig.runUntilRecorded(8, ORIGIN + 20 * 60_000);

  const calls = rig.outbound();
  assert.equal(calls.length, 8, 'every debtor called once');
  // At any moment: debtor calls in progress ≤ agents (2).
  const phones = rig.sim.asterisk.calls().filter((c) => c.direction === 'outbound' && !c.phone.startsWith('PJSIP/agent'));
  const edges = phones.flatMap((p) => [{ at: Date.parse(p.startedAt), d: 1 }, { at: Date.parse(p.endedAt!), d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  assert.equal(most, 2, 'two debtors on the line at most, one per agent');
  const answered = calls.filter((c) => c.disposition === 'answered' || c.disposition === 'abandoned');
  assert.ok(answered.length >= 4, `${answered.length} answered`);
  for (const c of answered) assert.equal(c.result, 'transferred', `call ${c.id} (${c.disposition}) went to an agent`);
  const agentLegs = callRows(rig.db).filter((r) => r.direction === 'agent' && r.disposition === 'answered');
  assert.equal(agentLegs.length, answered.length, 'one agent conversation per answered call');
  t.diagnostic(`${calls.length} calls, ${answered.length} answered, all put through; at most ${most} debtor calls at once`);
});
