/**
 * A campaign without AMD goes straight into the app, so the dialer hears the real
 * hang-up causes: busy, an unallocated number (the phone is marked invalid and the
 * debtor closed), no answer, and an answered call through the flow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignState } from '../unit/dialer-fixture.ts';
import { dialerRig } from './dialer-harness.ts';

test('without AMD, busy, invalid and unanswered numbers are told apart and the invalid phone is never dialled again', { timeout: 120_000 }, async () => {
  const rig = await dialerRig({
    scale: 25,
    origin: Date.parse('2026-11-23T09:00:00Z'),
    scenario: {
      endpoints: ['trunk'],
      phones: {
        '+31611110001': { outcome: 'busy' },
        '+31611110002': { outcome: 'sip', sipStatus: 404, ringMs: 200 },
        '+31611110003': { outcome: 'noanswer' },
        '+31611110004': {
          outcome: 'answer',
          ringMs: 1000,
          keys: [
            { afterPrompt: 1, on: 'end', delayMs: 600, keys: '1' },
            { afterPrompt: 2, on: 'end', delayMs: 600, keys: '1' },
          ],
          hangup: { idleMs: 10000 },
        },
      },
    },
    debtors: ['+31611110001', '+31611110002', '+31611110003', '+31611110004'].map((p) => ({ phones: [p] })),
    settings: { amd: false, maxAttemptsTotal: 1, ringTimeoutSec: 15 },
  });
  const { db, campaignId } = rig;
  try {
    await rig.boot();
    await rig.waitFor('the campaign to finish', () => campaignState(db, campaignId) === 'finished', 90_000);
    const outcome = db
      .prepare(
        `SELECT p.e164, p.status AS phone, co.status AS contact, ca.disposition, ca.hangup_cause AS cause, ca.result
           FROM calls ca JOIN contacts co ON co.id = ca.contact_id JOIN phones p ON p.id = ca.phone_id ORDER BY p.e164`,
      )
      .all();
    assert.deepEqual(outcome, [
      { e164: '+31611110001', phone: 'unknown', contact: 'exhausted', disposition: 'busy', cause: 17, result: 'cause_17_busy' },
      { e164: '+31611110002', phone: 'invalid', contact: 'invalid', disposition: 'failed', cause: 1, result: 'cause_1_invalid_number' },
      { e164: '+31611110003', phone: 'unknown', contact: 'exhausted', disposition: 'no_answer', cause: 19, result: 'cause_19_no_answer' },
      { e164: '+31611110004', phone: 'active', contact: 'done', disposition: 'answered', cause: 16, result: 'paylink_requested' },
    ]);
    assert.equal(rig.sim.asterisk.phone('+31611110002').calls.length, 1, 'the unallocated number was dialled once');
  } finally {
    await rig.close();
  }
});
