/**
 * The predictive smoke: a short predictive campaign with 3 virtual agents on the simulated
 * Asterisk, through the real engine (dialer, pacer adapter, call flows, agent desk, ARI
 * client), warm from live answers earlier today. What a debtor, an agent and an operator
 * would notice: the engine starts from the stored history, debtors reach agents, an
 * abandoned debtor hears the information message at the 2 s mark and is not called again
 * within 72 h, no agent ever has two debtors, every agent talks.
 * The statistics (abandon rate over 24 h, dialling ahead when warm) run on the
 * discrete-event simulation: test/unit/pacing-predictive-campaign-stays-under-the-abandon-cap.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { agentRig, callRows, talkIntervals } from './predictive-harness.ts';

/** Monday 23 Nov 2026, 10:00 in Amsterdam. */
const ORIGIN = Date.parse('2026-11-23T09:00:00Z');
const RUN_MS = 120_000;
const EARLIER = 150;
const RETRY = { ...DEFAULT_SETTINGS.retryDelayMinutes, busy: 2, no_answer: 3, failed: 2, unreachable: 3, hangup_early: 2 };

test('a warm predictive campaign puts debtors through to its 3 agents, tells the abandoned who called and never redials them', { timeout: 120_000 }, async (t) => {
  const rig = await agentRig({
    // 5×: 2 simulated minutes in ~25 s. The 2 s connect budget is 400 real ms here for the
    // ~10 ARI round trips of a warm transfer (with a real Asterisk it is 2000). At 10× (200 ms)
    // a busy CI machine turned slow loopback HTTP into abandoned calls (3 of 38 in one run).
    scale: 5,
    origin: ORIGIN,
    mode: 'predictive',
    agents: 3,
    debtors: 60,
    population: { seed: 11, weights: { answer: 35, machine: 8, busy: 12, noanswer: 40, unreachable: 5 }, ringMs: { min: 2000, max: 9000 } },
    // Without AMD: its seconds of listening after answer would count against the 2 s rule.
    settings: { amd: false, ringTimeoutSec: 15, maxConcurrentChannels: 20, maxCallsPerSecond: 5, maxAttemptsTotal: 3, maxAttemptsPerDay: 3, retryDelayMinutes: RETRY },
    talkMs: { min: 20_000, max: 70_000 },
    wrapUpSec: 5,
    earlierLiveCalls: EARLIER,
  });
  t.after(() => rig.close());
  // The engine read today's earlier live answers back from the store: the 24 h count does not start at zero.
  assert.equal(rig.engine.pacing.measured(rig.campaignId).liveAnswered24h, EARLIER);
  const reasons = new Map<string, number>();
  await rig.runUntil(ORIGIN + RUN_MS, () => {
    const d = rig.engine.pacing.lastDecision(rig.campaignId);
    if (d) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    return false;
  });
  await rig.stop();

  const rows = callRows(rig.db);
  const debtorCalls = rows.filter((r) => r.direction === 'outbound' && !r.id.startsWith('earlier-'));
  const live = debtorCalls.filter((r) => r.disposition === 'answered' || r.disposition === 'abandoned');
  const abandoned = debtorCalls.filter((r) => r.disposition === 'abandoned');
  const connected = debtorCalls.filter((r) => r.result === 'transferred');
  assert.ok(connected.length > 0, 'debtors were put through to agents');
  const rate = live.length ? abandoned.length / live.length : 0;

  // Every abandoned debtor heard who called and where to call back, from the 2 s mark. How soon after
  // it (≤ 1 s) is timed on a quiet rig in predictive-abandoned-call-hears-who-called.test.ts; here three
  // agents' warm transfers share a loaded machine at 5×, where 200 real ms of lag is a model second.
  const info = new Set(['nl', 'en'].map((lang) => renderPrompt('abandoned_info', lang as 'nl' | 'en', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' })));
  const phoneByChannel = new Map(rig.sim.asterisk.calls().map((c) => [c.channelId, c]));
  for (const a of abandoned) {
    const p = phoneByChannel.get(a.id);
    assert.ok(p?.answeredAt, `abandoned call ${a.id} was answered by its phone`);
    const answeredMs = Date.parse(p.answeredAt) - Date.parse(p.startedAt);
    const heard = p.heard.find((h) => info.has(rig.tts.texts.get(h.media) ?? ''));
    assert.ok(heard, `abandoned call ${a.id} heard the information message`);
    const after = heard.startedAtMs - answeredMs;
    assert.ok(after >= 2000 - 50, `information message started ${after} ms after answer`);
  }

  // No abandoned number called again within 72 h (abandonQuietHours).
  for (const a of abandoned) {
    const later = debtorCalls.filter((r) => r.contact_id === a.contact_id && r.created_at > a.created_at);
    for (const l of later) assert.ok(Date.parse(l.created_at) - Date.parse(a.created_at) >= 72 * 3600_000, `contact ${a.contact_id} redialled after an abandoned call`);
    const next = rig.db.prepare(`SELECT next_attempt_at FROM contacts WHERE id = ?`).get(a.contact_id) as { next_attempt_at: string | null };
    if (next.next_attempt_at) assert.ok(Date.parse(next.next_attempt_at) - Date.parse(a.created_at) >= 72 * 3600_000, `contact ${a.contact_id} scheduled at ${next.next_attempt_at}`);
  }

  // No agent ever had two debtors at once, and every agent talked.
  const occupancy: string[] = [];
  for (const endpoint of rig.endpoints) {
    const spans = talkIntervals(rig.sim, endpoint).sort((x, y) => x.from - y.from);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i]!.from >= spans[i - 1]!.to, `${endpoint} took a call while on another`);
    const talkMs = spans.reduce((s, x) => s + (Math.min(x.to, ORIGIN + RUN_MS) - x.from), 0);
    assert.ok(talkMs > 0, `${endpoint} talked`);
    occupancy.push(`${endpoint.slice(6)} ${((100 * talkMs) / RUN_MS).toFixed(0)} %`);
  }
  // How long after answer each connected debtor was talking to an agent (end of the hold music).
  const connectMs = connected
    .map((c) => phoneByChannel.get(c.id))
    .filter((p) => p?.answeredAt && p.moh[0]?.endedAtMs != null)
    .map((p) => p!.moh[0]!.endedAtMs! - (Date.parse(p!.answeredAt!) - Date.parse(p!.startedAt)))
    .sort((a, b) => a - b);
  const byAgent = new Map<number, number>();
  for (const r of rows.filter((x) => x.direction === 'agent' && x.disposition === 'answered')) byAgent.set(r.agent_id!, (byAgent.get(r.agent_id!) ?? 0) + 1);
  t.diagnostic(
    `${debtorCalls.length} calls, ${live.length} live, ${connected.length} to an agent, ${abandoned.length} abandoned (${(rate * 100).toFixed(1)} %); ` +
      `agent talk share of ${RUN_MS / 60_000} min: ${occupancy.join(', ')}; conversations per agent ${JSON.stringify(Object.fromEntries(byAgent))}; pacer reasons (sampled) ${JSON.stringify(Object.fromEntries(reasons))}; ` +
      `answer → agent: median ${connectMs[connectMs.length >> 1]} ms, max ${connectMs.at(-1)} ms; ` +
      // Bereik and the simulated Asterisk share one process and a busy test machine: a connect
      // after 2 s here measures the machine; the pacer counts it as abandoned all the same.
      `put through after 2 s: ${connectMs.filter((ms) => ms > 2000).length}`,
  );
});
