/**
 * The score-per-action rollup (migration 018, docs/reports.md "The rollup"): day rows the
 * report sums instead of attributing every action at query time.
 *
 * How it stays current: triggers mark a debtor dirty on every write that changes its
 * attribution; `flush()` recomputes each dirty debtor — its stored facts give the old
 * contribution, a fresh read the new one, and only the difference is written — and runs at
 * the end of every store transaction (installed on the handle by `recomputeOnCommit`), so the
 * rollup changes in the same transaction as the write. A write outside a transaction leaves
 * its debtor dirty until the next transaction or the next report, which flushes first.
 *
 * Existing data is filled in by `backfill()`, a batch of debtors per transaction; until it is
 * complete (and whenever the window asked differs from the rollup's) the report uses the exact
 * path. A debtor not yet backfilled is only marked by an action of its own (see the triggers):
 * the backfill skips debtors that already have facts.
 */
import { statement, type Db } from './db.ts';
import { addRows, contribution, debtorFacts, difference, packFacts, ROLLUP_COLUMNS, unpackFacts, DISTINCT_COLUMNS, type RollupRows } from '../lib/action-attribution.ts';
import type { ReportStore } from './reports.ts';
import type { StrategyArm } from './types.ts';

export interface RollupState {
  windowDays: number;
  /** Debtor ids up to this one are in. */
  builtThrough: number;
  complete: boolean;
  /** The highest debtor id (how far the backfill has to go). */
  lastDebtorId: number;
}

export interface RollupFilter {
  from: string;
  to: string;
  campaignId?: number;
  segment?: string;
  strategyId?: string;
  arm?: StrategyArm;
}

/** One action type's sums over the filter. */
export interface RollupSums {
  executed: number;
  withResult: number;
  paidFull: number;
  paidPartial: number;
  arrangement: number;
  promise: number;
  reached: number;
  lastTouchCents: number;
  units: number;
  callMs: number;
  agentMs: number;
  externalCents: number;
  externalUnpriced: number;
}

const UPSERT_ROW = `INSERT INTO action_rollup (day, campaign_id, segment, strategy_id, arm, action_key, ${ROLLUP_COLUMNS.join(', ')})
  VALUES (?, ?, ?, ?, ?, ?, ${ROLLUP_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT DO UPDATE SET ${ROLLUP_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
const UPSERT_DISTINCT = `INSERT INTO action_rollup_distinct (day, varying, grouped, campaign_id, segment, strategy_id, arm, action_key, prev_day, ${DISTINCT_COLUMNS.join(', ')})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO UPDATE SET ${DISTINCT_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
const DIRTY = `SELECT debtor_id FROM action_rollup_dirty LIMIT 500`;

export class ActionRollup {
  constructor(
    private readonly db: Db,
    private readonly reads: Pick<ReportStore, 'batch' | 'debtor'>,
  ) {}

  state(): RollupState {
    const r = statement(this.db, `SELECT window_days, built_through, complete, (SELECT coalesce(max(id), 0) FROM debtors) FROM action_rollup_state WHERE id = 1`).raw(true).get() as [number, number, number, number];
    return { windowDays: r[0], builtThrough: r[1], complete: r[2] === 1, lastDebtorId: r[3] };
  }

  /** Recomputes every dirty debtor, in the caller's transaction or in one of its own; how many. */
  flush(): number {
    return this.db.inTransaction ? this.flushDirty() : (this.db.transaction(() => this.flushDirty())() as number);
  }

  /** Recomputes every dirty debtor (inside the caller's transaction). */
  flushDirty(): number {
    let n = 0;
    for (;;) {
      const ids = statement(this.db, DIRTY).pluck().all() as number[];
      if (!ids.length) return n;
      const windowDays = this.state().windowDays;
      for (const id of ids) {
        this.recompute(id, windowDays);
        statement(this.db, `DELETE FROM action_rollup_dirty WHERE debtor_id = ?`).run(id);
        n++;
      }
    }
  }

  private recompute(debtorId: number, windowDays: number): void {
    const stored = statement(this.db, `SELECT facts FROM action_attribution_debtors WHERE debtor_id = ?`).pluck().get(debtorId) as string | undefined;
    const d = this.reads.debtor(debtorId);
    const facts = d ? debtorFacts(d) : undefined;
    const packed = facts ? packFacts(facts) : undefined;
    if (packed === stored) return;
    const empty = { rows: new Map(), distinct: new Map() };
    const before = stored ? contribution(unpackFacts(stored), windowDays) : empty;
    const after = facts ? contribution(facts, windowDays) : empty;
    this.apply(difference(before.rows, after.rows), difference(before.distinct, after.distinct));
    if (packed) statement(this.db, `INSERT INTO action_attribution_debtors (debtor_id, facts) VALUES (?, ?) ON CONFLICT DO UPDATE SET facts = excluded.facts`).run(debtorId, packed);
    else statement(this.db, `DELETE FROM action_attribution_debtors WHERE debtor_id = ?`).run(debtorId);
  }

  private apply(rows: RollupRows, distinct: RollupRows): void {
    const up = statement(this.db, UPSERT_ROW);
    for (const [k, v] of rows) {
      const [day, campaign, segment, strategy, arm, key] = k.split('\t') as [string, string, string, string, string, string];
      up.run(day, Number(campaign), segment, strategy, arm, key, ...v);
    }
    const upd = statement(this.db, UPSERT_DISTINCT);
    for (const [k, v] of distinct) {
      const [day, varying, grouped, campaign, segment, strategy, arm, key, prev] = k.split('\t') as [string, string, string, string, string, string, string, string, string];
      upd.run(day, Number(varying), Number(grouped), Number(campaign), segment, strategy, arm, key, prev, ...v);
    }
  }

  /**
   * Adds the next `limit` debtors (by id) to the rollup, as one transaction; debtors already in
   * (recomputed by a write since) are left as they are. Returns the state after it.
   */
  backfill(limit: number, now: string): RollupState {
    this.db.transaction(() => {
      const s = this.state();
      if (s.complete) return;
      const batch = this.reads.batch(s.builtThrough, limit);
      if (batch.lastId === null) {
        statement(this.db, `UPDATE action_rollup_state SET complete = 1, updated_at = ? WHERE id = 1`).run(now);
        return;
      }
      const known = new Set(statement(this.db, `SELECT debtor_id FROM action_attribution_debtors WHERE debtor_id BETWEEN ? AND ?`).pluck().all(s.builtThrough + 1, batch.lastId) as number[]);
      const rows: RollupRows = new Map();
      const distinct: RollupRows = new Map();
      const put = statement(this.db, `INSERT INTO action_attribution_debtors (debtor_id, facts) VALUES (?, ?)`);
      for (const d of batch.debtors) {
        if (known.has(d.debtorId)) continue;
        const facts = debtorFacts(d);
        const c = contribution(facts, s.windowDays);
        addRows(rows, c.rows);
        addRows(distinct, c.distinct);
        put.run(d.debtorId, packFacts(facts));
      }
      this.apply(rows, distinct);
      statement(this.db, `UPDATE action_rollup_state SET built_through = ?, updated_at = ? WHERE id = 1`).run(batch.lastId, now);
    })();
    return this.state();
  }

  /** Empties the rollup to be built again for another window (the backfill fills it). */
  reset(windowDays: number, now: string): void {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM action_rollup; DELETE FROM action_rollup_distinct; DELETE FROM action_attribution_debtors; DELETE FROM action_rollup_dirty;`);
      statement(this.db, `UPDATE action_rollup_state SET window_days = ?, built_through = 0, complete = NOT EXISTS (SELECT 1 FROM actions WHERE status = 'executed'), updated_at = ? WHERE id = 1`).run(windowDays, now);
    })();
  }

  /** The filter's sums per action type, and the distinct columns per action type and '*' (the total). */
  read(f: RollupFilter): { rows: Map<string, RollupSums>; distinct: Map<string, { invoices: number; anyTouchCents: number }> } {
    const where: string[] = [];
    const args: unknown[] = [f.from, f.to];
    let mask = 0;
    const dim = (bit: number, column: string, v: unknown) => {
      if (v === undefined) return;
      mask |= bit;
      where.push(`AND ${column} = ?`);
      args.push(v);
    };
    dim(1, 'campaign_id', f.campaignId);
    dim(2, 'segment', f.segment);
    dim(4, 'strategy_id', f.strategyId);
    dim(8, 'arm', f.arm);
    const rows = new Map<string, RollupSums>();
    const sums = `SELECT action_key, ${ROLLUP_COLUMNS.map((c) => `sum(${c})`).join(', ')} FROM action_rollup WHERE day BETWEEN ? AND ? ${where.join(' ')} GROUP BY action_key`;
    for (const r of this.db.prepare(sums).raw(true).all(...args) as [string, ...number[]][]) {
      const [key, executed, withResult, paidFull, paidPartial, arrangement, promise, reached, lastTouchCents, units, callMs, agentMs, externalCents, externalUnpriced] = r as [string, ...number[]];
      rows.set(key, { executed: executed!, withResult: withResult!, paidFull: paidFull!, paidPartial: paidPartial!, arrangement: arrangement!, promise: promise!, reached: reached!, lastTouchCents: lastTouchCents!, units: units!, callMs: callMs!, agentMs: agentMs!, externalCents: externalCents!, externalUnpriced: externalUnpriced! });
    }
    const distinct = new Map<string, { invoices: number; anyTouchCents: number }>();
    const firsts = `SELECT action_key, sum(invoices), sum(any_touch_cents) FROM action_rollup_distinct
      WHERE day BETWEEN ? AND ? AND prev_day < ? AND (varying & ${mask}) = grouped ${where.join(' ')} GROUP BY action_key`;
    for (const [key, invoices, anyTouchCents] of this.db.prepare(firsts).raw(true).all(f.from, f.to, f.from, ...args.slice(2)) as [string, number, number][]) {
      distinct.set(key, { invoices, anyTouchCents });
    }
    return { rows, distinct };
  }
}

/**
 * Makes every outermost transaction on `db` recompute the rollup's dirty debtors before it
 * commits. A failure there is kept (and the debtors stay dirty for the report to recompute and
 * report) rather than undoing the payment or call that was written.
 */
export function recomputeOnCommit(db: Db, rollup: ActionRollup, onError: (err: unknown) => void = () => {}): void {
  const original = db.transaction.bind(db);
  let depth = 0;
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const flushAfter = function (this: unknown, ...args: unknown[]): unknown {
      depth++;
      try {
        const result = fn.apply(this, args);
        if (depth === 1) {
          try {
            original(() => rollup.flushDirty())();
          } catch (err) {
            onError(err);
          }
        }
        return result;
      } finally {
        depth--;
      }
    };
    return original(flushAfter as never);
  }) as Db['transaction'];
}
