/**
 * A debtor answers the strategy's SMS with "Ik betaal vrijdag" over the simulated SMSC. The
 * reply records the promise itself: a confirmation naming Friday reaches the handset, the
 * promise shows on the debtor's timeline, the strategy leaves the debtor alone until Friday
 * (the automated call due on Thursday does not happen), the day after Friday the broken
 * promise resumes it, and the score per action counts the SMS with a promise result, from
 * the rollup and from the exact path alike. Virtual days: each morning at 09:00 in
 * Amsterdam the plan runs; the clock jumps between mornings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DayClock } from '../helpers/day-clock.ts';
import { until } from '../helpers/until.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { startTestApp } from '../helpers/app.ts';
import { seedDebtor } from '../helpers/messages.ts';
import { plusDays } from '../../src/strategy/segment.ts';

const MONDAY = '2026-12-07';
const morning = (date: string) => Date.parse(`${date}T08:00:00Z`); // 09:00 in Amsterdam (CET)

interface ReportRow { action: string; executed: number; withResult: number; results: { promise: number; paidFull: number } }

test('"Ik betaal vrijdag" records a promise until Friday: confirmed, on the timeline, the strategy waits, then resumes; the SMS scores a promise', async (t) => {
  const clock = new DayClock(morning(MONDAY));
  const a = await startTestApp({ clock, telephony: false, messaging: {}, config: { messages: { pollMs: 50 }, strategies: { callerId: '+31201234567', defaultId: 'default' } } });
  t.after(() => a.close());
  const { store } = a.app.deps;
  const smsc = a.app.deps.messaging!.sims.smsc!;
  const db = sqliteHandle(store);
  // A small amount and no e-mail address: the strategy's first action is one SMS.
  const d = seedDebtor(store, { claims: [{ cents: 8_000 }] });
  db.prepare(`UPDATE debtors SET email = NULL WHERE id = ?`).run(d.debtorId);

  const planDay = async (date: string) => {
    clock.jumpTo(morning(date));
    const res = await a.api('/strategies/plan', { method: 'POST' });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { today: string }).today, date);
    await until(`${date}: the outbox is empty`, () => db.prepare(`SELECT count(*) FROM messages WHERE status IN ('queued', 'submitting')`).pluck().get() === 0);
  };
  const ledger = () => store.strategies.actionsOf(d.debtorId).reverse().map((x) => `${x.plannedFor} ${x.kind ?? x.action} ${x.status}`);

  await planDay(MONDAY);
  await planDay(plusDays(MONDAY, 1));
  await planDay(plusDays(MONDAY, 2)); // Wednesday 9 December
  const day0 = ['2026-12-07 sms executed', '2026-12-07 email skipped'];
  assert.deepEqual(ledger(), day0);
  assert.equal(smsc.inbox(d.mobile).length, 1);

  await smsc.reply(d.mobile, '+3197010587400', 'Ik betaal vrijdag');
  const confirmation = await until('the confirmation at the handset', () => smsc.inbox(d.mobile).find((m) => /noteren/.test(m.text)));
  assert.equal(confirmation.text, 'Dank u. We noteren dat u uiterlijk vrijdag 11 december betaalt.');
  assert.equal(confirmation.from, '+3197010587400');

  // On the timeline, as an agent's promise shows: the date, the open amount, the reply it came from.
  const page = (await (await a.api(`/debtors/${d.debtorId}/timeline`)).json()) as { entries: Array<{ kind: string; detail: Record<string, unknown> }>; debtor: { claims: Array<{ status: string }> } };
  const promise = page.entries.find((e) => e.kind === 'disposition');
  assert.ok(promise, JSON.stringify(page.entries.map((e) => e.kind)));
  assert.equal(promise.detail.kind, 'promise_to_pay');
  assert.equal(promise.detail.promiseDate, '2026-12-11');
  assert.equal(promise.detail.amountCents, 8_000);
  assert.equal(promise.detail.agent, null);
  assert.match(String(promise.detail.note), /^sms reply #\d+$/);
  assert.deepEqual(page.debtor.claims.map((c) => c.status), ['promised']);
  const reply = page.entries.find((e) => e.kind === 'reply')!;
  assert.equal(reply.detail.status, 'handled', 'no person needs to read it');
  assert.equal(store.replies.inbox({ status: 'waiting', debtorId: d.debtorId }).length, 0);

  // Thursday (the automated call's day 3) and Friday: the promise holds, nothing happens.
  await planDay(plusDays(MONDAY, 3));
  await planDay(plusDays(MONDAY, 4));
  assert.deepEqual(ledger(), day0);
  // Saturday: Friday has passed unpaid, the promise is broken and the strategy resumes.
  await planDay(plusDays(MONDAY, 5));
  // The default strategy's small segment answers a broken promise with an SMS.
  assert.deepEqual(ledger(), [...day0, '2026-12-12 sms executed']);
  assert.equal(smsc.inbox(d.mobile).filter((m) => /Betaal via/.test(m.text)).length, 2, 'the second pay link reached the handset');

  // The score per action: the SMS has a promise result, from the rollup and the exact path.
  const report = async (q: string) => (await (await a.api(`/reports/actions?from=2026-12-01&to=2026-12-31${q}`)).json()) as { source: { path: string }; rows: ReportRow[] };
  const rollup = await until('the rollup built', async () => { const r = await report(''); return r.source.path === 'rollup' && r; });
  const exact = await report('&attributionDays=13');
  assert.equal(exact.source.path, 'exact');
  for (const r of [rollup, exact]) {
    const sms = r.rows.find((x) => x.action === 'sms')!;
    assert.equal(sms.executed, 2, JSON.stringify(r.rows));
    assert.equal(sms.withResult, 1, `${r.source.path}: ${JSON.stringify(sms)}`);
    assert.equal(sms.results.promise, 1, `${r.source.path}: ${JSON.stringify(sms)}`);
  }
});
