import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallResultCode } from '../../src/calls/deps.ts';
import { judgeAttempt } from '../../src/dialer/outcomes.ts';
import type { HangupInfo } from '../../src/telephony/types.ts';
import { summary } from './dialer-fixture.ts';

const hang = (cause: number, answered = false): HangupInfo => ({ cause, causeText: '', answered, byApp: false });
const flow = (result: CallResultCode, extra = {}) => ({ hangup: hang(16, true), reachedStasis: true, amdStatus: 'HUMAN', summary: summary('c1', result, extra) });

test('what an attempt came to: disposition, stored result, retry outcome, and whether the contact is settled', () => {
  const rows: [string, Parameters<typeof judgeAttempt>[0], string, string, string, boolean][] = [
    // what happened, facts, disposition, result, retry outcome, closes the contact
    ['originate refused', { hangup: null, reachedStasis: false, amdStatus: '', summary: null }, 'failed', 'originate_failed', 'failed', false],
    ['busy', { hangup: hang(17), reachedStasis: false, amdStatus: '', summary: null }, 'busy', 'cause_17_busy', 'busy', false],
    ['rang out', { hangup: hang(19), reachedStasis: false, amdStatus: '', summary: null }, 'no_answer', 'cause_19_no_answer', 'no_answer', false],
    ['unallocated number', { hangup: hang(1), reachedStasis: false, amdStatus: '', summary: null }, 'failed', 'cause_1_invalid_number', 'failed', false],
    ['hung up while AMD listened', { hangup: hang(16, true), reachedStasis: false, amdStatus: '', summary: null }, 'answered', 'hangup_early', 'hangup_early', false],
    ['voicemail left', { ...flow('voicemail_left', { disposition: 'machine' }), amdStatus: 'MACHINE' }, 'machine', 'voicemail_left', 'machine', false],
    ['pay link', flow('paylink_requested', { identityConfirmed: true, messageHeard: true }), 'answered', 'paylink_requested', 'answered', true],
    ['agent', flow('transferred', { identityConfirmed: true }), 'answered', 'transferred', 'answered', true],
    ['dispute', flow('dispute', { identityConfirmed: true, messageHeard: true }), 'answered', 'dispute', 'answered', true],
    ['callback asked', flow('callback_requested', { identityConfirmed: true, messageHeard: true }), 'answered', 'callback_requested', 'answered', true],
    ['not the debtor', flow('identity_not_confirmed'), 'answered', 'identity_not_confirmed', 'identity_not_confirmed', false],
    ['heard it, chose nothing', flow('no_choice', { identityConfirmed: true, messageHeard: true }), 'answered', 'no_choice', 'answered', false],
    ['hung up in the message', flow('hangup_early', { identityConfirmed: true }), 'answered', 'hangup_early', 'hangup_early', false],
    ['flow broke', flow('failed'), 'answered', 'failed', 'failed', false],
  ];
  for (const [what, facts, disposition, result, outcome, closed] of rows) {
    const v = judgeAttempt(facts);
    assert.deepEqual([v.disposition, v.result, v.attempt.outcome, v.attempt.closed], [disposition, result, outcome, closed], what);
  }
});

test('a conversation is a confirmed debtor who heard the message or reached an agent', () => {
  assert.equal(judgeAttempt(flow('no_choice', { identityConfirmed: true, messageHeard: true })).attempt.conversation, true);
  assert.equal(judgeAttempt(flow('transferred', { identityConfirmed: true })).attempt.conversation, true);
  assert.equal(judgeAttempt(flow('hangup_early', { identityConfirmed: true })).attempt.conversation, false);
  assert.equal(judgeAttempt(flow('no_choice', { messageHeard: true })).attempt.conversation, false);
});

test('an unallocated number teaches that the phone is invalid; an answer that it reaches someone', () => {
  assert.equal(judgeAttempt({ hangup: hang(1), reachedStasis: false, amdStatus: '', summary: null }).phoneStatus, 'invalid');
  assert.equal(judgeAttempt(flow('no_choice')).phoneStatus, 'active');
  assert.equal(judgeAttempt({ hangup: hang(17), reachedStasis: false, amdStatus: '', summary: null }).phoneStatus, null);
});
