import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUCKET_ROWS, DuplicateSpool } from '../../src/campaigns/import/dedupe.ts';

function dir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'bereik-dupes-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('repeated (debtor, invoice) pairs are named with the line they were first on, in line order, over several buckets', async (t) => {
  const d = dir(t);
  const spool = new DuplicateSpool(d, 4 * BUCKET_ROWS);
  assert.equal(spool.buckets, 4);
  for (let line = 2; line < 100_002; line++) spool.add(`D${line % 90_000}\u0001F${line % 90_000}`, line);
  spool.add('D7\u0001F8', 100_002);
  spool.add('D7\u0001F9', 100_003);
  spool.add('D7\u0001F8', 100_004);
  assert.equal(readdirSync(d).length, 4, 'one file per bucket while the pass runs');
  const dups = await spool.finish();
  // Lines 90,002..100,001 repeat lines 2..10,001 (same key modulo 90,000; 90,000 and 90,001 are new keys 0 and 1).
  const expected = [];
  for (let line = 90_002; line < 100_002; line++) expected.push({ line, firstLine: line - 90_000 });
  expected.push({ line: 100_004, firstLine: 100_002 });
  assert.equal(dups.length, expected.length);
  assert.deepEqual(dups.slice(0, 3), expected.slice(0, 3));
  assert.deepEqual(dups.at(-1), expected.at(-1));
  assert.deepEqual(dups, expected);
  assert.deepEqual(readdirSync(d), [], 'bucket files removed');
});

test('a file without repeats has none, and a failed pass leaves no bucket files behind', async (t) => {
  const d = dir(t);
  const spool = new DuplicateSpool(d, 10);
  for (let line = 2; line < 5000; line++) spool.add(`D${line}\u0001F1`, line);
  assert.deepEqual(await spool.finish(), []);
  const broken = new DuplicateSpool(d, 3 * BUCKET_ROWS);
  broken.add('D1\u0001F1', 2);
  broken.discard();
  assert.deepEqual(readdirSync(d), []);
});
