/**
 * The events a strategy answers come from what became of its own actions, read back from the
 * store: an SMS that failed, a pay link opened without payment, an automated call nobody
 * answered, a promise whose date passed. Each step fires on the debtor's next day.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { MessageComposer } from '../../src/messaging/compose.ts';
import { CampaignService } from '../../src/campaigns/service.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { StrategyPlanner } from '../../src/strategy/planner.ts';
import type { StrategyDoc } from '../../src/strategy/schema.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';

const STRATEGY: StrategyDoc = {
  id: 'events', name: 'Events',
  segments: [{
    name: 'all',
    steps: [
      { day: 0, action: 'sms' },
      { day: 1, action: 'call_ivr' },
      { on: 'message_not_delivered', action: 'email' },
      { on: 'link_opened_not_paid', action: 'external', kind: 'letter' },
      { on: 'no_answer', action: 'external', kind: 'visit' },
      { on: 'promise_broken', action: 'call_agent' },
    ],
  }],
};

function rig() {
  const store = memoryStore();
  const clock = new FakeClock('2026-11-23T07:00:00Z'); // Monday
  const log = silentLogger();
  const composer = new MessageComposer({ store, clock, publicUrl: 'https://b.example.nl', smsSender: 'number:+3197010587400', emailFrom: 'x@example.nl', linkTtlDays: 30 });
  const planner = new StrategyPlanner({ store, clock, log, composer, campaigns: new CampaignService({ store, clock, log }), callerId: '+31201234567', defaultStrategyId: 'events' });
  store.strategies.save({ id: 'events', name: 'Events', json: JSON.stringify(STRATEGY) }, true, '2026-11-01T00:00:00.000Z');
  return { store, clock, planner, db: sqliteHandle(store) };
}

const today = (r: ReturnType<typeof rig>, debtorId: number, date: string) =>
  r.store.strategies.actionsOf(debtorId).filter((a) => a.plannedFor === date).map((a) => `${a.kind ?? a.action}${a.eventOn ? `@${a.eventOn}` : ''}`).sort();

test('an undelivered SMS is answered by e-mail, and an opened pay link by a letter, the next day', async () => {
  const r = rig();
  const failed = seedDebtor(r.store);
  const opened = seedDebtor(r.store);
  await r.planner.planDay();
  const smsOf = (debtorId: number) => r.store.strategies.actionsOf(debtorId).find((a) => a.action === 'sms')!.messageId!;
  r.db.prepare(`UPDATE messages SET status = 'failed', done_at = '2026-11-23T09:00:00.000Z' WHERE id = ?`).run(smsOf(failed.debtorId));
  r.db.prepare(`UPDATE message_links SET opens = 1, first_opened_at = '2026-11-23T18:30:00.000Z' WHERE message_id = ? AND kind = 'pay'`).run(smsOf(opened.debtorId));

  await r.clock.set('2026-11-24T07:00:00Z');
  await r.planner.planDay();
  // The event step takes the day; day 1's call waits for tomorrow (one action a day).
  assert.deepEqual(today(r, failed.debtorId, '2026-11-24'), ['email@2026-11-23']);
  assert.deepEqual(today(r, opened.debtorId, '2026-11-24'), ['letter@2026-11-23']);
  await r.clock.set('2026-11-25T07:00:00Z');
  await r.planner.planDay();
  assert.deepEqual(today(r, failed.debtorId, '2026-11-25'), ['call_ivr'], 'each event once');
});

test('an automated call nobody answered is answered by a visit; a broken promise by an agent', async () => {
  const r = rig();
  const d = seedDebtor(r.store);
  await r.planner.planDay();
  await r.clock.set('2026-11-24T07:00:00Z');
  await r.planner.planDay();
  const call = r.store.strategies.actionsOf(d.debtorId).find((a) => a.action === 'call_ivr')!;
  // What the dialer writes after an attempt nobody picked up, late on Tuesday evening in Amsterdam.
  r.db.prepare(`UPDATE contacts SET attempts = 1, last_attempt_at = '2026-11-24T18:50:00.000Z', last_outcome = 'no_answer' WHERE id = ?`).run(call.contactId);
  await r.clock.set('2026-11-25T07:00:00Z');
  await r.planner.planDay();
  assert.deepEqual(today(r, d.debtorId, '2026-11-25'), ['visit@2026-11-24']);

  // A promise to pay by Friday, made on Wednesday: nothing until then; Saturday the promise is broken.
  r.db.prepare(`UPDATE claims SET status = 'promised' WHERE id = ?`).run(d.claimIds[0]);
  r.db.prepare(`INSERT INTO dispositions (claim_id, kind, promise_date, created_at) VALUES (?, 'promise_to_pay', '2026-11-27', '2026-11-25T10:00:00.000Z')`).run(d.claimIds[0]);
  await r.clock.set('2026-11-26T07:00:00Z');
  assert.deepEqual((await r.planner.planDay()).stoppedBy, { promise_active: 1 });
  await r.clock.set('2026-11-27T07:00:00Z');
  assert.deepEqual((await r.planner.planDay()).stoppedBy, { promise_active: 1 }, 'the promised day itself');
  await r.clock.set('2026-11-28T07:00:00Z');
  await r.planner.planDay();
  assert.deepEqual(today(r, d.debtorId, '2026-11-28'), ['call_agent@2026-11-27']);
});
