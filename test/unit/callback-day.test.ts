import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateCallbackDay, drawCallbacks, DEFAULT_DAY } from '../../scripts/lib/callback-day.ts';

test('the callback day is the same day for the same seed, and differs for another seed', () => {
  assert.deepEqual(simulateCallbackDay('bereik', { debtors: 2000 }), simulateCallbackDay('bereik', { debtors: 2000 }));
  assert.notDeepEqual(drawCallbacks({ ...DEFAULT_DAY, debtors: 2000, seed: 1 }), drawCallbacks({ ...DEFAULT_DAY, debtors: 2000, seed: 2 }));
});

test('both policies face the same callbacks; sending all to agents asks an agent for every one', () => {
  const bereik = simulateCallbackDay('bereik', { debtors: 3000 });
  const all = simulateCallbackDay('all_agent', { debtors: 3000 });
  assert.equal(bereik.callbacks, all.callbacks);
  assert.equal(all.agentRequests, all.callbacks);
  assert.equal(all.withoutAgent, 0);
  for (const r of [bereik, all]) {
    assert.equal(r.withoutAgent + r.agentRequests, r.callbacks, `${r.policy}: every callback is either self-handled or queued`);
    assert.equal(r.agentConnected + r.notReached, r.agentRequests, `${r.policy}: every queued caller is reached or not`);
    assert.ok(r.occupancy >= 0 && r.occupancy <= 1);
  }
});

test('segmentation keeps small claims and unheard messages away from agents', () => {
  const bereik = simulateCallbackDay('bereik', { debtors: 10_000 });
  assert.ok(bereik.withoutAgent / bereik.callbacks > 0.4, `self-handled share ${bereik.withoutAgent}/${bereik.callbacks}`);
  // With agents scarce, fewer requests means a shorter queue than sending everyone through.
  const scarce = { debtors: 10_000, agents: 3 };
  assert.ok(simulateCallbackDay('bereik', scarce).meanQueueWaitMs < simulateCallbackDay('all_agent', scarce).meanQueueWaitMs);
});

test('a debtor who heard the message and has a mid-size, low-risk claim goes to an agent on callback', () => {
  const cbs = drawCallbacks({ ...DEFAULT_DAY, debtors: 10_000 });
  const heardMid = cbs.filter((c) => c.heard && c.risk !== 'high' && c.amountCents >= 100_00 && c.amountCents < 1_000_00);
  assert.ok(heardMid.length > 0, 'the population has such callers');
  const onlyThem = simulateCallbackDay('bereik', { debtors: 10_000 });
  assert.ok(onlyThem.agentRequests >= heardMid.length, 'each of them asked for an agent');
});
