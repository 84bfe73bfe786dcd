/**
 * The pacing core: how many calls to start now. One pure function for every mode, so
 * the dialer and the discrete-event simulator (des/) run the same code. See README,
 * "Pacing", for the algorithm in prose and the figures behind its constants.
 *
 * - preview: never dials by itself; the agent's click is the trigger.
 * - progressive: one call per available agent, minus calls already ringing or waiting.
 *   Every answered call has an agent, so it cannot abandon (short of an agent leaving).
 * - predictive: dials for agents available now AND those expected to be free when the
 *   new calls answer, at the measured answer rate, as far as the predicted share of
 *   answered calls finding no agent stays under a target derived from the 24 h abandon
 *   budget. It never dials fewer calls than progressive would.
 * - agentless: IVR only, no agent waits: fill the channels.
 *
 * Safety (Ofcom: abandoned ≤ 3 % of live-answered calls over 24 h):
 * - cold start: progressive until minLiveAnswers live answers were measured AND the
 *   24 h budget can absorb at least one abandoned call;
 * - planning answer rate = Wilson UPPER bound of the measured rate (see math.ts);
 * - target share = cap × safety × remaining headroom: the closer the 24 h rate is to
 *   the cap, the less over-dial; at fallbackAt × cap it falls back to progressive;
 * - wrong AMD verdicts are counted strictly: a person classified as a machine hears the
 *   voicemail message or a hang-up, which is an abandoned call. The system cannot see
 *   them, so amdFalseMachineRate (measured by sampling recordings) × live answers is
 *   added to the abandoned count before any of the above.
 */
import { expectedPositivePart, wilsonUpper } from './math.ts';

export type PacingMode = 'preview' | 'progressive' | 'predictive' | 'agentless';

export interface PacerStats {
  /** Agents logged in and idle, ready to take a call now. */
  agentsAvailable: number;
  /** Talk time elapsed so far (ms) of each agent on a call. */
  agentsTalkingElapsedMs: number[];
  /** Wrap-up time elapsed so far (ms) of each agent in wrap-up. */
  agentsWrapUpElapsedMs: number[];
  /** Calls dialled whose outcome is not known yet (ringing, or answered and in AMD). */
  callsRinging: number;
  /** Live persons answered and waiting for an agent right now. */
  callsWaiting: number;
  /** Calls up for another reason (machine message, IVR): they hold channels. */
  otherCallsUp: number;
  /** Measured share of finished attempts answered by a live person (recent, decayed). */
  answerRate: number;
  /** Effective number of finished attempts behind answerRate. */
  answerSamples: number;
  /** Live answers measured so far (cold start ends after minLiveAnswers). */
  liveAnswersObserved: number;
  /** Mean time from dialling to a live person ready for an agent (ring + AMD), ms. */
  meanDialToLiveMs: number;
  meanTalkMs: number;
  meanWrapMs: number;
  /** Live-answered calls in the last 24 h (as observed, i.e. AMD verdict person). */
  liveAnswered24h: number;
  /** Abandoned calls observed in the last 24 h (no agent within 2 s, hang-up during AMD). */
  abandoned24h: number;
}

export interface PacerSettings {
  mode: PacingMode;
  /** Ofcom cap, share of live-answered calls (campaign setting abandonRateCap). */
  abandonRateCap: number;
  maxConcurrentChannels: number;
  /** Measured share of live persons AMD calls a machine (0 without AMD). Counted as abandoned. */
  amdFalseMachineRate?: number;
  /** Live answers to observe before leaving progressive. */
  minLiveAnswers?: number;
  /** Fraction of the cap the over-dial aims at when the 24 h rate is zero. */
  safety?: number;
  /** Fall back to progressive once the 24 h rate reaches this fraction of the cap. */
  fallbackAt?: number;
  /** z for the Wilson upper bound of the answer rate. */
  answerRateZ?: number;
  /** Abandoned calls the 24 h budget must still have room for before dialling ahead. */
  burstRoom?: number;
}

export const PACER_DEFAULTS = {
  amdFalseMachineRate: 0,
  minLiveAnswers: 30,
  safety: 0.65,
  fallbackAt: 0.85,
  answerRateZ: 1,
  burstRoom: 3,
} as const;

export type PaceReason =
  | 'preview_agent_triggers'
  | 'agentless_fill_channels'
  | 'channels_full'
  | 'cold_start'
  | 'abandon_budget_exhausted'
  | 'abandon_near_cap'
  | 'progressive'
  | 'predictive';

export interface PaceDecision {
  dialNow: number;
  reason: PaceReason;
  effectiveMode: PacingMode;
  /** What the decision was based on, for the live view and the logs. */
  detail: {
    plannedAnswerRate?: number;
    expectedFreeAgents?: number;
    targetAbandonShare?: number;
    predictedAbandonShare?: number;
    abandonRate24h?: number;
  };
}

/** Probability an agent in wrap-up is free within h ms (remaining wrap ~ exponential, mean ≥ a quarter wrap). */
function pWrapDoneWithin(elapsed: number, h: number, meanWrap: number): number {
  const remaining = Math.max(meanWrap - elapsed, 0.25 * meanWrap);
  return 1 - Math.exp(-h / Math.max(remaining, 1));
}

/** Probability a talking agent is free (talk + wrap done) within h ms; memoryless talk. */
function pTalkDoneWithin(h: number, meanTalk: number, meanWrap: number): number {
  if (h <= meanWrap) return 0;
  return 1 - Math.exp(-(h - meanWrap) / Math.max(meanTalk, 1));
}

const MAX_DIAL_PER_DECISION = 1000;

export function pace(stats: PacerStats, _nowMs: number, settings: PacerSettings): PaceDecision {
  const o = { ...PACER_DEFAULTS, ...settings };
  const inFlight = stats.callsRinging + stats.callsWaiting + stats.agentsTalkingElapsedMs.length + stats.otherCallsUp;
  const channelsFree = Math.max(0, settings.maxConcurrentChannels - inFlight);

  if (settings.mode === 'preview') return { dialNow: 0, reason: 'preview_agent_triggers', effectiveMode: 'preview', detail: {} };
  if (settings.mode === 'agentless') return { dialNow: channelsFree, reason: channelsFree ? 'agentless_fill_channels' : 'channels_full', effectiveMode: 'agentless', detail: {} };

  const progressive = Math.min(channelsFree, Math.max(0, stats.agentsAvailable - stats.callsRinging - stats.callsWaiting));
  const prog = (reason: PaceReason, detail: PaceDecision['detail'] = {}): PaceDecision => ({
    dialNow: progressive,
    reason: channelsFree === 0 ? 'channels_full' : reason,
    effectiveMode: 'progressive',
    detail,
  });
  if (settings.mode === 'progressive') return prog('progressive');

  // Abandons as Ofcom counts them: observed ones plus the persons AMD wrongly sent to voicemail.
  const falseMachine = stats.liveAnswered24h * o.amdFalseMachineRate;
  const abandoned = stats.abandoned24h + falseMachine;
  const live = stats.liveAnswered24h + falseMachine;
  const rate24h = live > 0 ? abandoned / live : 0;
  const cap = settings.abandonRateCap;
  if (stats.liveAnswersObserved < o.minLiveAnswers) return prog('cold_start', { abandonRate24h: rate24h });
  // Room for a burst of abandoned calls (they come in clumps) without the 24 h rate passing the cap?
  if (abandoned + o.burstRoom > cap * live) return prog('abandon_budget_exhausted', { abandonRate24h: rate24h });
  if (rate24h >= o.fallbackAt * cap) return prog('abandon_near_cap', { abandonRate24h: rate24h });

  const headroom = 1 - rate24h / cap;
  const target = cap * o.safety * headroom;
  const p = wilsonUpper(stats.answerRate, stats.answerSamples, o.answerRateZ);
  const h = stats.meanDialToLiveMs;

  // Agents expected free when new calls answer: certain ones, plus a probability each.
  let expectedFree = stats.agentsAvailable;
  let varFree = 0;
  for (const e of stats.agentsWrapUpElapsedMs) {
    const q = pWrapDoneWithin(e, h, stats.meanWrapMs);
    expectedFree += q;
    varFree += q * (1 - q);
  }
  const qTalk = pTalkDoneWithin(h, stats.meanTalkMs, stats.meanWrapMs);
  expectedFree += qTalk * stats.agentsTalkingElapsedMs.length;
  varFree += qTalk * (1 - qTalk) * stats.agentsTalkingElapsedMs.length;
  // Persons already waiting take the first free agents.
  expectedFree -= stats.callsWaiting;

  // Expected abandons and answers of everything in flight if n more calls start now.
  const predict = (n: number): { abandons: number; answers: number } => {
    const calls = stats.callsRinging + n;
    const answers = calls * p;
    const sd = Math.sqrt(calls * p * (1 - p) + varFree);
    return { abandons: answers > 0 ? expectedPositivePart(answers - expectedFree, sd) : 0, answers };
  };
  const share = (n: number): number => {
    const x = predict(n);
    return x.answers > 0 ? x.abandons / x.answers : 0;
  };
  // Largest n whose predicted share of live answers finding no agent stays within target,
  // and whose expected abandons still fit under the fallback line of the 24 h budget
  // (this is what keeps the running rate under the cap early in the day).
  const fits = (n: number): boolean => {
    const x = predict(n);
    return x.abandons <= target * x.answers && abandoned + x.abandons <= o.fallbackAt * cap * (live + x.answers);
  };
  let n = 0;
  const limit = Math.min(channelsFree, MAX_DIAL_PER_DECISION);
  while (n < limit && fits(n + 1)) n++;

  const detail = {
    plannedAnswerRate: p,
    expectedFreeAgents: expectedFree,
    targetAbandonShare: target,
    predictedAbandonShare: share(n),
    abandonRate24h: rate24h,
  };
  if (n <= progressive) return prog('progressive', detail);
  return { dialNow: n, reason: 'predictive', effectiveMode: 'predictive', detail };
}
