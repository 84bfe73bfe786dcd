/**
 * The live half of pacing: turns what happens to calls and agents into PacerStats and
 * asks the pure pace() (pacing/pacer.ts) how many calls an agent campaign may start.
 *
 * What feeds it (engine.ts wires these):
 * - answered(): an outbound call reached Stasis (the dialer's startFlow) — a live person
 *   (AMD HUMAN / NOTSURE / not checked) counts as a live answer at once, with its
 *   dial→answer time, so the answer rate follows the campaign within seconds;
 * - agentLeg(): the desk's transfers tell when an agent's phone rings for a call, when
 *   agent and debtor are bridged ('connected' moves the call from waiting to talking) and
 *   when that leg ends;
 * - the desk's agent registry: every state change; talk and wrap-up times are measured
 *   from talking → wrap_up → available, and each tick reads who is available, talking
 *   or in wrap-up (with how long they have been);
 * - recorded(): the dialer recorded an attempt; not-live outcomes count against the
 *   answer rate, and disposition 'abandoned' (no agent within 2 s, hang-up during AMD)
 *   goes into the 24 h abandon count that keeps the campaign under its cap.
 *
 * One tracker per campaign; agents are shared, filtered by the campaign's skill.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Agent, AgentLegEvent } from '../../agents/types.ts';
import { pace, type PaceDecision, type PacerSettings, type PacerStats } from '../pacing/pacer.ts';
import { PacingTracker, type TrackerOptions } from '../pacing/tracker.ts';
import type { OutboundCallContext, PaceInput, Pacer } from './deps.ts';
import type { Recorded } from './record.ts';

/** Who the agents are and what they do (the desk's AgentRegistry). */
export interface AgentSource {
  list(): Agent[];
  on(event: 'changed', fn: (a: Agent) => void): unknown;
  off(event: 'changed', fn: (a: Agent) => void): unknown;
}

export interface PacerAdapterOptions {
  clock: Clock;
  agents: AgentSource;
  /**
   * Agents' open lines (the desk's AgentLines). Once an agent of a campaign's skill has one,
   * only agents with an open line count as ready: a debtor reaches them without ringing, well
   * inside the 2 s rule. A floor without lines is paced on rung agents as before.
   */
  lines?: { isOpen(agentId: number): boolean };
  /** The campaign and dial time of a call (calls row), for attempts that never reached Stasis. */
  callInfo(callId: string): { campaignId: number | null; dialledAtMs: number; answeredAtMs: number | null } | undefined;
  /** Pacer tuning beyond the campaign's settings (amdFalseMachineRate, safety…). */
  tuning?: Omit<PacerSettings, 'mode' | 'abandonRateCap' | 'maxConcurrentChannels'>;
  tracker?: TrackerOptions;
}

/** Ofcom: a person not talking to an agent 2 s after answer was abandoned. */
const LATE_AFTER_MS = 2000;

type Phase = 'waiting' | 'talking' | 'other';
interface LiveCall {
  campaignId: number;
  phase: Phase;
  answeredAtMs: number;
  live: boolean;
}

/** Agent states on their way to a debtor of this campaign (who is counted as waiting). */
const COMING = new Set(['reserved', 'ringing']);

export class PacerAdapter {
  private readonly trackers = new Map<number, PacingTracker>();
  private readonly calls = new Map<string, LiveCall>();
  /** Attempts already counted as finished (live answers are counted when they reach Stasis). */
  private readonly counted = new Set<string>();
  private readonly since = new Map<number, { state: string; at: number; campaignId: number | null }>();
  private readonly agentCampaign = new Map<number, number>();
  /** Agents whose phone is ringing or talking for a call of a campaign: agent → campaign. */
  private readonly legs = new Map<number, number>();
  private readonly decisions = new Map<number, PaceDecision>();
  /** Each campaign's settings.answeredBy, as last seen by the pacer. */
  private readonly answeredBy = new Map<number, string | undefined>();
  private readonly onAgent = (a: Agent) => this.agentChanged(a);

  constructor(private readonly o: PacerAdapterOptions) {
    const now = o.clock.now();
    for (const a of o.agents.list()) this.since.set(a.id, { state: a.state, at: Date.parse(a.stateSince) || now, campaignId: null });
    o.agents.on('changed', this.onAgent);
  }

  /**
   * Live answers and abandons recorded before this process started (last 24 h, oldest
   * first): the 24 h abandon count must not start from zero after a restart.
   */
  seed(attempts: readonly { campaignId: number; at: string; abandoned: boolean }[]): void {
    for (const a of attempts) this.tracker(a.campaignId).earlierLiveAnswer(Date.parse(a.at), a.abandoned);
  }

  /** The Dialer's `pacer` option. */
  readonly pacer: Pacer = (input) => {
    this.answeredBy.set(input.campaignId, input.settings.answeredBy);
    const decision = this.decide(input);
    this.decisions.set(input.campaignId, decision);
    return decision.dialNow;
  };

  /** The latest decision for a campaign (live view, logs, tests). */
  lastDecision(campaignId: number): PaceDecision | undefined {
    return this.decisions.get(campaignId);
  }

  /** Measured figures of a campaign now (for the live view and tests). */
  measured(campaignId: number): ReturnType<PacingTracker['measured']> {
    return this.tracker(campaignId).measured(this.o.clock.now());
  }

  /** An outbound call reached Stasis (before its flow starts). */
  answered(ctx: Pick<OutboundCallContext, 'callId' | 'campaignId' | 'amd'>): void {
    const now = this.o.clock.now();
    const info = this.o.callInfo(ctx.callId);
    const answeredAtMs = info?.answeredAtMs ?? now;
    const live = ctx.amd.status !== 'MACHINE';
    // With answeredBy 'ivr' the IVR takes the person first: they wait for no agent (a transfer's pop still moves them to talking).
    const waits = live && this.answeredBy.get(ctx.campaignId) !== 'ivr';
    this.calls.set(ctx.callId, { campaignId: ctx.campaignId, phase: waits ? 'waiting' : 'other', answeredAtMs, live });
    this.counted.add(ctx.callId);
    const t = this.tracker(ctx.campaignId);
    t.attemptFinished(now, live, live && info ? Math.max(0, answeredAtMs - info.dialledAtMs) : undefined);
  }

  /**
   * The desk's 'agentLeg' event: an agent's phone rings for a call, the agent is talking to
   * its debtor, or that leg ended. The agent's leg is a call row of the campaign too (counted
   * in liveCalls), so open legs are tracked to tell them apart from debtor calls still ringing.
   */
  agentLeg(e: Pick<AgentLegEvent, 'kind' | 'agentId' | 'callId' | 'at'>): void {
    // 'ended' may come after the debtor's call was recorded: the leg closes either way.
    if (e.kind === 'ended') this.legs.delete(e.agentId);
    const c = this.calls.get(e.callId);
    if (!c) return;
    if (e.kind !== 'ended') this.legs.set(e.agentId, c.campaignId);
    if (e.kind === 'connected') {
      // Joined after the 2 s mark (the desk was already bridging when the flow gave up): the
      // person talks to an agent, but Ofcom's count is "no agent within 2 s", so it is counted.
      if (c.phase === 'waiting' && e.at - c.answeredAtMs > LATE_AFTER_MS) this.tracker(c.campaignId).abandoned(e.at);
      c.phase = 'talking';
      this.agentCampaign.set(e.agentId, c.campaignId);
    } else if (e.kind === 'ended' && c.phase === 'talking') c.phase = 'other';
  }

  /** The dialer's onRecorded hook: the attempt is over and stored. */
  recorded(callId: string, r: Recorded): void {
    const now = this.o.clock.now();
    const c = this.calls.get(callId);
    this.calls.delete(callId);
    const campaignId = c?.campaignId ?? this.o.callInfo(callId)?.campaignId ?? null;
    if (campaignId === null) return;
    const t = this.tracker(campaignId);
    const d = r.verdict.disposition;
    if (!this.counted.delete(callId)) {
      // Never reached a flow: busy, no answer, failed — or a person who hung up while AMD listened.
      t.attemptFinished(now, d === 'abandoned' || d === 'answered');
    }
    if (d === 'abandoned') t.abandoned(now);
  }

  close(): void {
    this.o.agents.off('changed', this.onAgent);
  }

  private tracker(campaignId: number): PacingTracker {
    let t = this.trackers.get(campaignId);
    if (!t) {
      t = new PacingTracker(this.o.tracker);
      this.trackers.set(campaignId, t);
    }
    return t;
  }

  private agentChanged(a: Agent): void {
    const now = this.o.clock.now();
    const prev = this.since.get(a.id);
    if (prev && prev.state !== a.state) {
      const campaignId = this.agentCampaign.get(a.id);
      if (campaignId !== undefined) {
        const t = this.tracker(campaignId);
        if (prev.state === 'talking') t.talkEnded(now, now - prev.at);
        if (prev.state === 'wrap_up') t.wrapEnded(now, now - prev.at);
      }
    }
    if (!prev || prev.state !== a.state) this.since.set(a.id, { state: a.state, at: now, campaignId: null });
  }

  /** PacerStats of a campaign at `now` from the calls followed here and the agents' states. */
  stats(input: Pick<PaceInput, 'campaignId' | 'settings' | 'liveCalls'>, now: number): PacerStats {
    const skill = input.settings.agentSkill;
    let available = 0;
    const talking: number[] = [];
    const wrapUp: number[] = [];
    const agents = this.o.agents.list().filter((a) => !skill || a.skills.includes(skill));
    const lines = this.o.lines;
    const linesOnly = lines !== undefined && agents.some((a) => lines.isOpen(a.id));
    for (const a of agents) {
      // Agents without a line are not expected to take this campaign's calls: their calls count as other calls up.
      if (linesOnly && !lines.isOpen(a.id)) continue;
      const since = this.since.get(a.id)?.at ?? now;
      // An agent ringing for a waiting debtor of this campaign is theirs, not free for a new call;
      // counting them ready balances that debtor in callsWaiting. Reserved for anything else
      // (a preview dial, another campaign) they are busy.
      const ready = a.state === 'available' || (COMING.has(a.state) && this.legs.get(a.id) === input.campaignId);
      if (ready) available++;
      else if (a.state === 'talking') talking.push(now - since);
      else if (a.state === 'wrap_up') wrapUp.push(now - since);
    }
    let waiting = 0;
    let talkingCalls = 0;
    let other = 0;
    for (const c of this.calls.values()) {
      if (c.campaignId !== input.campaignId) continue;
      if (c.phase === 'waiting') waiting++;
      else if (c.phase === 'talking') talkingCalls++;
      else other++;
    }
    let legs = 0;
    for (const campaignId of this.legs.values()) if (campaignId === input.campaignId) legs++;
    const m = this.tracker(input.campaignId).measured(now);
    return {
      agentsAvailable: available,
      agentsTalkingElapsedMs: talking,
      agentsWrapUpElapsedMs: wrapUp,
      // Everything live that is not waiting, talking or otherwise up is still ringing (or in AMD).
      callsRinging: Math.max(0, input.liveCalls - legs - waiting - talkingCalls - other),
      callsWaiting: waiting,
      // Talking calls beyond the talking agents counted above (another campaign's agents, a skill mismatch).
      otherCallsUp: other + Math.max(0, talkingCalls - talking.length),
      ...m,
    };
  }

  private decide(input: PaceInput): PaceDecision {
    const s = input.settings;
    const stats = this.stats(input, input.now);
    return pace(stats, input.now, {
      ...this.o.tuning,
      // Without AMD nobody is wrongly sent to voicemail: the false-machine share is zero.
      ...(s.amd ? {} : { amdFalseMachineRate: 0 }),
      mode: input.mode,
      abandonRateCap: s.abandonRateCap,
      maxConcurrentChannels: s.maxConcurrentChannels,
    });
  }
}

/** A calls row → what the adapter needs to know about a call it did not see start. */
export function callInfo(row: { campaignId: number | null; createdAt: string; answeredAt: string | null } | undefined): ReturnType<PacerAdapterOptions['callInfo']> {
  if (!row) return undefined;
  return { campaignId: row.campaignId, dialledAtMs: Date.parse(row.createdAt), answeredAtMs: row.answeredAt ? Date.parse(row.answeredAt) : null };
}
