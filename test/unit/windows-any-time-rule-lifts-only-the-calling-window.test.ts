/**
 * The anyTime window rule, which src/engine.ts gives only to a demo campaign on the built-in
 * simulated Asterisk: a contact is due on a Sunday night, but every rule about the contact
 * itself (caps, retry delays, quiet days, closed and do-not-call) still holds. The law's
 * rule, the default, keeps the Sunday.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS as S } from '../../src/campaigns/settings.ts';
import { decideDue, outcomeToNext, type AttemptRecord, type ContactState, type DueContext } from '../../src/dialer/policy/attempts.ts';
import { anyTime } from '../../src/dialer/policy/windows.ts';

const at = (iso: string) => new Date(iso).getTime();
const ctx: DueContext = { timeZone: 'Europe/Amsterdam', country: 'NL', dnc: false, callInProgress: false, agentReserved: false };
const fresh: ContactState = { status: 'pending', attempts: 0, nextAttemptAtMs: null };
const SUNDAY_2330 = at('2026-11-29T22:30:00Z'); // Sunday 23:30 in Amsterdam
const attempt = (iso: string, outcome: AttemptRecord['outcome'], conversation = false): AttemptRecord => ({ atMs: at(iso), outcome, conversation });

test('on a Sunday at 23:30 the law says Monday 08:00; anyTime says now', () => {
  assert.deepEqual(decideDue(fresh, [], SUNDAY_2330, S, ctx), { due: false, reason: 'sunday', nextAt: at('2026-11-30T07:00:00Z') });
  assert.deepEqual(decideDue(fresh, [], SUNDAY_2330, S, ctx, anyTime), { due: true });
});

test('anyTime keeps every rule about the contact: retry delay, day cap, quiet days, closed, do-not-call', () => {
  const cases: Array<[string, AttemptRecord[], ContactState, DueContext, string]> = [
    ['busy 10 min ago', [attempt('2026-11-29T22:20:00Z', 'busy')], fresh, ctx, 'retry_delay'],
    ['two attempts today', [attempt('2026-11-29T20:00:00Z', 'no_answer'), attempt('2026-11-29T09:00:00Z', 'no_answer')], fresh, ctx, 'day_cap'],
    ['spoke to them yesterday', [attempt('2026-11-28T10:00:00Z', 'answered', true)], fresh, ctx, 'quiet_after_conversation'],
    ['closed', [], { ...fresh, status: 'done' }, ctx, 'closed'],
    ['do-not-call', [], fresh, { ...ctx, dnc: true }, 'dnc'],
  ];
  for (const [what, history, contact, c, reason] of cases) {
    const r = decideDue(contact, history, SUNDAY_2330, S, c, anyTime);
    assert.equal(!r.due && r.reason, reason, what);
  }
});

test('a busy demo attempt is retried after its delay, not at Monday 08:00', () => {
  const next = outcomeToNext(
    { outcome: 'busy', conversation: false, closed: false, phoneStatus: null },
    S,
    { ...ctx, nowMs: SUNDAY_2330, attempts: 1, history: [], otherPhonesLeft: false },
    anyTime,
  );
  assert.equal(next.nextAttemptAtMs, SUNDAY_2330 + 30 * 60_000);
  const legal = outcomeToNext({ outcome: 'busy', conversation: false, closed: false, phoneStatus: null }, S, { ...ctx, nowMs: SUNDAY_2330, attempts: 1, history: [], otherPhonesLeft: false });
  assert.equal(legal.nextAttemptAtMs, at('2026-11-30T07:00:00Z'));
});
