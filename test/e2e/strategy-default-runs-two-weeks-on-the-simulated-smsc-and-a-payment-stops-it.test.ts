/**
 * The shipped default strategy over fifteen days (Monday 23 November to Monday 7 December
 * 2026), a day at a time: each morning at 09:00 in Amsterdam the plan runs and the outbox
 * sends over the simulated SMSC and the test mail server, for real. Three debtors: a small
 * amount that never pays, a small amount paid on day 2 (the payments service), and a large
 * amount that goes to an agent on day 1. What the handsets and mailboxes received and what
 * the actions table says must equal this test's own ledger; Sundays nothing happens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DayClock } from '../helpers/day-clock.ts';
import { until } from '../helpers/until.ts';
import { blankEntry } from '../../src/payments/types.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { startTestApp } from '../helpers/app.ts';
import { seedDebtor } from '../helpers/messages.ts';
import { plusDays } from '../../src/strategy/segment.ts';

const DAY0 = '2026-11-23';
const morning = (date: string) => Date.parse(`${date}T08:00:00Z`); // 09:00 in Amsterdam (CET)

test('the default strategy over two weeks: digital steps for small amounts, an agent on day 1 for a large one, and a payment stops everything', async (t) => {
  const clock = new DayClock(morning(DAY0));
  const a = await startTestApp({ clock, telephony: false, messaging: {}, config: { messages: { pollMs: 50 }, strategies: { callerId: '+31201234567', defaultId: 'default' } } });
  t.after(() => a.close());
  const { store } = a.app.deps;
  const smsc = a.app.deps.messaging!.sims.smsc!;
  const mail = a.app.deps.messaging!.sims.mail!;
  const db = sqliteHandle(store);
  const never = seedDebtor(store, { claims: [{ cents: 8_000 }] });
  const payer = seedDebtor(store, { claims: [{ cents: 12_000 }] });
  const large = seedDebtor(store, { claims: [{ cents: 90_000 }, { cents: 60_000 }] });

  const plans: Record<string, unknown> = {};
  for (let day = 0; day <= 14; day++) {
    const date = plusDays(DAY0, day);
    clock.jumpTo(morning(date));
    if (day === 2) {
      const paid = a.app.deps.payments.apply({ ...blankEntry('api', 'e2e'), externalId: 'psp-payer', amountCents: 12_000, bookedOn: date, claimId: payer.claimIds[0]! }, null, new Date(clock.now()).toISOString());
      assert.equal(paid.kind, 'matched');
    }
    const res = await a.api('/strategies/plan', { method: 'POST' });
    assert.equal(res.status, 200);
    const c = (await res.json()) as { today: string; planned: number; waiting: number };
    assert.equal(c.today, date);
    plans[date] = c.planned;
    await until(`${date}: the outbox is empty`, () => db.prepare(`SELECT count(*) FROM messages WHERE status IN ('queued', 'submitting')`).pluck().get() === 0).catch((e) => { console.log(JSON.stringify(db.prepare(`SELECT id, channel, status, next_attempt_at, error_code, error, to_addr FROM messages`).all())); throw e; });
  }

  const ledger = (debtorId: number) =>
    store.strategies.actionsOf(debtorId).reverse().map((x) => `${x.plannedFor} ${x.kind ?? x.action} ${x.status}`);
  assert.deepEqual(ledger(never.debtorId), [
    '2026-11-23 sms executed', '2026-11-23 email executed', '2026-11-26 call_ivr executed', '2026-11-30 sms executed', '2026-12-03 email executed', '2026-12-07 letter executed',
  ]);
  assert.deepEqual(ledger(payer.debtorId), ['2026-11-23 sms executed', '2026-11-23 email executed'], 'paid on day 2: no automated call on day 3, nothing after');
  assert.deepEqual(ledger(large.debtorId), [
    '2026-11-23 sms executed', '2026-11-23 email executed', '2026-11-24 call_agent executed', '2026-11-27 call_ivr executed', '2026-11-30 call_agent executed',
    '2026-12-03 letter executed', '2026-12-07 call_agent executed',
  ]);
  assert.equal(plans['2026-11-29'], 0, 'Sunday');
  assert.equal(plans['2026-12-06'], 0, 'Sunday');

  // What the debtors received, as the handsets and mailboxes saw it.
  assert.equal(smsc.inbox(never.mobile).length, 2);
  assert.equal(mail.inbox(never.email).length, 2);
  assert.equal(smsc.inbox(payer.mobile).length, 1);
  assert.equal(mail.inbox(payer.email).length, 1);
  assert.equal(smsc.inbox(large.mobile).length, 1);
  assert.match(smsc.inbox(large.mobile)[0]!.text, /1\.500,00|1500/, 'one message about both claims, the total open');

  // Calls: one contact per person in the strategy's campaigns, which the dialer would call.
  const calls = db.prepare(`SELECT c.name, c.mode, c.state, k.debtor_id AS debtorId FROM contacts k JOIN campaigns c ON c.id = k.campaign_id ORDER BY c.name, k.debtor_id`).all() as Array<{ name: string; mode: string; state: string; debtorId: number }>;
  assert.deepEqual(calls.map((c) => [c.name.replace(/^Strategy: .*\((.*)\)$/, '$1'), c.mode, c.state, c.debtorId]), [
    ['IVR', 'agentless', 'running', never.debtorId],
    ['IVR', 'agentless', 'running', large.debtorId],
    ['agent', 'progressive', 'running', large.debtorId],
  ]);
});
