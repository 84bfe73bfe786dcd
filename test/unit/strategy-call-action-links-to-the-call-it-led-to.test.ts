/**
 * A call action links to its call (actions.call_id, issue 13, migration 018): the first
 * outbound call about its contact once it was executed. A retry keeps the first; the next call
 * action on the same contact gets the calls after it; a call before the action, an inbound call
 * or another contact's call links nothing. A database from before 018 gets its links filled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMigrations, migrate, openDb } from '../../src/store/db.ts';
import { createSqliteStore, sqliteHandle } from '../../src/store/sqlite.ts';
import type { Db } from '../../src/store/db.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';
import type { Store } from '../../src/store/repositories.ts';

const AT = '2026-11-01T00:00:00.000Z';

function callAction(db: Db, debtorId: number, contactId: number, executedAt: string): number {
  return Number(
    db.prepare(`INSERT INTO actions (debtor_id, strategy_id, strategy_version, arm, segment, step_index, action, channel, claim_ids, open_cents, planned_for, status, campaign_id, contact_id, created_at, executed_at)
      VALUES (?, 'default', 1, 'champion', 'all', 0, 'call_ivr', 'phone', '[]', 0, ?, 'executed', 1, ?, ?, ?)`).run(debtorId, executedAt.slice(0, 10), contactId, AT, executedAt).lastInsertRowid,
  );
}

function world(store: Store) {
  const db = sqliteHandle(store);
  db.prepare(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'Strategy: Default (IVR)', 'agentless', 'running', '+31201234567', '{}', ?, ?)`).run(AT, AT);
  const d = seedDebtor(store, { claims: [{ cents: 10_000 }, { cents: 5_000 }] });
  const contact = (claimId: number) => Number(db.prepare(`INSERT INTO contacts (campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (1, ?, ?, ?, ?)`).run(claimId, d.debtorId, AT, AT).lastInsertRowid);
  return { db, d, c1: contact(d.claimIds[0]!), c2: contact(d.claimIds[1]!) };
}

const linked = (store: Store, debtorId: number) => Object.fromEntries(store.strategies.actionsOf(debtorId).map((a) => [a.id, a.callId]));

test('each call action links to the first call it led to, as the dialer records the calls', () => {
  const store = memoryStore();
  const { db, d, c1, c2 } = world(store);
  const call = (id: string, contactId: number, at: string, direction: 'outbound' | 'inbound' = 'outbound') => store.calls.create({ id, direction, campaignId: 1, contactId, debtorId: d.debtorId, createdAt: at, state: 'ended' });
  call('before', c1, '2026-11-02T06:00:00.000Z');
  const first = callAction(db, d.debtorId, c1, '2026-11-02T07:00:00.000Z');
  const other = callAction(db, d.debtorId, c2, '2026-11-02T07:00:00.000Z');
  call('inbound', c1, '2026-11-02T07:30:00.000Z', 'inbound');
  call('a1', c1, '2026-11-02T08:00:00.000Z');
  call('a1-retry', c1, '2026-11-02T12:00:00.000Z');
  const second = callAction(db, d.debtorId, c1, '2026-11-05T07:00:00.000Z');
  assert.deepEqual(linked(store, d.debtorId), { [first]: 'a1', [other]: null, [second]: null }, 'the retry keeps the first; the other contact has no call yet');
  call('a2', c1, '2026-11-05T08:00:00.000Z');
  call('b1', c2, '2026-11-05T09:00:00.000Z');
  assert.deepEqual(linked(store, d.debtorId), { [first]: 'a1', [other]: 'b1', [second]: 'a2' });
});

test('a database from before migration 018 gets its call actions linked to their calls', () => {
  const migrations = loadMigrations();
  const db = openDb(':memory:', { migrations: migrations.filter((m) => m.version < 18) });
  const store = createSqliteStore(db);
  const { d, c1 } = world(store);
  const first = callAction(db, d.debtorId, c1, '2026-11-02T07:00:00.000Z');
  const second = callAction(db, d.debtorId, c1, '2026-11-05T07:00:00.000Z');
  const insert = db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, created_at) VALUES (?, 'outbound', 1, ?, ?, 'ended', ?)`);
  insert.run('a1', c1, d.debtorId, '2026-11-02T08:00:00.000Z');
  insert.run('a1-retry', c1, d.debtorId, '2026-11-03T08:00:00.000Z');
  insert.run('a2', c1, d.debtorId, '2026-11-05T08:00:00.000Z');
  migrate(db, migrations);
  assert.deepEqual(linked(store, d.debtorId), { [first]: 'a1', [second]: 'a2' });
});
