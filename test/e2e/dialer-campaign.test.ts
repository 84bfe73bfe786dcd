/**
 * A 30-debtor agentless campaign end to end: the dialer, the real ARI client and the
 * real call flows against the simulated Asterisk, over HTTP + WebSocket, on one
 * ScaledClock. The phones come from a population (answer and press 1, busy, no answer,
 * answering machine, invalid number). Half way through, the dialer and its ARI client
 * are stopped and new ones started, as a process restart would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignStats } from '../../src/dialer/runtime/stats.ts';
import type { PhoneCallRecord } from '../../src/sim/index.ts';
import { campaignState } from '../unit/dialer-fixture.ts';
import { dialerRig, type CallRowView } from './dialer-harness.ts';

/** Monday 23 Nov 2026, 07:58 in Amsterdam: two minutes before the calling window opens. */
const ORIGIN = Date.parse('2026-11-23T06:58:00Z');
const WINDOW_OPENS = Date.parse('2026-11-23T07:00:00Z');
const RETRY = { busy: 2, no_answer: 3, machine: 4, failed: 2, unreachable: 3, abandoned: 60, identity_not_confirmed: 5, hangup_early: 2, interrupted: 1 };
const SETTINGS = { maxAttemptsTotal: 3, maxAttemptsPerDay: 3, ringTimeoutSec: 15, maxConcurrentChannels: 10, maxCallsPerSecond: 5, retryDelayMinutes: RETRY };
const LIVE = ['dialing', 'ringing', 'up'];

test('a 30-debtor campaign runs to completion through a restart, inside the window, within the caps, and nothing is lost or dialled twice', { timeout: 240_000 }, async (t) => {
  const rig = await dialerRig({
    // 25×: fast enough for a campaign of retries, slow enough that a virtual debtor's
    // 10 s of patience is not eaten by the test machine's own latency.
    scale: 25,
    origin: ORIGIN,
    scenario: {
      endpoints: ['trunk'],
      population: {
        seed: 7,
        weights: { answer: 5, busy: 2, noanswer: 2, machine: 1, invalid: 1 },
        ringMs: { min: 1000, max: 4000 },
        thinkMs: { min: 500, max: 1500 },
        keys: { '1': 1 },
      },
    },
    debtors: Array.from({ length: 30 }, (_, i) => ({ phones: [`+316${String(20000000 + i * 7919).padStart(8, '0')}`] })),
    settings: SETTINGS,
  });
  const { db, store, sim, campaignId } = rig;
  try {
    await rig.boot();
    // Half way through the first round: restart, with calls ringing and in the flow.
    await rig.waitFor('15 recorded attempts', () => rig.rows().filter((r) => r.disposition).length >= 15, 60_000);
    const liveAtRestart = rig.rows().filter((r) => LIVE.includes(r.state)).length;
    await rig.halt();
    const report = await rig.boot();
    t.diagnostic(`restart with ${liveAtRestart} calls in flight: ${JSON.stringify(report)}`);
    // Calls that ended between the count and the stop were recorded by the old dialer.
    assert.ok(report.adopted + report.interrupted > 0 && report.adopted + report.interrupted <= liveAtRestart, `calls in flight were adopted or interrupted (${JSON.stringify(report)}, ${liveAtRestart} live)`);

    await rig.waitFor('the campaign to finish', () => campaignState(db, campaignId) === 'finished', 180_000);
    await rig.halt();

    const calls = rig.rows();
    const phoneCalls = sim.asterisk.calls().filter((c) => c.direction === 'outbound');
    const byChannel = new Map(phoneCalls.map((c) => [c.channelId, c]));

    // Every contact closed in a state that fits what its phone did.
    const contacts = db.prepare(`SELECT id, status, attempts, result FROM contacts WHERE campaign_id = ?`).all(campaignId) as { id: number; status: string; attempts: number; result: string | null }[];
    for (const c of contacts) {
      assert.ok(['done', 'exhausted', 'invalid'].includes(c.status), `contact ${c.id} ended ${c.status}`);
      const mine = calls.filter((r) => r.contact_id === c.id);
      assert.equal(mine.length, c.attempts, `contact ${c.id}: one call row per attempt`);
      assert.ok(c.attempts <= SETTINGS.maxAttemptsTotal, `contact ${c.id}: ${c.attempts} attempts`);
      if (c.status === 'done') assert.equal(mine.at(-1)!.result, c.result, 'done with the last call’s result');
      if (c.status === 'exhausted') assert.equal(c.attempts, SETTINGS.maxAttemptsTotal);
    }
    assert.ok(contacts.some((c) => c.status === 'done' && c.result === 'paylink_requested'), 'some debtors asked for a pay link');

    // Nothing lost, nothing invented: each call row is a call a phone saw, and the other way round.
    assert.equal(calls.length, phoneCalls.length, 'as many calls stored as the phones received');
    for (const r of calls) {
      assert.ok(!LIVE.includes(r.state), `call ${r.id} still ${r.state}`);
      const p: PhoneCallRecord | undefined = byChannel.get(r.id);
      assert.ok(p, `call ${r.id} reached a phone`);
      // Cut by the restart (state interrupted): the result may be the one the flow had
      // already written as the halt hung the call up (hangup_early), so go by the state.
      if (r.state === 'interrupted') continue;
      const answered = p.answeredAt !== null;
      assert.equal(['answered', 'machine', 'abandoned'].includes(r.disposition!), answered, `call ${r.id}: stored ${r.disposition}/${r.result}, phone ${p.result} (${p.hangupCause} by ${p.hungUpBy})`);
      if (p.amd?.status === 'MACHINE') assert.equal(r.disposition, 'machine');
      // Subscribed to the dialplan-routed channel, the dialer hears the real causes. A channel
      // that vanished while the events socket was reconnecting left no cause (0): then only
      // a retryable non-answer is claimed.
      const row = db.prepare('SELECT hangup_cause AS cause, hangup_text AS text FROM calls WHERE id = ?').get(r.id) as { cause: number | null; text: string | null };
      const why = `call ${r.id}: stored ${r.disposition}/${r.result} (cause ${row.cause} ${row.text}), phone ${p.result}`;
      if (!answered && row.cause === 0) assert.ok(['no_answer', 'failed'].includes(r.disposition!), why);
      else if (p.result === 'busy') assert.equal(r.disposition, 'busy', why);
      else if (p.result === 'noanswer') assert.equal(r.disposition, 'no_answer', why);
      else if (p.sipStatus === 404) assert.equal(r.result, 'cause_1_invalid_number', why);
    }
    // An unallocated number is not dialled again: its phone is marked invalid and the debtor
    // (one phone each) closed. (The population draws each attempt anew, so a number may be
    // busy first and unallocated later.)
    const invalid = contacts.filter((c) => c.status === 'invalid');
    assert.ok(invalid.length > 0, 'the population has invalid numbers');
    for (const c of invalid) assert.equal(calls.filter((r) => r.contact_id === c.id).at(-1)!.result, 'cause_1_invalid_number', `contact ${c.id}`);
    const vanished = (db.prepare(`SELECT COUNT(*) AS n FROM calls WHERE hangup_cause = 0 AND answered_at IS NULL`).get() as { n: number }).n;
    if (vanished) t.diagnostic(`${vanished} unanswered calls ended without a cause (events socket reconnecting)`);

    // The progress figures agree with what the phones recorded.
    const stats = campaignStats(store, campaignId)!;
    const interrupted = new Set(calls.filter((r) => r.state === 'interrupted').map((r) => r.id));
    const answeredByPhones = phoneCalls.filter((p) => p.answeredAt !== null && !interrupted.has(p.channelId)).length;
    assert.equal(stats.answered + stats.machine + stats.calls.abandoned, answeredByPhones);
    assert.equal(stats.paylinks, contacts.filter((c) => c.result === 'paylink_requested').length);
    assert.equal(stats.contacts.total, 30);
    assert.equal(stats.calls.live, 0);
    t.diagnostic(`contacts ${JSON.stringify(stats.contacts)}; calls ${JSON.stringify(stats.calls)}; results ${JSON.stringify(stats.results)}`);

    // No call outside the window; no debtor on two calls at once; retry delays respected.
    for (const p of phoneCalls) assert.ok(Date.parse(p.startedAt) >= WINDOW_OPENS, `call at ${p.startedAt} before 08:00 local`);
    const byDebtor = new Map<number, CallRowView[]>();
    for (const r of calls) byDebtor.set(r.debtor_id, [...(byDebtor.get(r.debtor_id) ?? []), r]);
    for (const [debtor, list] of byDebtor) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const next = list[i]!;
        assert.ok(prev.ended_at && prev.ended_at <= next.created_at, `debtor ${debtor}: call ${next.id} started before ${prev.id} ended`);
        const outcome = (prev.result && prev.result in RETRY ? prev.result : prev.disposition) as keyof typeof RETRY;
        const delay = (RETRY[outcome] ?? 0) * 60_000;
        assert.ok(Date.parse(next.created_at) >= Date.parse(prev.ended_at) + delay - 1000, `debtor ${debtor}: retry after ${prev.disposition}/${prev.result} came too soon`);
      }
    }
  } finally {
    await rig.close();
  }
});
