import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { FakeClock, isoUtc } from '../../src/lib/clock.ts';
import { openDb } from '../../src/store/db.ts';
import { recentLiveAttempts } from '../../src/store/pacing.ts';
import { PacerAdapter } from '../../src/dialer/runtime/pacer-adapter.ts';
import type { Agent } from '../../src/agents/types.ts';
import { seedCampaign } from './dialer-fixture.ts';

test('after a restart the 24 h abandon count is rebuilt from the stored calls, so the cap still holds', () => {
  const clock = new FakeClock('2026-11-24T12:00:00Z');
  const db = openDb(':memory:');
  const { campaignId } = seedCampaign(db, { mode: 'predictive', debtors: [] });
  const insert = db.prepare(`INSERT INTO calls (id, direction, campaign_id, state, disposition, created_at, answered_at) VALUES (?, 'outbound', ?, 'ended', ?, ?, ?)`);
  const ago = (h: number) => isoUtc(clock.now() - h * 3600_000);
  // Yesterday morning (outside 24 h): abandons that no longer count.
  for (let i = 0; i < 5; i++) insert.run(`old-${i}`, campaignId, 'abandoned', ago(30), ago(30));
  // The last 24 h: 60 live answers, 2 of them abandoned, and calls that were no live answer.
  for (let i = 0; i < 60; i++) insert.run(`live-${i}`, campaignId, i < 2 ? 'abandoned' : 'answered', ago(20 - i / 10), ago(20 - i / 10));
  for (let i = 0; i < 30; i++) insert.run(`busy-${i}`, campaignId, 'busy', ago(10), null);

  const agents = Object.assign(new EventEmitter<{ changed: [Agent] }>(), { list: (): Agent[] => [] });
  const adapter = new PacerAdapter({ clock, agents, callInfo: () => undefined });
  adapter.seed(recentLiveAttempts(db, isoUtc(clock.now() - 24 * 3600_000)));
  const m = adapter.measured(campaignId);
  assert.deepEqual([m.liveAnswered24h, m.abandoned24h], [60, 2]);
  db.close();
});
