/**
 * bereik_sqlite_transaction_seconds counts each transaction the store runs once: an outer
 * transaction with a nested one (a savepoint) is one observation, a rolled-back one is
 * still timed, and the store's results and errors pass through unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../src/store/db.ts';
import { timeTransactions } from '../../src/store/timed-transactions.ts';

function setup() {
  const db = openDb(':memory:');
  db.exec('CREATE TABLE t (n INTEGER NOT NULL)');
  const seen: number[] = [];
  const stop = timeTransactions(db, (s) => seen.push(s));
  const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
  const count = () => (db.prepare('SELECT count(*) AS c FROM t').get() as { c: number }).c;
  return { db, seen, stop, insert, count };
}

test('one transaction with a nested one is one observation, in seconds, and returns what the store returned', () => {
  const { db, seen, insert, count } = setup();
  const inner = db.transaction((n: number) => insert.run(n));
  const outer = db.transaction((ns: number[]) => {
    for (const n of ns) inner(n);
    return ns.length;
  });
  assert.equal(outer([1, 2, 3]), 3);
  assert.equal(count(), 3);
  assert.equal(seen.length, 1, 'the savepoints count in their outer transaction');
  assert.ok(seen[0]! >= 0 && seen[0]! < 5, `a duration in seconds: ${seen[0]}`);
  inner(4);
  assert.equal(seen.length, 2, 'the same function run on its own is a transaction of its own');
  db.close();
});

test('the immediate and exclusive variants are timed; a failed transaction rolls back, throws as before, and is timed', () => {
  const { db, seen, insert, count } = setup();
  const write = db.transaction((n: number) => {
    insert.run(n);
    if (n < 0) throw new Error('negative');
  });
  write.immediate(1);
  write.exclusive(2);
  write.deferred(3);
  assert.throws(() => write(-1), /negative/);
  assert.equal(count(), 3, 'the failed one left nothing');
  assert.equal(seen.length, 4);
  db.close();
});

test('an app that closed stops observing; another app on the same handle still does', () => {
  const { db, seen, stop, insert } = setup();
  const other: number[] = [];
  const stopOther = timeTransactions(db, (s) => other.push(s));
  const write = db.transaction(() => insert.run(1));
  write();
  stop();
  write();
  assert.deepEqual([seen.length, other.length], [1, 2]);
  stopOther();
  db.close();
});
