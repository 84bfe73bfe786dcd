import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, loadMigrations, schemaVersion } from '../../src/store/db.ts';

function tempDbPath(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'bereik.sqlite');
}

test('a fresh database gets every migration, WAL mode and foreign keys', (t) => {
  const db = openDb(tempDbPath(t));
  try {
    assert.equal(schemaVersion(db), loadMigrations().at(-1)!.version);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all().map((r: any) => r.name);
    for (const name of ['api_tokens', 'debtors', 'phones', 'claims', 'campaigns', 'imports', 'contacts', 'agents', 'calls', 'dnc', 'events']) {
      assert.ok(tables.includes(name), `table ${name} exists`);
    }
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type='index'").all().map((r: any) => r.name);
    assert.ok(indexes.includes('phones_by_e164'), 'caller recognition index exists');
    assert.ok(indexes.includes('contacts_due'), 'due-contacts index exists');
    assert.ok(indexes.includes('contacts_by_claim'), 'recognition by claim index exists');
  } finally {
    db.close();
  }
});

test('reopening applies nothing twice and keeps the data', (t) => {
  const path = tempDbPath(t);
  const db = openDb(path);
  db.prepare("INSERT INTO debtors (external_ref, name, created_at, updated_at) VALUES ('D1', 'Jan', '2026-11-23T09:00:00.000Z', '2026-11-23T09:00:00.000Z')").run();
  db.close();
  const again = openDb(path);
  try {
    assert.equal((again.prepare('SELECT count(*) AS n FROM debtors').get() as { n: number }).n, 1);
  } finally {
    again.close();
  }
});

test('a database newer than the code is refused with a clear message', (t) => {
  const path = tempDbPath(t);
  const db = openDb(path);
  db.pragma('user_version = 999');
  db.close();
  assert.throws(() => openDb(path), (err: any) => err.code === 'DB_TOO_NEW' && /schema version 999/.test(err.message) && /upgrade Bereik/.test(err.message));
});

test('the events journal is append-only', (t) => {
  const db = openDb(tempDbPath(t));
  try {
    db.prepare("INSERT INTO events (at, kind, data) VALUES ('2026-11-23T09:00:00.000Z', 'test', '{}')").run();
    assert.throws(() => db.prepare("UPDATE events SET kind = 'x'").run(), /append-only|events/i);
    assert.throws(() => db.prepare('DELETE FROM events').run(), /append-only|events/i);
  } finally {
    db.close();
  }
});
