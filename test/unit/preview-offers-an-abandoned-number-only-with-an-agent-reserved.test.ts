import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, isoUtc } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { DialerStore } from '../../src/store/dialer.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { PreviewService } from '../../src/dialer/runtime/preview.ts';
import { claimDue } from '../../src/dialer/runtime/select.ts';
import type { Agent } from '../../src/agents/types.ts';
import { freshDb, seedCampaign } from './dialer-fixture.ts';

/** Monday 23 Nov 2026, 11:00 in Amsterdam. */
const NOW = Date.parse('2026-11-23T10:00:00Z');

function abandonedAnHourAgo() {
  const db = freshDb();
  const clock = new FakeClock(NOW);
  const { campaignId, contactIds, debtorIds } = seedCampaign(db, { mode: 'preview', debtors: [{ phones: ['+31611111111'] }], at: isoUtc(NOW - 2 * 3600_000) });
  const at = isoUtc(NOW - 3600_000);
  db.prepare(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, state, disposition, result, created_at, answered_at, ended_at) VALUES ('c1', 'outbound', ?, ?, ?, 'ended', 'abandoned', 'abandoned', ?, ?, ?)`)
    .run(campaignId, contactIds[0], debtorIds[0], at, at, at);
  db.prepare(`UPDATE contacts SET attempts = 1, next_attempt_at = ?, abandoned_at = ?, last_outcome = 'abandoned' WHERE id = ?`).run(isoUtc(NOW + 71 * 3600_000), at, contactIds[0]);
  const store = new DialerStore(db);
  const agent: Agent = { id: 1, name: 'A', endpoint: 'PJSIP/agent1', skills: [], state: 'available', stateSince: at, createdAt: at, updatedAt: at };
  const preview = new PreviewService({
    store, clock, log: silentLogger(),
    calls: { update: () => {} },
    registry: { get: () => agent, apply: () => agent, tryApply: () => true },
    place: async () => true,
  });
  return { db, store, preview, campaignId, contactId: contactIds[0]! };
}

test('an abandoned number is offered to an agent who will take the call (an agent is reserved), within the 72 h', () => {
  const r = abandonedAnHourAgo();
  assert.equal(r.preview.next(1)?.contactId, r.contactId);
  r.db.close();
});

test('the dialer itself does not call that number again within 72 h', () => {
  const r = abandonedAnHourAgo();
  const campaign = { ...r.store.campaign(r.campaignId)!, mode: 'predictive' as const };
  assert.deepEqual(claimDue({ store: r.store, log: silentLogger() }, campaign, DEFAULT_SETTINGS, NOW, 5), []);
  r.db.close();
});
