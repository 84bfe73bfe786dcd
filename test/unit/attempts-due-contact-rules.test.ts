import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { decideDue, outcomeToNext, type AttemptRecord, type ContactState, type DueContext } from '../../src/dialer/policy/attempts.ts';

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ctx: DueContext = { timeZone: 'Europe/Amsterdam', country: 'NL', dnc: false, callInProgress: false, agentReserved: false };
const fresh: ContactState = { status: 'pending', attempts: 0, nextAttemptAtMs: null };
const S = DEFAULT_SETTINGS;
const attempt = (when: string, outcome: AttemptRecord['outcome'], conversation = false): AttemptRecord => ({ atMs: at(when), outcome, conversation });
const MONDAY_11 = at('2026-11-23T10:00:00Z'); // Monday 11:00 in Amsterdam

test('a fresh contact inside the window is due', () => {
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, ctx), { due: true });
});

test('do-not-call, closed, exhausted and in-progress contacts are never due', () => {
  const cases: Array<[ContactState, DueContext, string]> = [
    [fresh, { ...ctx, dnc: true }, 'dnc'],
    [{ ...fresh, status: 'done' }, ctx, 'closed'],
    [{ ...fresh, attempts: S.maxAttemptsTotal }, ctx, 'exhausted'],
    [fresh, { ...ctx, callInProgress: true }, 'in_progress'],
  ];
  for (const [contact, c, reason] of cases) assert.deepEqual(decideDue(contact, [], MONDAY_11, S, c), { due: false, reason, nextAt: null });
});

test('the retry delay depends on the last outcome (busy 30 min, no answer 2 h)', () => {
  assert.deepEqual(decideDue(fresh, [attempt('2026-11-23T09:50:00Z', 'busy')], MONDAY_11, S, ctx), {
    due: false,
    reason: 'retry_delay',
    nextAt: at('2026-11-23T10:20:00Z'),
  });
  const r = decideDue(fresh, [attempt('2026-11-23T09:00:00Z', 'no_answer')], MONDAY_11, S, ctx);
  assert.equal(!r.due && iso(r.nextAt), '2026-11-23T11:00:00.000Z');
});

test('a retry that would land after 20:00 on Saturday moves to Monday 08:00', () => {
  const r = decideDue(fresh, [attempt('2026-11-21T18:45:00Z', 'busy')], at('2026-11-21T18:50:00Z'), S, ctx);
  assert.deepEqual(r, { due: false, reason: 'retry_delay', nextAt: at('2026-11-23T07:00:00Z') });
});

test('two attempts today hit the daily cap: next is tomorrow 08:00 local', () => {
  const h = [attempt('2026-11-23T07:30:00Z', 'busy'), attempt('2026-11-23T08:00:00Z', 'busy')];
  assert.deepEqual(decideDue(fresh, h, MONDAY_11, S, ctx), { due: false, reason: 'day_cap', nextAt: at('2026-11-24T07:00:00Z') });
});

test('seven attempts in the last seven days: the eighth waits until the oldest is seven days old', () => {
  const h = ['2026-11-17T09:00', '2026-11-17T15:00', '2026-11-18T09:00', '2026-11-19T09:00', '2026-11-20T09:00', '2026-11-21T09:00', '2026-11-21T15:00'].map((t) =>
    attempt(`${t}:00Z`, 'no_answer'),
  );
  const r = decideDue(fresh, h, MONDAY_11, S, ctx);
  assert.equal(!r.due && r.reason, 'week_cap');
  assert.equal(!r.due && iso(r.nextAt), '2026-11-24T09:00:00.001Z');
});

test('no call within 7 days after a conversation', () => {
  const r = decideDue(fresh, [attempt('2026-11-20T10:00:00Z', 'hangup_early', true)], MONDAY_11, S, ctx);
  assert.deepEqual(r, { due: false, reason: 'quiet_after_conversation', nextAt: at('2026-11-27T10:00:00Z') });
});

test('an abandoned number is not called for 72 h, unless an agent is reserved for it', () => {
  const h = [attempt('2026-11-23T10:00:00Z', 'abandoned')];
  const tuesday = at('2026-11-24T10:00:00Z');
  assert.deepEqual(decideDue(fresh, h, tuesday, S, ctx), { due: false, reason: 'abandon_quiet', nextAt: at('2026-11-26T10:00:00Z') });
  assert.deepEqual(decideDue(fresh, h, tuesday, S, { ...ctx, agentReserved: true }), { due: true });
});

test('a scheduled callback time is respected', () => {
  const r = decideDue({ ...fresh, nextAttemptAtMs: at('2026-11-25T13:00:00Z') }, [], MONDAY_11, S, ctx);
  assert.deepEqual(r, { due: false, reason: 'scheduled', nextAt: at('2026-11-25T13:00:00Z') });
});

test('outside the window the reason is the window and nextAt is its opening', () => {
  assert.deepEqual(decideDue(fresh, [], at('2026-11-22T10:00:00Z'), S, ctx), { due: false, reason: 'sunday', nextAt: at('2026-11-23T07:00:00Z') });
});

const oc = (over: Partial<Parameters<typeof outcomeToNext>[2]> = {}) => ({ ...ctx, nowMs: MONDAY_11, attempts: 1, history: [], otherPhonesLeft: false, ...over });

test('outcomeToNext: a settled call closes the contact and marks the phone active', () => {
  const n = outcomeToNext({ outcome: 'answered', conversation: true, closed: true, phoneStatus: 'active' }, S, oc());
  assert.deepEqual(n, { contactStatus: 'done', nextAttemptAtMs: null, phoneStatus: 'active', abandonedAtMs: null, conversationAtMs: MONDAY_11 });
});

test('outcomeToNext: an unallocated number makes the phone invalid; the contact too when no other phone is left', () => {
  const r = { outcome: 'failed' as const, conversation: false, closed: false, phoneStatus: 'invalid' as const };
  assert.equal(outcomeToNext(r, S, oc()).contactStatus, 'invalid');
  const other = outcomeToNext(r, S, oc({ otherPhonesLeft: true }));
  assert.equal(other.contactStatus, 'pending');
  assert.equal(other.phoneStatus, 'invalid');
});

test('outcomeToNext: busy leaves the phone unchanged and retries after 30 minutes', () => {
  const n = outcomeToNext({ outcome: 'busy', conversation: false, closed: false, phoneStatus: null }, S, oc());
  assert.deepEqual(n, { contactStatus: 'pending', nextAttemptAtMs: MONDAY_11 + 30 * 60_000, phoneStatus: null, abandonedAtMs: null, conversationAtMs: null });
});

test('outcomeToNext: the last allowed attempt exhausts the contact', () => {
  const n = outcomeToNext({ outcome: 'no_answer', conversation: false, closed: false, phoneStatus: null }, S, oc({ attempts: S.maxAttemptsTotal }));
  assert.equal(n.contactStatus, 'exhausted');
  assert.equal(n.nextAttemptAtMs, null);
});

test('outcomeToNext: an abandoned call records abandoned_at and waits 72 h', () => {
  const n = outcomeToNext({ outcome: 'abandoned', conversation: false, closed: false, phoneStatus: 'active' }, S, oc());
  assert.equal(n.abandonedAtMs, MONDAY_11);
  assert.equal(iso(n.nextAttemptAtMs), '2026-11-26T10:00:00.000Z');
});

// One person, several claims: calls about the debtor's other claims (ctx.otherClaims).

test('other claims: a call about another claim a moment ago holds this claim for that outcome’s retry delay', () => {
  const other = [attempt('2026-11-23T09:55:00Z', 'no_answer')];
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other }), { due: false, reason: 'debtor_recent_call', nextAt: at('2026-11-23T11:55:00Z') });
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, ctx), { due: true }, 'without the other claim’s call: due now');
});

test('other claims: after a conversation about another claim, not again that day: the next calling morning', () => {
  const other = [attempt('2026-11-23T09:30:00Z', 'answered', true)];
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other }), { due: false, reason: 'debtor_spoken_today', nextAt: at('2026-11-24T07:00:00Z') });
});

test('other claims: the day cap counts the person’s calls across claims', () => {
  const settings = { ...S, maxAttemptsPerDay: 2 };
  const mine = [attempt('2026-11-23T07:10:00Z', 'busy')];
  const other = [attempt('2026-11-23T08:00:00Z', 'busy')];
  assert.deepEqual(decideDue(fresh, mine, MONDAY_11, settings, { ...ctx, otherClaims: other }), { due: false, reason: 'debtor_day_cap', nextAt: at('2026-11-24T07:00:00Z') });
  assert.deepEqual(decideDue(fresh, mine, MONDAY_11, settings, ctx), { due: true }, 'one call today on this claim alone: still due');
});

test('other claims: an abandoned call about another claim keeps the number quiet for 72 h, unless an agent is reserved', () => {
  const other = [attempt('2026-11-23T09:00:00Z', 'abandoned')];
  const r = decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other });
  assert.equal(r.due, false);
  assert.ok(!r.due && r.nextAt! >= at('2026-11-26T09:00:00Z'), 'not within 72 h');
  const reserved = decideDue(fresh, [], at('2026-11-23T11:00:00Z'), S, { ...ctx, agentReserved: true, otherClaims: other });
  assert.equal(reserved.due, true);
});

test('other claims: yesterday’s calls about other claims do not hold today', () => {
  const other = [attempt('2026-11-22T15:00:00Z', 'answered', true), attempt('2026-11-22T16:00:00Z', 'busy')];
  assert.deepEqual(decideDue(fresh, [], MONDAY_11, S, { ...ctx, otherClaims: other }), { due: true });
});
