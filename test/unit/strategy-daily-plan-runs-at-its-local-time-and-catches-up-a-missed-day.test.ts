import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { MessageComposer } from '../../src/messaging/compose.ts';
import { StrategyPlanner } from '../../src/strategy/planner.ts';
import { DailyPlanTimer } from '../../src/strategy/timer.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';

const DAILY = { id: 'default', name: 'Daily', segments: [{ name: 'all', steps: [{ day: 0, action: 'sms' }, { day: 1, action: 'email' }, { day: 3, action: 'sms' }] }] };

function rig(start: string) {
  const store = memoryStore();
  const clock = new FakeClock(start);
  const log = silentLogger();
  const composer = new MessageComposer({ store, clock, publicUrl: 'https://bereik.example.nl', smsSender: 'number:+3197010587400', emailFrom: 'Incasso <noreply@example.nl>', linkTtlDays: 30 });
  const planner = new StrategyPlanner({ store, clock, log, composer });
  store.strategies.save({ id: 'default', name: 'Daily', json: JSON.stringify(DAILY) }, true, '2027-03-01T00:00:00.000Z');
  const debtor = seedDebtor(store);
  const timer = (at = '07:00') => new DailyPlanTimer({ clock, log, planner, lastRunDay: () => store.strategies.lastRunDay(), at });
  const done = () => store.strategies.actionsOf(debtor.debtorId).reverse().map((a) => `${a.plannedFor} ${a.action}`);
  return { store, clock, timer, done };
}

test('the plan runs at 07:00 Amsterdam time each day, across the DST change, and not before', async (t) => {
  const r = rig('2027-03-27T04:00:00Z'); // Saturday 05:00 CET
  const timer = r.timer();
  t.after(() => timer.stop());
  const at = async (iso: string) => {
    await r.clock.set(iso);
    await timer.idle();
  };
  timer.start();
  await r.clock.advance(0);
  assert.deepEqual(r.done(), [], 'before 07:00 nothing is planned');
  await at('2027-03-27T05:59:00Z');
  assert.deepEqual(r.done(), []);
  await at('2027-03-27T06:00:00Z'); // 07:00 CET
  assert.deepEqual(r.done(), ['2027-03-27 sms']);
  assert.equal(r.store.strategies.lastRunDay(), '2027-03-27');
  await at('2027-03-28T06:00:00Z'); // Sunday 08:00 CEST: ran at 05:00 UTC, nothing on a Sunday
  assert.equal(r.store.strategies.lastRunDay(), '2027-03-28');
  assert.deepEqual(r.done(), ['2027-03-27 sms']);
  await at('2027-03-29T04:59:00Z'); // Easter Monday 06:59 CEST
  assert.equal(r.store.strategies.lastRunDay(), '2027-03-28');
  await at('2027-03-29T05:00:00Z'); // 07:00 CEST: runs, but nothing is sent on a public holiday
  assert.equal(r.store.strategies.lastRunDay(), '2027-03-29');
  assert.deepEqual(r.done(), ['2027-03-27 sms']);
  await at('2027-03-30T04:59:00Z');
  assert.deepEqual(r.done(), ['2027-03-27 sms']);
  await at('2027-03-30T05:00:00Z');
  assert.deepEqual(r.done(), ['2027-03-27 sms', '2027-03-30 email'], 'the day-1 step waited out Sunday and Easter Monday');
});

test('a service started after the planned time plans the missed day at once, and only once', async (t) => {
  const r = rig('2027-03-30T05:00:00Z'); // Tuesday 07:00 CEST
  const first = r.timer();
  first.start();
  await first.idle();
  await first.stop();
  assert.deepEqual(r.done(), ['2027-03-30 sms']);
  await r.clock.set('2027-04-01T10:00:00Z'); // Thursday noon: the service was down at 07:00 on Wednesday and Thursday
  const second = r.timer();
  t.after(() => second.stop());
  second.start();
  await second.idle();
  assert.deepEqual(r.done(), ['2027-03-30 sms', '2027-04-01 email'], 'the missed days are caught up one action a day from today');
  const third = r.timer();
  third.start();
  await third.idle();
  await third.stop();
  assert.deepEqual(r.done(), ['2027-03-30 sms', '2027-04-01 email'], 'a restart the same day does not plan again');
  await r.clock.set('2027-04-02T05:00:00Z'); // Good Friday is no public holiday here
  await second.idle();
  assert.deepEqual(r.done(), ['2027-03-30 sms', '2027-04-01 email', '2027-04-02 sms']);
  assert.throws(() => r.timer('7:00'), /strategies\.planAt must be a local time HH:MM, got "7:00"/);
});
