/**
 * A working day of a collection campaign, seen from the callbacks (issue 5's benchmark).
 *
 * 10,000 debtors are called once during the day. What each outbound call leads to
 * (answered by a person, identity confirmed, message heard, a choice on the first call,
 * a voicemail, a missed call with our caller ID on their screen) decides whether and when
 * the debtor calls back. Every callback is then routed by the REAL routing code
 * (src/routing: segment + routeCallback) under two policies on the same agent team:
 *
 *  - bereik:    the callback rule with segmentation (heard → agent, not heard → the message
 *               with next steps and the segment's menu, small claims → self service);
 *  - all_agent: every callback goes straight to an agent (what a plain ACD does).
 *
 * Agents are a FIFO queue served longest-idle first; callers give up after their patience
 * runs out. The same seed gives the same day for both policies (one RNG stream per
 * debtor decision), so the difference is the policy, not the dice.
 */
import { EventQueue } from './des/event-queue.ts';
import { seededRng, type Rng } from './des/rng.ts';
import { routeCallback } from '../../src/routing/callback.ts';
import { DEFAULT_SETTINGS, type Risk } from '../../src/campaigns/settings.ts';

export type Policy = 'bereik' | 'all_agent';

export interface DayScenario {
  seed: number;
  debtors: number;
  agents: number;
  dayMs: number;
  /** Amount owed: lognormal mean (cents) and shape. */
  amountMeanCents: number;
  amountSigma: number;
  riskShares: Record<Risk, number>;
  /** Outbound: shares of calls answered by a person / by a machine (the rest: busy or no answer). */
  personRate: number;
  machineRate: number;
  identityConfirmedRate: number;
  /** Of confirmed debtors, the share that hear the message to the end. */
  messageHeardRate: number;
  /** Chance of a callback later that day, by what the outbound call left behind. */
  callbackAfterHeard: number;
  callbackAfterVoicemail: number;
  callbackAfterMissed: number;
  callbackAfterCutOff: number;
  /** Mean delay between the outbound call and the callback (exponential). */
  callbackDelayMeanMs: number;
  /** What a debtor picks in the menu when it offers both (the rest: dispute or nothing). */
  menuChoosesAgent: number;
  menuChoosesPaylink: number;
  /** IVR time before the debtor is queued for an agent. */
  identityMs: number;
  messageMs: number;
  transferWaitMs: number;
  /** Agent side: ring-to-answer, whisper, talk (lognormal), wrap-up. */
  agentAnswerMs: number;
  whisperMs: number;
  talkMeanMs: number;
  talkSigma: number;
  wrapMs: number;
  /** How long a caller waits in the queue before hanging up (exponential mean). */
  patienceMeanMs: number;
}

export const DEFAULT_DAY: DayScenario = {
  seed: 7,
  debtors: 10_000,
  agents: 6,
  dayMs: 8 * 3600_000,
  amountMeanCents: 350_00,
  amountSigma: 1.1,
  riskShares: { low: 0.6, medium: 0.3, high: 0.1 },
  personRate: 0.35,
  machineRate: 0.2,
  identityConfirmedRate: 0.85,
  messageHeardRate: 0.8,
  callbackAfterHeard: 0.15,
  callbackAfterVoicemail: 0.12,
  callbackAfterMissed: 0.05,
  callbackAfterCutOff: 0.08,
  callbackDelayMeanMs: 45 * 60_000,
  menuChoosesAgent: 0.3,
  menuChoosesPaylink: 0.5,
  identityMs: 8_000,
  messageMs: 45_000,
  transferWaitMs: 4_000,
  agentAnswerMs: 4_000,
  whisperMs: 3_800, // the agent_whisper prompt at agent pace (scripts/bench-tts.ts)
  talkMeanMs: 4 * 60_000,
  talkSigma: 0.6,
  wrapMs: 30_000,
  patienceMeanMs: 3 * 60_000,
};

export interface DayReport {
  policy: Policy;
  callbacks: number;
  /** Callbacks that ended without asking for an agent (message, pay link, dispute). */
  withoutAgent: number;
  /** Callbacks that asked for an agent (queued). */
  agentRequests: number;
  agentConnected: number;
  /** Callers who hung up in the queue, or still waited when the day ended. */
  notReached: number;
  /** Mean time from the start of the callback to talking with an agent, connected calls only. */
  meanTimeToAgentMs: number;
  p90TimeToAgentMs: number;
  /** Mean time in the queue (queued → agent answers), connected calls only. */
  meanQueueWaitMs: number;
  /** Talk time over logged-in time of the whole team. */
  occupancy: number;
}

interface Callback {
  at: number;
  heard: boolean;
  amountCents: number;
  risk: Risk;
  /** Pre-drawn per debtor so both policies see the same dice. */
  menuDraw: number;
  talkMs: number;
  patienceMs: number;
}

/** Draws the day's callbacks; identical for both policies. */
export function drawCallbacks(s: DayScenario): Callback[] {
  const rng = seededRng(s.seed);
  const out: Callback[] = [];
  for (let i = 0; i < s.debtors; i++) {
    const amountCents = Math.max(1_00, Math.round(rng.lognormal(s.amountMeanCents, s.amountSigma)));
    const risk = pickRisk(rng, s.riskShares);
    const dialledAt = rng.next() * s.dayMs * 0.85;
    const answer = rng.next();
    let heard = false;
    let pCallback: number;
    if (answer < s.personRate) {
      const confirmed = rng.next() < s.identityConfirmedRate;
      heard = confirmed && rng.next() < s.messageHeardRate;
      // A debtor who heard the message and already chose on the first call has no reason to call back.
      const settledOnFirstCall = heard && rng.next() < s.menuChoosesAgent + s.menuChoosesPaylink;
      pCallback = settledOnFirstCall ? 0 : heard ? s.callbackAfterHeard : s.callbackAfterCutOff;
    } else if (answer < s.personRate + s.machineRate) {
      pCallback = s.callbackAfterVoicemail;
    } else {
      pCallback = s.callbackAfterMissed;
    }
    const calls = rng.next() < pCallback;
    const at = dialledAt + rng.exponential(s.callbackDelayMeanMs);
    const menuDraw = rng.next();
    const talkMs = rng.lognormal(s.talkMeanMs, s.talkSigma);
    const patienceMs = rng.exponential(s.patienceMeanMs);
    if (calls && at < s.dayMs) out.push({ at, heard, amountCents, risk, menuDraw, talkMs, patienceMs });
  }
  return out.sort((a, b) => a.at - b.at);
}

function pickRisk(rng: Rng, shares: Record<Risk, number>): Risk {
  const r = rng.next();
  if (r < shares.low) return 'low';
  if (r < shares.low + shares.medium) return 'medium';
  return 'high';
}

/** Decides, for one callback, whether it asks for an agent and after how much IVR time. */
function needsAgent(cb: Callback, policy: Policy, s: DayScenario): { agent: boolean; ivrMs: number } {
  if (policy === 'all_agent') return { agent: true, ivrMs: s.identityMs + s.transferWaitMs };
  const route = routeCallback({
    messageHeard: cb.heard,
    claim: { amountCents: cb.amountCents },
    debtor: { risk: cb.risk },
    settings: { lowAmountCents: DEFAULT_SETTINGS.lowAmountCents, highAmountCents: DEFAULT_SETTINGS.highAmountCents },
  });
  if (route.action === 'agent') return { agent: true, ivrMs: s.identityMs + s.transferWaitMs };
  if (route.action === 'self_service') return { agent: false, ivrMs: s.identityMs + s.messageMs };
  // play_message: the message with next steps, then the menu that offers both.
  const agent = route.segment.menuOptions.includes('agent') && cb.menuDraw < s.menuChoosesAgent;
  return { agent, ivrMs: s.identityMs + s.messageMs + s.transferWaitMs };
}

type Ev = { kind: 'queue'; cb: Callback; startedAt: number; queuedAt: number } | { kind: 'free'; agent: number } | { kind: 'giveUp'; id: number };

export function simulateCallbackDay(policy: Policy, overrides: Partial<DayScenario> = {}): DayReport {
  const s: DayScenario = { ...DEFAULT_DAY, ...overrides };
  const callbacks = drawCallbacks(s);
  const events = new EventQueue<Ev>();
  let withoutAgent = 0;
  let requests = 0;
  for (const cb of callbacks) {
    const { agent, ivrMs } = needsAgent(cb, policy, s);
    if (agent) {
      requests++;
      events.push(cb.at + ivrMs, { kind: 'queue', cb, startedAt: cb.at, queuedAt: cb.at + ivrMs });
    } else withoutAgent++;
  }
  // Longest-idle first: the free list is kept in the order agents became free.
  const free: number[] = Array.from({ length: s.agents }, (_, i) => i);
  const waiting = new Map<number, { cb: Callback; startedAt: number; queuedAt: number }>();
  let nextId = 0;
  let talkTotal = 0;
  const reach: number[] = [];
  let queueWaitTotal = 0;

  const connect = (agent: number, w: { cb: Callback; startedAt: number; queuedAt: number }, now: number) => {
    queueWaitTotal += now - w.queuedAt;
    const connectedAt = now + s.agentAnswerMs + s.whisperMs;
    reach.push(connectedAt - w.startedAt);
    const talkEnd = Math.min(connectedAt + w.cb.talkMs, s.dayMs);
    talkTotal += Math.max(0, talkEnd - connectedAt);
    events.push(connectedAt + w.cb.talkMs + s.wrapMs, { kind: 'free', agent });
  };

  for (let e = events.pop(); e && e.at <= s.dayMs; e = events.pop()) {
    const ev = e.value;
    if (ev.kind === 'queue') {
      const agent = free.shift();
      if (agent !== undefined) connect(agent, ev, e.at);
      else {
        const id = nextId++;
        waiting.set(id, ev);
        events.push(e.at + ev.cb.patienceMs, { kind: 'giveUp', id });
      }
    } else if (ev.kind === 'giveUp') {
      waiting.delete(ev.id);
    } else {
      const first = waiting.entries().next();
      if (first.done) free.push(ev.agent);
      else {
        waiting.delete(first.value[0]);
        connect(ev.agent, first.value[1], e.at);
      }
    }
  }
  reach.sort((a, b) => a - b);
  return {
    policy,
    callbacks: callbacks.length,
    withoutAgent,
    agentRequests: requests,
    agentConnected: reach.length,
    notReached: requests - reach.length,
    meanTimeToAgentMs: reach.length ? reach.reduce((a, b) => a + b, 0) / reach.length : 0,
    p90TimeToAgentMs: reach.length ? reach[Math.floor(reach.length * 0.9)]! : 0,
    meanQueueWaitMs: reach.length ? queueWaitTotal / reach.length : 0,
    occupancy: talkTotal / (s.agents * s.dayMs),
  };
}
