import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { runCall, type PhoneScript, type SeedOptions } from '../helpers/fake-call.ts';

/** Debt detail as spoken: creditor, the invoice spelled out, an amount in words. */
const DETAIL = [/Energie Noord/, /F 2 0 2 6/, /euro/i, /factuur/i];
const say = (key: Parameters<typeof renderPrompt>[0]) => renderPrompt(key, 'nl', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' });

async function outbound(script: PhoneScript, seed: SeedOptions = {}, amd = 'HUMAN') {
  const r = await runCall({ args: ['outbound', 'call-1', amd, 'TOOLONG-4921'], script, seeds: [{ callId: 'call-1', ...seed }] });
  return { ...r, heardAt: r.heardAt[0] };
}

test('a debtor who confirms, hears the message and presses 1 gets the pay link by SMS', async () => {
  const r = await outbound({ keys: [{ afterPrompt: 1, keys: '1' }, { afterPrompt: 3, keys: '1' }] });
  assert.match(r.phone.texts[0]!, /Spreek ik met Jan Jansen\?/);
  for (const d of DETAIL) assert.doesNotMatch(r.phone.texts[0]!, d, 'no debt detail in the identity question');
  assert.match(r.phone.texts[1]!, /Energie Noord.*F 2 0 2 6, streepje, 0 0 4 2.*tweehonderdvijftig euro.*eenendertig oktober/);
  assert.match(r.phone.texts[2]!, /Toets 1 voor een betaallink.*Toets 2.*Toets 3.*Toets 9/);
  assert.deepEqual(r.phone.texts.slice(3), [say('paylink_sent'), say('goodbye')]);
  assert.equal(r.phone.heard[1]!.end, 'done');
  assert.equal(r.sms.length, 1);
  assert.equal(r.sms[0]!.to_e164, '+31612345678');
  // The debtor gets a tracked short link (≥ 96 bits), never the creditor's page itself.
  assert.match(r.sms[0]!.body, /^Energie Noord: factuur F2026-0042, € 250,00\. Betaal via http:\/\/127\.0\.0\.1:3000\/p\/[A-Za-z0-9_-]{22}\n/);
  assert.doesNotMatch(r.sms[0]!.body, /pay\.example/);
  assert.equal(r.summary.result, 'paylink_requested');
  assert.equal(r.phone.endInfo?.byApp, true, 'Bereik ended the call after the goodbye');
});

test('the stored call row says what happened: answered human, identity confirmed, message heard, keys 1 1, result', async () => {
  const r = await outbound({ keys: [{ afterPrompt: 1, keys: '1' }, { afterPrompt: 3, keys: '1' }] });
  assert.equal(r.row.state, 'ended');
  assert.equal(r.row.disposition, 'answered');
  assert.equal(r.row.amdStatus, 'HUMAN');
  assert.equal(r.row.amdCause, 'TOOLONG-4921');
  assert.equal(r.row.identityConfirmed, true);
  assert.equal(r.row.messageHeard, true);
  assert.equal(r.row.dtmfPath, '11');
  assert.equal(r.row.result, 'paylink_requested');
  assert.equal(r.row.hangupCause, 16);
  assert.ok(r.row.answeredAt && r.row.endedAt && r.row.endedAt >= r.row.answeredAt);
  assert.ok(r.heardAt, 'the contact remembers that the message was heard');
  assert.equal(r.finished.length, 1, 'onCallFinished is called once');
  assert.equal(r.finished[0]!.result, 'paylink_requested');
});

test('a person who says it is not them (2) hears a polite close and no debt detail', async () => {
  const r = await outbound({ keys: [{ afterPrompt: 1, keys: '2' }] });
  assert.deepEqual(r.phone.texts.slice(1), [say('identity_not_confirmed')]);
  for (const t of r.phone.texts) for (const d of DETAIL) assert.doesNotMatch(t, d);
  assert.equal(r.summary.result, 'identity_not_confirmed');
  assert.equal(r.summary.identityConfirmed, false);
  assert.equal(r.summary.messageHeard, false);
  assert.equal(r.heardAt, null);
  assert.deepEqual(r.sms, []);
});

test('silence at the identity question re-prompts twice, then closes as identity not confirmed', async () => {
  const r = await outbound({});
  const q = /Spreek ik met/;
  assert.deepEqual(
    r.phone.texts.map((t) => (q.test(t) ? 'Q' : t)),
    ['Q', say('no_input'), 'Q', say('no_input'), 'Q', say('no_input'), say('identity_not_confirmed')],
  );
  for (const t of r.phone.texts) for (const d of DETAIL) assert.doesNotMatch(t, d);
  assert.equal(r.summary.result, 'identity_not_confirmed');
  assert.equal(r.summary.dtmfPath, '');
});

test('an answering machine gets the limited-content message: who called and the number, no creditor or amount', async () => {
  const r = await outbound({}, {}, 'MACHINE');
  assert.deepEqual(r.phone.texts, [say('voicemail')]);
  assert.match(r.phone.texts[0]!, /0 2 0, 1 2 3, 4 5 6 7/, 'the number to call back');
  for (const d of DETAIL) assert.doesNotMatch(r.phone.texts[0]!, d);
  assert.equal(r.phone.heard[0]!.end, 'done');
  assert.equal(r.summary.result, 'voicemail_left');
  assert.equal(r.summary.disposition, 'machine');
  assert.equal(r.summary.messageHeard, false);
});

test('an answering machine is hung up on without a word when the campaign says so', async () => {
  const r = await outbound({}, { settings: { voicemail: 'hangup' } }, 'MACHINE');
  assert.deepEqual(r.phone.texts, []);
  assert.equal(r.summary.result, 'machine_hangup');
});
