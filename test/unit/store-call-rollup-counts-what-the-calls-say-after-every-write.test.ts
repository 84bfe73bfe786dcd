/**
 * The console's figures come from a rollup the triggers keep (migration 013). After calls
 * are created, move through their states, change result and are deleted, the campaign's
 * figures equal a direct count of its calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore, sqliteHandle } from '../../src/store/sqlite.ts';

test('campaign figures from the rollup equal a direct count after inserts, updates and deletes', () => {
  const store = openSqliteStore(':memory:');
  const db = sqliteHandle(store);
  const id = Number(db.prepare(`INSERT INTO campaigns (name, mode, state, caller_id, settings, created_at, updated_at) VALUES ('r', 'agentless', 'running', '+31201234567', '{}', '2026-11-23T09:00:00Z', '2026-11-23T09:00:00Z')`).run().lastInsertRowid);
  const at = (m: number) => new Date(Date.parse('2026-11-23T09:00:00.000Z') + m * 60_000).toISOString();
  for (let i = 0; i < 12; i++) store.calls.create({ id: `c${i}`, direction: 'outbound', campaignId: id, createdAt: at(i * 10), state: 'dialing' });
  store.calls.create({ id: 'in', direction: 'inbound', campaignId: null, createdAt: at(1), state: 'up' });
  for (let i = 0; i < 12; i++) {
    if (i % 3 === 0) store.calls.update(`c${i}`, { state: 'up', disposition: 'answered', amdStatus: 'HUMAN', identityConfirmed: true });
    if (i % 3 === 1) store.calls.update(`c${i}`, { state: 'ended', disposition: 'busy' });
  }
  store.calls.update('c0', { state: 'ended', messageHeard: true, result: 'paylink_requested' });
  store.calls.update('c3', { state: 'ended', disposition: 'abandoned' });
  db.prepare(`DELETE FROM calls WHERE id = 'c4'`).run();

  const direct = db.prepare(`SELECT COALESCE(disposition, '') AS d, COALESCE(result, '') AS r, count(*) AS n FROM calls WHERE campaign_id = ? GROUP BY 1, 2 ORDER BY 1, 2`).all(id);
  const rolled = db.prepare(`SELECT disposition AS d, result AS r, sum(n) AS n FROM call_rollup WHERE campaign_id = ? GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 1, 2`).all(id);
  assert.deepEqual(rolled, direct);

  const stats = store.dialer.counts(id);
  assert.equal(stats.calls.total, 11);
  assert.equal(stats.calls.live, 6, 'c6, c9 up; c2, c5, c8, c11 dialling');
  assert.equal(stats.calls.answered, 3);
  assert.equal(stats.calls.abandoned, 1);
  assert.equal(stats.calls.busy, 3);
  assert.deepEqual(stats.results, { paylink_requested: 1 });
  assert.deepEqual(store.reports.abandonSince(id, at(25)), { live: 3, abandoned: 1 }, 'since 09:25: c3 (09:30, abandoned, from the calls), c6 and c9 (answered, from the rollup); c0 at 09:00 is before the window');
  assert.deepEqual(store.reports.amdVerdicts(id, at(0)), [{ status: 'HUMAN', n: 4 }]);
  store.close();
});
