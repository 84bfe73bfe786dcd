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

test('a claim message Asterisk cannot play (its file is gone) is not counted as heard; the menu after it still plays', async () => {
  // Message and menu go to Asterisk as one media list; a missing file is reported as
  // "continuing" at once, like an item heard to its end.
  const r = await runCall({
    args: ['outbound', 'call-1', 'HUMAN', ''],
    script: { keys: [{ afterPrompt: 1, keys: '1' }], unplayable: [2], hangupDuringPrompt: { prompt: 3, delayMs: 500 } },
    seeds: [{ callId: 'call-1' }],
  });
  assert.deepEqual(r.phone.heard.map((h) => h.end), ['done', 'failed', 'hangup']);
  assert.equal(r.row.messageHeard, false);
  assert.equal(r.heardAt[0], null);
  assert.equal(r.row.identityConfirmed, true);
  assert.equal(r.row.result, 'hangup_early');
});
