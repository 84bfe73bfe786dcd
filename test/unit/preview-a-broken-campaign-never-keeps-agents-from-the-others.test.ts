/**
 * Preview agents ask for the next case across every running preview campaign. A campaign
 * stored with settings that break the policy (an unknown time zone, saved before the API
 * checked it) is skipped, so agents still get the other campaigns' cases, and after 3
 * failed looks in a row it is paused with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoUtc } from '../../src/lib/clock.ts';
import { campaignState, freshDb, previewWithOneAgent, seedCampaign } from './dialer-fixture.ts';

/** Monday 23 Nov 2026, 11:00 in Amsterdam. */
const NOW = Date.parse('2026-11-23T10:00:00Z');

test('an agent gets a case from a good preview campaign while a broken one is skipped, then paused after 3 looks', () => {
  const db = freshDb();
  const at = isoUtc(NOW - 3600_000);
  const bad = seedCampaign(db, { name: 'bad', mode: 'preview', debtors: [{ phones: ['+31613000000'], timeZone: '' }], settings: { defaultTimeZone: 'Mars/Olympus' } as never, at }).campaignId;
  const good = seedCampaign(db, { name: 'good', mode: 'preview', debtors: [{ phones: ['+31612000000'] }, { phones: ['+31612000001'] }, { phones: ['+31612000002'] }], at }).campaignId;
  const preview = previewWithOneAgent(db, NOW, at);
  const offered: (number | undefined)[] = [];
  const states: string[] = [];
  for (let i = 0; i < 4; i++) {
    offered.push(preview.next(1)?.campaignId);
    states.push(campaignState(db, bad));
  }
  assert.deepEqual(offered, [good, good, good, good], 'the agent is offered the good campaign’s case every time');
  assert.deepEqual(states, ['running', 'running', 'paused', 'paused']);
  const reason = (db.prepare(`SELECT paused_reason FROM campaigns WHERE id = ?`).get(bad) as { paused_reason: string }).paused_reason;
  assert.match(reason, /settings\.defaultTimeZone must be an IANA time zone/);
});
