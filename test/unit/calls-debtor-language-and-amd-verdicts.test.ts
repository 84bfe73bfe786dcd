import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCall } from '../helpers/fake-call.ts';

test('an English-speaking debtor is asked and told everything in English', async () => {
  const r = await runCall({
    args: ['outbound', 'call-1', 'HUMAN', ''],
    script: { keys: [{ afterPrompt: 1, keys: '1' }, { afterPrompt: 3, keys: '1' }] },
    seeds: [{ callId: 'call-1', language: 'en' }],
  });
  assert.match(r.phone.texts[0]!, /Jan Jansen/);
  assert.match(r.phone.texts[0]!, /press 1/i);
  assert.match(r.phone.texts[1]!, /two hundred (and )?fifty euros/i);
  assert.equal(r.summary.result, 'paylink_requested');
  assert.match(r.sms[0]!.body, /invoice F2026-0042, €250\.00\. Pay at http:\/\/\S+\/p\/\S+\nReply PAID/);
});

for (const amd of ['NOTSURE', '']) {
  test(`AMD verdict ${JSON.stringify(amd)} is treated as a person: the identity question comes first`, async () => {
    const r = await runCall({ args: ['outbound', 'call-1', amd, ''], script: { keys: [{ afterPrompt: 1, keys: '2' }] }, seeds: [{ callId: 'call-1' }] });
    assert.match(r.phone.texts[0]!, /Spreek ik met Jan Jansen\?/);
    assert.equal(r.summary.result, 'identity_not_confirmed');
    assert.equal(r.row.disposition, 'answered');
    assert.equal(r.row.amdStatus, amd || 'NOTCHECKED');
  });
}

test('a call whose contact is unknown is hung up without a word and stored as failed', async () => {
  const r = await runCall({ args: ['outbound', 'no-such-call', 'HUMAN', ''], seeds: [] });
  assert.deepEqual(r.phone.texts, []);
  assert.equal(r.summary.result, 'failed');
  assert.equal(r.row.result, 'failed');
});
