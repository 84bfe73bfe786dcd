import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAttempt, type AttemptInfo } from '../../src/dialer/policy/classify.ts';

const table: Array<[string, AttemptInfo, string, string | null]> = [
  ['busy', { answered: false, hangupCause: 17 }, 'busy', null],
  ['no answer', { answered: false, hangupCause: 19 }, 'no_answer', null],
  ['no user responding', { answered: false, hangupCause: 18 }, 'no_answer', null],
  ['our ring timeout', { answered: false, hangupCause: 16 }, 'no_answer', null],
  ['unallocated number', { answered: false, hangupCause: 1 }, 'failed', 'invalid'],
  ['number changed', { answered: false, hangupCause: 22 }, 'failed', 'invalid'],
  ['rejected', { answered: false, hangupCause: 21 }, 'failed', null],
  ['no circuit', { answered: false, hangupCause: 34 }, 'failed', null],
  ['network out of order', { answered: false, hangupCause: 38 }, 'failed', null],
  ['subscriber absent', { answered: false, hangupCause: 20 }, 'unreachable', null],
  ['originate refused', { answered: false, originateFailed: true }, 'unreachable', null],
  ['unknown cause', { answered: false, hangupCause: 99 }, 'failed', null],
  ['person', { answered: true, hangupCause: 16, amdStatus: 'HUMAN' }, 'answered', 'active'],
  ['AMD unsure counts as a person', { answered: true, amdStatus: 'NOTSURE' }, 'answered', 'active'],
  ['machine', { answered: true, amdStatus: 'MACHINE' }, 'machine', 'active'],
  ['hung up during AMD silence', { answered: true, amdStatus: 'HANGUP' }, 'abandoned', 'active'],
  ['person left without an agent for 2 s', { answered: true, amdStatus: 'HUMAN', abandoned: true }, 'abandoned', 'active'],
  ['no AMD', { answered: true }, 'answered', 'active'],
];

for (const [name, info, disposition, phone] of table) {
  test(`telephony outcome "${name}" is stored as ${disposition}${phone ? `, phone ${phone}` : ''}`, () => {
    const r = classifyAttempt(info);
    assert.equal(r.disposition, disposition);
    assert.equal(r.phoneStatus, phone);
  });
}
