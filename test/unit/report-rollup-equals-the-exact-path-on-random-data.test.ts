/**
 * The score per action from the rollup (migration 018) must be the table the exact path
 * computes at query time, for any period and filter: a random world of debtors with actions
 * of every type across campaigns, segments, strategies and arms (a debtor moving between
 * them), messages, calls with agent legs, payments and promises, is compared table for table;
 * then random writes (back-dated payments, reversals, a claim's amount, receipts, calls ended
 * late, imported letters, new actions) are made and the comparison repeated; finally the
 * rollup is rebuilt from scratch by the backfill and must give the same tables again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { ActionReports, DEFAULT_REPORT_SETTINGS, type ActionReportFilter } from '../../src/reports/actions.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/repositories.ts';
import { memoryStore } from '../helpers/messages.ts';

/** A small seeded generator (mulberry32): the same world every run. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const AT = '2026-10-01T00:00:00.000Z';
const day = (n: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
const ACTIONS = ['sms', 'email', 'whatsapp', 'call_ivr', 'call_agent', 'external'] as const;

function world(store: Store, r: ReturnType<typeof random>, debtors: number) {
  const db = sqliteHandle(store);
  db.prepare(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'A', 'agentless', 'running', '+31201234567', '{}', ?, ?), (2, 'B', 'agentless', 'running', '+31201234567', '{}', ?, ?)`).run(AT, AT, AT, AT);
  db.prepare(`INSERT INTO agents (id, name, endpoint, state_since, created_at, updated_at) VALUES (1, 'Ann', 'PJSIP/agent1', ?, ?, ?)`).run(AT, AT, AT);
  const claims = new Map<number, number[]>();
  let actionId = 0;
  const addAction = (debtorId: number, d: number, opts: { action?: (typeof ACTIONS)[number]; status?: string } = {}) => {
    const action = opts.action ?? r.pick(ACTIONS);
    const id = ++actionId;
    const mine = claims.get(debtorId)!;
    const claimIds = mine.filter(() => r.next() < 0.7);
    const campaignId = action.startsWith('call') ? r.pick([1, 2]) : r.next() < 0.2 ? 2 : null;
    const executedAt = `${day(d)}T${String(7 + r.int(10)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}:00.000Z`;
    let messageId: number | null = null;
    if (action === 'sms' || action === 'email' || action === 'whatsapp') {
      const status = r.pick(['delivered', 'submitted', 'failed', 'cancelled', 'queued']);
      messageId = Number(
        db.prepare(`INSERT INTO messages (channel, source, debtor_id, to_addr, sender, body, parts, status, next_attempt_at, created_at, submitted_at, updated_at) VALUES (?, 'strategy', ?, '+31612345678', 'x', 'Betaal', ?, ?, ?, ?, ?, ?)`)
          .run(action, debtorId, r.pick([null, 1, 2, 3]), status, AT, AT, status === 'cancelled' || status === 'queued' ? null : executedAt, AT).lastInsertRowid,
      );
    }
    let contactId: number | null = null;
    if (action.startsWith('call')) {
      // One contact per campaign and claim: a later call action on it takes the calls after it.
      db.prepare(`INSERT OR IGNORE INTO contacts (campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(campaignId, mine[0], debtorId, AT, AT);
      contactId = db.prepare(`SELECT id FROM contacts WHERE campaign_id = ? AND claim_id = ?`).pluck().get(campaignId, mine[0]) as number;
      for (let c = r.int(3); c > 0; c--) call(debtorId, contactId, campaignId!, executedAt, id * 10 + c);
    }
    db.prepare(`INSERT INTO actions (id, debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, kind, channel, claim_ids, open_cents, planned_for, status, message_id, campaign_id, contact_id, created_at, executed_at, cost_cents)
      VALUES (?, ?, ?, 1, ?, ?, 0, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      id, debtorId, r.pick(['s1', 's2']), r.pick(['champion', 'challenger']), r.pick(['small', 'large']), action, action === 'external' ? r.pick(['letter', 'visit']) : null,
      action.startsWith('call') ? 'phone' : action, JSON.stringify(claimIds), day(d), opts.status ?? (r.next() < 0.85 ? 'executed' : 'skipped'), messageId, campaignId, contactId, AT, executedAt,
      action === 'external' && r.next() < 0.5 ? r.int(500) : null,
    );
    return id;
  };
  const call = (debtorId: number, contactId: number, campaignId: number, after: string, n: number) => {
    const at = new Date(Date.parse(after) + r.int(3 * 86_400_000)).toISOString();
    const answered = r.next() < 0.5;
    const end = new Date(Date.parse(at) + 1000 * (1 + r.int(300))).toISOString();
    db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, disposition, created_at, answered_at, ended_at) VALUES (?, 'outbound', ?, ?, ?, 'ended', ?, ?, ?, ?)`)
      .run(`c${n}`, campaignId, contactId, debtorId, answered ? 'answered' : 'no_answer', at, answered ? at : null, end);
    if (answered && r.next() < 0.5) {
      db.prepare(`INSERT INTO calls (id, direction, parent_call_id, debtor_id, agent_id, state, created_at, answered_at, ended_at) VALUES (?, 'agent', ?, ?, 1, 'ended', ?, ?, ?)`).run(`g${n}`, `c${n}`, debtorId, at, at, end);
    }
  };
  let paymentNo = 0;
  const pay = (claimId: number, d: number, status = 'matched') =>
    db.prepare(`INSERT INTO payments (claim_id, debtor_id, amount_cents, booked_on, source, external_id, matched_by, status, created_at, updated_at) VALUES (?, (SELECT debtor_id FROM claims WHERE id = ?), ?, ?, 'api', ?, 'claim_id', ?, ?, ?)`)
      .run(claimId, claimId, r.pick([2_500, 5_000, 10_000, 20_000]), day(d), `p${++paymentNo}`, status, AT, AT);
  const promise = (claimId: number, d: number) =>
    db.prepare(`INSERT INTO dispositions (claim_id, kind, promise_date, created_at) VALUES (?, ?, ?, ?)`).run(claimId, r.pick(['promise_to_pay', 'payment_arrangement', 'dispute']), day(d + 3), `${day(d)}T${String(8 + r.int(9)).padStart(2, '0')}:30:00.000Z`);
  for (let i = 1; i <= debtors; i++) {
    db.prepare(`INSERT INTO debtors (id, external_ref, name, created_at, updated_at) VALUES (?, ?, 'x', ?, ?)`).run(i, `D${i}`, AT, AT);
    const ids = Array.from({ length: 1 + r.int(3) }, (_, k) =>
      Number(db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, 'E', ?, ?, ?, ?)`).run(i, `F${i}-${k}`, r.pick([5_000, 10_000, 20_000]), AT, AT).lastInsertRowid),
    );
    claims.set(i, ids);
    for (let k = r.int(8); k > 0; k--) addAction(i, r.int(30));
    for (const c of ids) {
      for (let k = r.int(3); k > 0; k--) pay(c, r.int(32), r.next() < 0.1 ? 'reversed' : 'matched');
      if (r.next() < 0.3) promise(c, r.int(30));
    }
  }
  return { db, claims, addAction, pay, promise, call };
}

function filters(r: ReturnType<typeof random>, n: number): ActionReportFilter[] {
  const out: ActionReportFilter[] = [{ from: day(0), to: day(40) }, { from: day(10), to: day(12) }];
  for (let i = 0; i < n; i++) {
    const a = r.int(32);
    const f: ActionReportFilter = { from: day(a), to: day(a + r.int(20)) };
    if (r.next() < 0.4) f.campaignId = r.pick([1, 2]);
    if (r.next() < 0.4) f.segment = r.pick(['small', 'large']);
    if (r.next() < 0.4) f.strategyId = r.pick(['s1', 's2']);
    if (r.next() < 0.4) f.arm = r.pick(['champion', 'challenger'] as const);
    out.push(f);
  }
  return out;
}

async function compare(store: Store, fs: ActionReportFilter[], label: string) {
  const clock = new FakeClock('2026-12-15T12:00:00Z');
  const fast = new ActionReports({ store, clock, settings: DEFAULT_REPORT_SETTINGS });
  const exact = new ActionReports({ store, clock, settings: DEFAULT_REPORT_SETTINGS, exactOnly: true, batchSize: 17 });
  let nonEmpty = 0;
  for (const f of fs) {
    const a = await fast.actions(f);
    const b = await exact.actions(f);
    assert.equal(a.source.path, 'rollup', `${label}: the rollup answers the configured window`);
    assert.equal(b.source.path, 'exact');
    assert.deepEqual({ rows: a.rows, total: a.total }, { rows: b.rows, total: b.total }, `${label}: ${JSON.stringify(f)}`);
    if (a.total.executed) nonEmpty++;
  }
  assert.ok(nonEmpty > fs.length / 2, `${label}: most filters find actions (${nonEmpty} of ${fs.length})`);
}

test('on random data the rollup gives the exact path’s table for every period and filter, after random writes, and after a rebuild', async () => {
  const r = random(13);
  const store = memoryStore();
  const w = world(store, r, 150);
  const fs = filters(r, 60);
  const executed = w.db.prepare(`SELECT count(*) FROM actions WHERE status = 'executed'`).pluck().get() as number;
  assert.ok(executed > 300, `${executed} executed actions`);
  await compare(store, fs, 'as seeded');

  // Random writes, each through SQL as any code path might do them (the triggers see them all).
  for (let i = 0; i < 120; i++) {
    const debtorId = 1 + r.int(150);
    const claimId = r.pick(w.claims.get(debtorId)!);
    switch (r.int(8)) {
      case 0: w.pay(claimId, r.int(32)); break; // possibly back-dated before later payments
      case 1: w.db.prepare(`UPDATE payments SET status = 'reversed' WHERE id = (SELECT id FROM payments WHERE claim_id = ? AND status = 'matched' LIMIT 1)`).run(claimId); break;
      case 2: w.db.prepare(`UPDATE claims SET amount_cents = ? WHERE id = ?`).run(r.pick([2_500, 7_500, 40_000]), claimId); break;
      case 3: w.db.prepare(`UPDATE messages SET status = ?, parts = ?, submitted_at = coalesce(submitted_at, ?) WHERE id = (SELECT message_id FROM actions WHERE debtor_id = ? AND message_id IS NOT NULL LIMIT 1)`).run(r.pick(['delivered', 'failed']), 1 + r.int(3), AT, debtorId); break;
      case 4: {
        const x = w.db.prepare(`SELECT contact_id AS contactId, campaign_id AS campaignId, executed_at AS at FROM actions WHERE debtor_id = ? AND contact_id IS NOT NULL LIMIT 1`).get(debtorId) as { contactId: number; campaignId: number; at: string } | undefined;
        if (x) w.call(debtorId, x.contactId, x.campaignId, x.at, 100_000 + i);
        break;
      }
      case 5: w.addAction(debtorId, r.int(30), { action: 'external', status: 'executed' }); break; // a letter dated in the past
      case 6: w.promise(claimId, r.int(30)); break;
      case 7: w.db.prepare(`UPDATE actions SET status = 'executed' WHERE id = (SELECT id FROM actions WHERE debtor_id = ? AND status = 'skipped' LIMIT 1)`).run(debtorId); break;
    }
  }
  await compare(store, fs, 'after random writes');

  // Rebuilt from nothing, a batch of debtors at a time, it is the same rollup.
  const rollup = store.actionReports.rollup;
  const before = w.db.prepare(`SELECT * FROM action_rollup WHERE executed > 0 ORDER BY 1, 2, 3, 4, 5, 6`).all();
  rollup.reset(14, '2026-12-15T12:00:00.000Z');
  assert.equal(rollup.state().complete, false);
  while (!rollup.backfill(23, '2026-12-15T12:00:00.000Z').complete);
  assert.deepEqual(w.db.prepare(`SELECT * FROM action_rollup WHERE executed > 0 ORDER BY 1, 2, 3, 4, 5, 6`).all(), before, 'the backfill builds what the writes kept');
  await compare(store, fs, 'after a rebuild');
});
