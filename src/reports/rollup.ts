/**
 * The score per action from the rollup (docs/reports.md, "The rollup"): the day rows the
 * store keeps for the configured attribution window, summed for the report's period and
 * filters. Kept apart from the exact path (src/reports/actions.ts) so the two can be compared
 * and a filter added to both.
 */
import { isoUtc, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/repositories.ts';
import type { RollupFilter } from '../store/action-rollup.ts';
import { blank, tableResult, type Row, type Tally } from './attribution.ts';
import { unitsCost, type UnitCosts } from './actions.ts';

export interface ReportSource {
  /** rollup: summed from the day rows; exact: attributed at query time, debtor by debtor. */
  path: 'rollup' | 'exact';
  reason: string;
}

/** What the rollup's rows are kept by: a report filtered by anything else is attributed at query time. */
const ROLLUP_FILTERS = new Set(['from', 'to', 'attributionDays', 'campaignId', 'segment', 'strategyId', 'arm']);

/** null when the rollup can answer this window and filter; else why not, in words. */
export function rollupOrWhyNot(store: Pick<Store, 'actionReports'>, days: number, filter: object = {}): string | null {
  const other = Object.entries(filter).filter(([k, v]) => v !== undefined && v !== null && !ROLLUP_FILTERS.has(k)).map(([k]) => k);
  if (other.length) return `filtered by ${other.join(', ')}, which the rollup does not keep`;
  const s = store.actionReports.rollup.state();
  if (s.windowDays !== days) return `attributionDays ${days} is not the rollup's ${s.windowDays}`;
  if (!s.complete) {
    const pct = s.lastDebtorId ? Math.floor((s.builtThrough / s.lastDebtorId) * 100) : 0;
    return `the rollup is still being built (${pct} % of debtors)`;
  }
  return null;
}

/** The table from the rollup, after the debtors a write left dirty are recomputed. */
export function fromRollup(store: Pick<Store, 'actionReports'>, f: RollupFilter, costs: UnitCosts): { rows: Row[]; total: Row } {
  const rollup = store.actionReports.rollup;
  rollup.flush();
  const { rows, distinct } = rollup.read(f);
  const tallies = new Map<string, Tally>();
  for (const [key, r] of rows) {
    // A row that fell back to nothing (its actions re-attributed elsewhere) is not a row.
    if (r.executed === 0) continue;
    const d = distinct.get(key);
    tallies.set(key, {
      executed: r.executed,
      withResult: r.withResult,
      results: { paidFull: r.paidFull, paidPartial: r.paidPartial, arrangement: r.arrangement, promise: r.promise },
      reached: r.reached,
      lastTouch: r.lastTouchCents,
      anyTouch: d?.anyTouchCents ?? 0,
      cost: unitsCost(key, r, costs),
      invoices: d?.invoices ?? 0,
    });
  }
  const total = blank();
  total.lastTouch = [...tallies.values()].reduce((s, t) => s + t.lastTouch, 0);
  total.anyTouch = distinct.get('*')?.anyTouchCents ?? 0;
  total.invoices = distinct.get('*')?.invoices ?? 0;
  return tableResult(tallies, total);
}

export interface RollupBuild {
  /** Settles when the rollup is complete or the build was stopped. */
  readonly finished: Promise<void>;
  /** Stops after the batch in hand (the next start goes on from there). */
  stop(): Promise<void>;
}

/**
 * Fills the rollup from the data already there (a database from before migration 018, or
 * after the configured window changed), a batch of debtors per transaction with the event
 * loop served in between, logging its progress; the service answers meanwhile and the report
 * uses the exact path until it is complete.
 */
export function buildRollup(d: { store: Pick<Store, 'actionReports'>; clock: Clock; log: Logger; windowDays: number; batchDebtors?: number; progressEveryMs?: number }): RollupBuild {
  const rollup = d.store.actionReports.rollup;
  const now = () => isoUtc(d.clock.now());
  let stopped = false;
  const first = rollup.state();
  if (first.windowDays !== d.windowDays) {
    d.log.info({ from: first.windowDays, to: d.windowDays }, 'score-per-action rollup: the attribution window changed, building it again');
    rollup.reset(d.windowDays, now());
  }
  const finished = (async () => {
    let s = rollup.state();
    if (s.complete) return;
    const started = performance.now();
    let logged = started;
    d.log.info({ debtorsUpTo: s.lastDebtorId, from: s.builtThrough }, 'score-per-action rollup: building from existing data in the background; until it is complete the report attributes at query time');
    while (!stopped && !s.complete) {
      // 250 debtors ≈ 25 ms of work per transaction: live calls never wait on the event loop for long.
      s = rollup.backfill(d.batchDebtors ?? 250, now());
      if (performance.now() - logged >= (d.progressEveryMs ?? 10_000)) {
        logged = performance.now();
        d.log.info({ pct: s.lastDebtorId ? Math.floor((s.builtThrough / s.lastDebtorId) * 100) : 100, builtThrough: s.builtThrough, debtorsUpTo: s.lastDebtorId }, 'score-per-action rollup: building');
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (s.complete) d.log.info({ seconds: Math.round((performance.now() - started) / 100) / 10 }, 'score-per-action rollup: complete; the report reads it');
  })();
  return {
    finished,
    async stop() {
      stopped = true;
      await finished;
    },
  };
}
