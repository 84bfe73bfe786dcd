import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCall } from '../helpers/fake-call.ts';

test('a debtor hanging up during the claim message: the message is not counted as heard and the session ends cleanly', async () => {
  const r = await runCall({
    args: ['outbound', 'call-1', 'HUMAN', ''],
    script: { keys: [{ afterPrompt: 1, keys: '1' }], hangupDuringPrompt: { prompt: 2, delayMs: 1500 } },
    seeds: [{ callId: 'call-1' }],
  });
  assert.equal(r.phone.heard.length, 2, 'nothing more was played after the hang-up');
  assert.equal(r.phone.heard[1]!.end, 'hangup');
  assert.equal(r.row.messageHeard, false);
  assert.equal(r.heardAt[0], null);
  assert.equal(r.row.identityConfirmed, true);
  assert.equal(r.row.result, 'hangup_early');
  assert.equal(r.row.state, 'ended');
  assert.equal(r.summary.hungUpBy, 'debtor');
  assert.equal(r.finished.length, 1);
});

test('a debtor hanging up while the menu waits for a key: the message was heard, the wait is cancelled', async () => {
  const r = await runCall({
    args: ['outbound', 'call-1', 'HUMAN', ''],
    script: { keys: [{ afterPrompt: 1, keys: '1' }], hangupDuringPrompt: { prompt: 3, delayMs: 500 } },
    seeds: [{ callId: 'call-1' }],
  });
  assert.equal(r.row.messageHeard, true);
  assert.ok(r.heardAt[0]);
  assert.equal(r.row.result, 'hangup_early');
  assert.equal(r.phone.heard.length, 3);
});
