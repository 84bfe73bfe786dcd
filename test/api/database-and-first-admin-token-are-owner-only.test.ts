/**
 * The database (debtors' names, numbers, amounts; token hashes) and the first admin token
 * are readable by the service's own user only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.ts';
import { startServe } from '../helpers/serve.ts';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

test('a new database folder is 0700 and the database with its WAL files 0600', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bereik-perm-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dbPath = join(root, 'data', 'bereik.sqlite');
  const db = openDb(dbPath);
  db.prepare(`INSERT INTO debtors (external_ref, name, language, risk, created_at, updated_at) VALUES ('D1', 'Jan', 'nl', 'low', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`).run();
  assert.equal(mode(join(root, 'data')), '700');
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) assert.equal(mode(f), '600', f);
  db.close();
});

test('an existing world-readable database and folder are narrowed when opened: the folder can no longer be listed', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bereik-perm-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'data');
  const dbPath = join(dir, 'bereik.sqlite');
  openDb(dbPath).close();
  chmodSync(dir, 0o755);
  chmodSync(dbPath, 0o644);
  openDb(dbPath).close();
  assert.equal(mode(dbPath), '600');
  // Others keep only the right to pass through (to a TTS cache inside that Asterisk reads).
  assert.equal(mode(dir), '711');
});

test('bereik serve rewrites an existing world-readable first-admin-token file as 0600', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-first-admin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tokenFile = join(dir, 'first-admin-token');
  mkdirSync(dir, { recursive: true });
  writeFileSync(tokenFile, 'left from an earlier start\n', { mode: 0o644 });
  chmodSync(tokenFile, 0o644);
  const serve = await startServe(t, join(dir, 'bereik.sqlite'));
  assert.match(readFileSync(tokenFile, 'utf8'), /^brk_/);
  assert.equal(mode(tokenFile), '600');
  serve.child.kill('SIGTERM');
});

test('a database put straight into a shared folder such as /tmp leaves that folder as it is (sticky, world-writable)', (t) => {
  // A stand-in for /tmp: changing the real one would break every other user of the machine.
  const root = mkdtempSync(join(tmpdir(), 'bereik-perm-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const shared = join(root, 'tmp');
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  const dbPath = join(shared, 'bereik.sqlite');
  openDb(dbPath).close();
  assert.equal((statSync(shared).mode & 0o7777).toString(8), '1777');
  assert.equal(mode(dbPath), '600', 'the database itself is still owner-only');
});
