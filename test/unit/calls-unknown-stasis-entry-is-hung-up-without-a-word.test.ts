/**
 * A channel that enters the app with arguments Bereik never produces (a dialplan typo, a
 * foreign Stasis() call) is not guessed at: nobody hears a prompt meant for someone
 * else; the call is hung up and stored as failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCall } from '../helpers/fake-call.ts';

const CASES: [string, string[]][] = [
  ['an unknown first argument', ['callback', '0201234567']],
  ['outbound without a call id', ['outbound', '', 'HUMAN', 'HUMAN-800-800']],
  ['outbound with an AMD status AMD() never gives', ['outbound', 'call-1', 'PERSON', '']],
  ['inbound with extra arguments', ['inbound', '0201234567', 'extra']],
  ["an agent's leg", ['agent', 'call-1', '7']],
];

for (const [name, args] of CASES) {
  test(`${name}: hung up without a word and stored as failed`, async () => {
    const r = await runCall({ args, callerNumber: '+31612345678', seeds: [{ callId: 'call-1' }] });
    assert.deepEqual(r.phone.texts, [], 'nothing was played');
    assert.equal(r.phone.answeredByApp, false, 'not even answered');
    assert.equal(r.phone.endInfo?.byApp, true, 'Bereik hung up');
    assert.equal(r.summary.result, 'failed');
    assert.equal(r.row.result, 'failed');
  });
}
