/** Migration 013 fills the call rollup from the calls already stored: a campaign's figures are the same before and after the upgrade. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMigrations, migrate, openDb } from '../../src/store/db.ts';
import { campaignCallCounts } from '../../src/store/call-attempts.ts';

test('upgrading a database with calls gives the campaign the same call figures it had', () => {
  const all = loadMigrations();
  const db = openDb(':memory:', { migrations: all.filter((m) => m.version < 13) });
  const at = '2026-11-23T09:00:00.000Z';
  db.exec(`INSERT INTO campaigns (id, name, mode, state, caller_id, settings, created_at, updated_at) VALUES (1, 'c', 'agentless', 'running', '+31201234567', '{}', '${at}', '${at}')`);
  const call = db.prepare(`INSERT INTO calls (id, direction, campaign_id, state, disposition, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  call.run('a', 'outbound', 1, 'ended', 'answered', 'paylink_requested', '2026-11-23T09:10:00.000Z');
  call.run('b', 'outbound', 1, 'ended', 'busy', null, '2026-11-23T10:10:00.000Z');
  call.run('c', 'outbound', 1, 'up', 'answered', null, '2026-11-23T10:20:00.000Z');
  call.run('d', 'agent', 1, 'up', null, null, '2026-11-23T10:21:00.000Z');
  call.run('e', 'inbound', null, 'ended', 'answered', null, '2026-11-23T10:22:00.000Z');
  const before = db.prepare(`SELECT COALESCE(disposition, '') AS d, COALESCE(result, '') AS r, count(*) AS n FROM calls WHERE campaign_id = 1 GROUP BY 1, 2 ORDER BY 1, 2`).all();
  migrate(db, all);
  assert.deepEqual(campaignCallCounts(db, 1), {
    calls: { total: 4, live: 2, answered: 2, machine: 0, busy: 1, no_answer: 0, failed: 0, unreachable: 0, abandoned: 0 },
    results: { paylink_requested: 1 },
  });
  assert.deepEqual(db.prepare(`SELECT disposition AS d, result AS r, sum(n) AS n FROM call_rollup WHERE campaign_id = 1 GROUP BY 1, 2 ORDER BY 1, 2`).all(), before);
  db.close();
});
