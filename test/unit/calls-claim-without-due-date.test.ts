import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCall } from '../helpers/fake-call.ts';

// The CSV's due date column is optional: a claim without one must still be told, not fail the call.
test('a claim imported without a due date is told without one, and the menu still works', async () => {
  const r = await runCall({
    args: ['outbound', 'call-1', 'HUMAN', 'HUMAN-800-800'],
    script: { keys: [{ afterPrompt: 1, keys: '1' }, { afterPrompt: 3, keys: '1' }] },
    seeds: [{ callId: 'call-1', dueDate: null }],
  });
  assert.match(r.phone.texts[1]!, /Energie Noord.*tweehonderdvijftig euro/);
  assert.doesNotMatch(r.phone.texts[1]!, /uiterlijk|betalen\./, 'no sentence about a due date');
  assert.equal(r.summary.result, 'paylink_requested');
  assert.equal(r.row.messageHeard, true);
});
