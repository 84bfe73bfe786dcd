import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionDay, localDate } from '../../src/strategy/days.ts';
import { planToday, type History, type PastAction, type PastEvent } from '../../src/strategy/plan.ts';
import type { StrategyDoc } from '../../src/strategy/schema.ts';
import { plusDays, type DebtorFacts } from '../../src/strategy/segment.ts';
import { facts, shippedDefault } from './strategy-fixture.ts';

const shipped = shippedDefault();
const NL = { timeZone: 'Europe/Amsterdam', country: 'NL' };

/** Runs the planner once a day from `from` for `days` days, as the daily planner would, executing what it plans. */
function run(s: StrategyDoc, o: { startedOn: string; from?: string; days: number; facts?: (date: string) => DebtorFacts; events?: PastEvent[] }) {
  const actions: PastAction[] = [];
  const out: string[] = [];
  for (let i = 0; i < o.days; i++) {
    const today = plusDays(o.from ?? o.startedOn, i);
    const history: History = { startedOn: o.startedOn, actions, events: o.events ?? [] };
    const plan = planToday(s, o.facts?.(today) ?? facts(), history, today, actionDay(today, NL));
    if (plan.kind === 'act') {
      const seg = s.segments.find((x) => x.name === plan.segment)!;
      for (const d of plan.steps) actions.push({ segment: plan.segment, stepIndex: d.index, plannedFor: today, status: 'executed' });
      out.push(`${today} ${plan.steps.map((d) => seg.steps[d.index]!.kind ?? seg.steps[d.index]!.action).join('+')}`);
    } else if (plan.kind === 'wait') out.push(`${today} wait:${plan.reason}→${plan.nextDay}`);
    else if (plan.kind === 'stop') out.push(`${today} stop:${plan.condition}`);
  }
  return out;
}

test('small amount, a Wednesday start: SMS and e-mail on day 0, automated call day 3 (a Saturday), SMS day 7, e-mail day 10, letter day 14', () => {
  // The Sundays in between have nothing due: no wait is reported for them.
  assert.deepEqual(run(shipped, { startedOn: '2026-11-25', days: 20 }), [
    '2026-11-25 sms+email', '2026-11-28 call_ivr', '2026-12-02 sms', '2026-12-05 email', '2026-12-09 letter',
  ]);
});

test('a step that falls on a Sunday is done on the Monday', () => {
  assert.deepEqual(run(shipped, { startedOn: '2026-11-26', days: 6 }), ['2026-11-26 sms+email', '2026-11-29 wait:sunday→2026-11-30', '2026-11-30 call_ivr']);
});

test('Christmas: day 3 on Eerste Kerstdag waits past Tweede Kerstdag and the Sunday to Monday 28 December', () => {
  assert.deepEqual(run(shipped, { startedOn: '2026-12-22', days: 8 }), [
    '2026-12-22 sms+email',
    '2026-12-25 wait:public_holiday→2026-12-28',
    '2026-12-26 wait:public_holiday→2026-12-28',
    '2026-12-27 wait:sunday→2026-12-28',
    '2026-12-28 call_ivr',
    '2026-12-29 sms',
  ]);
});

test('the planner was down for ten days: the missed steps come one a day, oldest first, never two on one day', () => {
  assert.deepEqual(run(shipped, { startedOn: '2026-11-09', from: '2026-11-19', days: 6 }), [
    '2026-11-19 sms+email',
    '2026-11-20 call_ivr',
    '2026-11-21 sms',
    '2026-11-22 wait:sunday→2026-11-23',
    '2026-11-23 email',
    '2026-11-24 letter',
  ]);
});

test('DST change days: "today" is the debtor\'s local date, day offsets count calendar days, and both change days are Sundays here', () => {
  assert.equal(localDate(Date.parse('2026-03-28T22:59:00Z'), 'Europe/Amsterdam'), '2026-03-28', '23:59 CET');
  assert.equal(localDate(Date.parse('2026-03-28T23:00:00Z'), 'Europe/Amsterdam'), '2026-03-29', 'midnight, the spring-forward day');
  assert.equal(localDate(Date.parse('2026-10-24T22:00:00Z'), 'Europe/Amsterdam'), '2026-10-25', 'midnight CEST, the fall-back day');
  assert.equal(localDate(Date.parse('2026-10-25T22:59:00Z'), 'Europe/Amsterdam'), '2026-10-25', '23:59 CET, 25 hours later');
  assert.equal(localDate(Date.parse('2026-10-25T23:00:00Z'), 'Europe/Amsterdam'), '2026-10-26');
  assert.equal(localDate(Date.parse('2026-11-01T04:30:00Z'), 'America/New_York'), '2026-11-01', 'New York, 00:30 EDT');
  // Day 3 on the fall-back Sunday moves to Monday; day 7 stays on its calendar day.
  assert.deepEqual(run(shipped, { startedOn: '2026-10-22', days: 9 }), ['2026-10-22 sms+email', '2026-10-25 wait:sunday→2026-10-26', '2026-10-26 call_ivr', '2026-10-29 sms']);
  assert.deepEqual(run(shipped, { startedOn: '2026-03-26', days: 5 }), ['2026-03-26 sms+email', '2026-03-29 wait:sunday→2026-03-30', '2026-03-30 call_ivr']);
});

test('event steps fire the day after the event, once per event, and take the day', () => {
  const s: StrategyDoc = {
    id: 'e', name: 'E',
    segments: [{ name: 'all', steps: [{ day: 0, action: 'call_ivr' }, { on: 'no_answer', action: 'sms' }, { day: 2, action: 'email' }, { on: 'message_not_delivered', action: 'email', sameDay: true }] }],
  };
  const events: PastEvent[] = [{ kind: 'no_answer', on: '2026-11-23' }, { kind: 'no_answer', on: '2026-11-26' }];
  assert.deepEqual(run(s, { startedOn: '2026-11-23', days: 5, events }), [
    '2026-11-23 call_ivr',
    '2026-11-24 sms', // the day after the unanswered call
    '2026-11-25 email', // day 2
    '2026-11-27 sms', // the second unanswered call
  ]);
  // An undelivered message's step is sameDay: it goes beside the day's other action.
  assert.deepEqual(run(s, { startedOn: '2026-11-23', days: 3, events: [{ kind: 'message_not_delivered', on: '2026-11-24' }] }), [
    '2026-11-23 call_ivr',
    '2026-11-25 email+email', // day 2's e-mail, and the pay link again by e-mail for the undelivered SMS
  ]);
});

test('a promise stops the strategy until its date; the day after, the broken promise is an event and the timeline resumes', () => {
  const out = run(shipped, {
    startedOn: '2026-11-23', days: 5,
    // Promised on the 23rd (after the SMS) to pay by the 26th; nothing came.
    facts: (d) => (d === '2026-11-23' ? facts() : facts({ promisedUntil: '2026-11-26' })),
    events: [{ kind: 'promise_broken', on: '2026-11-26' }],
  });
  assert.deepEqual(out, ['2026-11-23 sms+email', '2026-11-24 stop:promise_active', '2026-11-25 stop:promise_active', '2026-11-26 stop:promise_active', '2026-11-27 sms']);
  // The SMS is the broken promise's step; day 3's automated call follows the next day.
});

test('paid, disputed, opted out: nothing is planned however much is due', () => {
  for (const over of [{ openClaims: 0, openCents: 0 }, { disputed: true }, { optedOutAll: true }] as Partial<DebtorFacts>[]) {
    const plan = planToday(shipped, facts(over), { startedOn: '2026-11-01', actions: [], events: [] }, '2026-11-23', { ok: true });
    assert.equal(plan.kind, 'stop');
  }
});

test('high amount: an agent on day 1; small amount never an agent in three weeks', () => {
  assert.deepEqual(run(shipped, { startedOn: '2026-11-23', days: 3, facts: () => facts({ openCents: 150_000 }) }), ['2026-11-23 sms+email', '2026-11-24 call_agent']);
  assert.ok(run(shipped, { startedOn: '2026-11-23', days: 21 }).every((l) => !l.includes('call_agent')));
});
