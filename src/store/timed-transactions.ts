/**
 * Times every SQLite transaction on a handle (import batches, dialer claims, call effects,
 * agent and token writes): the store runs them through better-sqlite3's
 * `db.transaction(fn)` in a dozen places, so the one seam they share is that method.
 * Wrapping it on the handle, once, in the composition root times them all, BEGIN to
 * COMMIT (the commit is where the WAL is written), and a store written tomorrow is timed
 * without remembering to. A transaction nested in another is a savepoint: it is counted
 * in its outer transaction, not twice. Time is wall time: this is about the disk and the
 * CPU, not the call's clock.
 */
import type { Db } from './db.ts';

/** Receives one transaction's duration in seconds. */
export type TransactionObserver = (seconds: number) => void;

type TxFn = ((...args: unknown[]) => unknown) & Record<'default' | 'deferred' | 'immediate' | 'exclusive', (...args: unknown[]) => unknown>;

const VARIANTS = ['default', 'deferred', 'immediate', 'exclusive'] as const;
/** Observers per handle: two apps on one handle (a test restarting the app) each get theirs. */
const observed = new WeakMap<Db, Set<TransactionObserver>>();

/** Starts timing `db`'s transactions for `observe`; returns the function that stops it. */
export function timeTransactions(db: Db, observe: TransactionObserver): () => void {
  let observers = observed.get(db);
  if (!observers) {
    observers = new Set();
    observed.set(db, observers);
    wrapTransactionMethod(db, observers);
  }
  observers.add(observe);
  return () => void observers.delete(observe);
}

function wrapTransactionMethod(db: Db, observers: Set<TransactionObserver>): void {
  const original = db.transaction.bind(db);
  const timed = (run: (...args: unknown[]) => unknown) =>
    function timedTransaction(this: unknown, ...args: unknown[]): unknown {
      if (db.inTransaction || observers.size === 0) return run.apply(this, args);
      const started = performance.now();
      try {
        return run.apply(this, args);
      } finally {
        const seconds = (performance.now() - started) / 1000;
        for (const o of observers) o(seconds);
      }
    };
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = original(fn) as unknown as TxFn;
    const wrapped = Object.fromEntries(VARIANTS.map((v) => [v, timed(tx[v])])) as Record<(typeof VARIANTS)[number], (...args: unknown[]) => unknown>;
    // Each variant carries the others, like better-sqlite3's own (tx.immediate.deferred…).
    const props = Object.fromEntries([...VARIANTS.map((v) => [v, { value: wrapped[v] }]), ['database', { value: db, enumerable: true }]]);
    for (const v of VARIANTS) Object.defineProperties(wrapped[v], props);
    return wrapped.default;
  }) as Db['transaction'];
}
