/**
 * Discrete-event simulation of a dialling day driving the REAL pacer (src/dialer/pacing/pacer.ts)
 * and tracker in virtual time: an 8-hour day runs in well under a second. The pacer
 * only sees what Bereik would see (AMD verdicts, observed abandons); the report counts
 * the truth, including persons AMD wrongly sent to voicemail (abandoned, strictly).
 * It lives beside the benchmarks, not in src/: only the benchmarks (bench-pacing) and the
 * pacing tests use it; the service never does, so it is not built into dist/.
 */
import { pace, type PacerSettings } from '../../../src/dialer/pacing/pacer.ts';
import { PacingTracker } from '../../../src/dialer/pacing/tracker.ts';
import { TokenBucket } from '../../../src/dialer/token-bucket.ts';
import { EventQueue } from './event-queue.ts';
import { maxRunningRate, maxWindowRate } from './metrics.ts';
import { DEFAULT_SCENARIO, type DesReport, type DesScenario } from './model.ts';
import { seededRng } from './rng.ts';

type AgentState = 'available' | 'ringing' | 'talking' | 'wrap' | 'off';
interface Agent {
  state: AgentState;
  since: number;
}
type CallKind = 'person' | 'machine' | 'busy' | 'no_answer';
interface Call {
  id: number;
  kind: CallKind;
  dialAt: number;
  /** When the phone was answered (persons and machines). */
  answeredAt?: number;
  /** When the call was handed to the agents (after AMD): the 2 s rule counts from here. */
  readyAt?: number;
  phase: 'ringing' | 'waiting' | 'connecting' | 'talking' | 'message' | 'ended';
}
type Ev =
  | { type: 'tick' }
  | { type: 'ready'; call: Call }
  | { type: 'ended'; call: Call }
  | { type: 'deadline'; call: Call }
  | { type: 'agent_answered'; agent: Agent; call: Call }
  | { type: 'ring_late'; agent: Agent; call: Call }
  | { type: 'talk_end'; agent: Agent; call: Call; talkMs: number }
  | { type: 'wrap_end'; agent: Agent; wrapMs: number }
  | { type: 'agents'; agents: number }
  | { type: 'live_rate'; liveRate: number };

const MACHINE_TALK_MS = 6_000; // an agent who gets a machine (AMD off) hangs up quickly
const BUSY_MS = 3_000;

export function simulateDay(overrides: Partial<DesScenario> = {}): DesReport {
  const sc: DesScenario = { ...DEFAULT_SCENARIO, ...overrides };
  const rng = seededRng(sc.seed);
  const q = new EventQueue<Ev>();
  const tracker = new PacingTracker();
  let now = 0;
  const bucket = new TokenBucket({ now: () => now }, sc.maxCallsPerSecond);
  const pacerSettings: PacerSettings = {
    mode: sc.mode,
    abandonRateCap: sc.abandonRateCap,
    maxConcurrentChannels: sc.maxConcurrentChannels,
    amdFalseMachineRate: sc.amd ? sc.amdFalseMachineRate : 0,
    ...sc.pacer,
  };

  const agents: Agent[] = [];
  const time: Record<AgentState, number> = { available: 0, ringing: 0, talking: 0, wrap: 0, off: 0 };
  const setState = (a: Agent, s: AgentState) => {
    time[a.state] += Math.max(0, Math.min(now, sc.durationMs) - Math.min(a.since, sc.durationMs));
    a.state = s;
    a.since = now;
  };
  let targetAgents = sc.agents;
  const loggedIn = () => agents.filter((a) => a.state !== 'off').length;
  const addAgents = (n: number) => {
    for (let i = 0; i < n; i++) {
      const off = agents.find((a) => a.state === 'off');
      if (off) setState(off, 'available');
      else agents.push({ state: 'available', since: now });
    }
  };
  addAgents(sc.agents);

  let liveRate = sc.liveRate;
  const calls = new Set<Call>();
  const waiting: Call[] = [];
  const liveAt: number[] = [];
  const abandonAt: number[] = [];
  const r = { dials: 0, livePersons: 0, machines: 0, busy: 0, noAnswer: 0, connected: 0, abandonedNoAgent: 0, abandonedFalseMachine: 0 };
  const decisions: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  let aheadChecks = 0;
  let maxAhead = 0;
  let worstWaitMs = 0;
  let agentOverlaps = 0;
  let seq = 0;
  /** How long a live person heard nothing (no agent, no message) after answering. */
  const waited = (call: Call) => {
    if (call.kind === 'person' && call.answeredAt !== undefined) worstWaitMs = Math.max(worstWaitMs, now - call.answeredAt);
  };
  for (const e of sc.earlierLiveAnswers) tracker.earlierLiveAnswer(e.atMs, e.abandoned);

  const end = (call: Call) => {
    call.phase = 'ended';
    calls.delete(call);
  };
  const playThenEnd = (call: Call, ms: number) => {
    call.phase = 'message';
    q.push(now + ms, { type: 'ended', call });
  };
  /** An agent for the call: bridged at once on an open line, or rung first (sc.agentRing). */
  const connect = (call: Call, agent: Agent) => {
    if (!sc.agentRing) return bridge(call, agent);
    const answerMs = rng.lognormal(sc.agentRing.meanMs, sc.agentRing.sigma);
    setState(agent, 'ringing');
    call.phase = 'connecting';
    const deadline = (call.readyAt ?? now) + sc.abandonAfterMs;
    if (call.kind === 'person' && now + answerMs > deadline) q.push(Math.max(now, deadline), { type: 'ring_late', agent, call });
    else q.push(now + answerMs, { type: 'agent_answered', agent, call });
  };
  const bridge = (call: Call, agent: Agent) => {
    if (agent.state === 'talking') agentOverlaps++;
    waited(call);
    call.phase = 'talking';
    setState(agent, 'talking');
    const talkMs = call.kind === 'person' ? rng.lognormal(sc.talkMeanMs, sc.talkSigma) : MACHINE_TALK_MS;
    if (call.kind === 'person') r.connected++;
    q.push(now + talkMs, { type: 'talk_end', agent, call, talkMs });
  };
  const abandon = (call: Call, counted: boolean) => {
    tracker.abandoned(now);
    if (counted) {
      r.abandonedNoAgent++;
      abandonAt.push(now);
    }
    waited(call);
    playThenEnd(call, sc.infoMessageMs);
  };

  const dial = () => {
    const p = Math.max(0, Math.min(1, liveRate));
    const u = rng.next();
    const kind: CallKind = u < p ? 'person' : u < p + sc.machineRate ? 'machine' : u < p + sc.machineRate + sc.busyRate ? 'busy' : 'no_answer';
    const call: Call = { id: seq++, kind, dialAt: now, phase: 'ringing' };
    calls.add(call);
    r.dials++;
    if (kind === 'busy') return q.push(now + BUSY_MS, { type: 'ended', call });
    if (kind === 'no_answer') return q.push(now + sc.ringTimeoutMs, { type: 'ended', call });
    const ring = rng.lognormal(sc.ringMeanMs, 0.4);
    if (ring >= sc.ringTimeoutMs) {
      call.kind = 'no_answer';
      return q.push(now + sc.ringTimeoutMs, { type: 'ended', call });
    }
    const verdictMs = !sc.amd ? 0 : kind === 'person' ? sc.amdHumanMs : sc.amdMachineMs;
    call.answeredAt = now + ring;
    q.push(now + ring + verdictMs, { type: 'ready', call });
  };

  const runPacer = () => {
    if (now >= sc.durationMs) return;
    const talking = agents.filter((a) => a.state === 'talking').map((a) => now - a.since);
    const wrap = agents.filter((a) => a.state === 'wrap').map((a) => now - a.since);
    let ringing = 0;
    let other = 0;
    for (const c of calls) {
      if (c.phase === 'ringing') ringing++;
      else if (c.phase === 'message') other++;
    }
    const d = pace(
      {
        agentsAvailable: agents.filter((a) => a.state === 'available').length,
        agentsTalkingElapsedMs: talking,
        agentsWrapUpElapsedMs: wrap,
        callsRinging: ringing,
        callsWaiting: waiting.length + [...calls].filter((c) => c.phase === 'connecting').length,
        otherCallsUp: other,
        ...tracker.measured(now),
      },
      now,
      pacerSettings,
    );
    decisions[d.effectiveMode] = (decisions[d.effectiveMode] ?? 0) + 1;
    reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    let dialled = 0;
    for (; dialled < d.dialNow && bucket.take(); dialled++) dial();
    if (d.effectiveMode === 'predictive') {
      // Dialling ahead: more debtors' phones ringing than agents free to take them.
      const free = agents.filter((a) => a.state === 'available').length;
      const ahead = ringing + dialled - free;
      if (ahead > 0) {
        aheadChecks++;
        maxAhead = Math.max(maxAhead, ahead);
      }
    }
  };

  const agentFree = (agent: Agent) => {
    if (loggedIn() > targetAgents) return setState(agent, 'off');
    const next = waiting.shift();
    if (next) return connect(next, agent);
    setState(agent, 'available');
  };

  const handle = (ev: Ev) => {
    switch (ev.type) {
      case 'tick':
        runPacer();
        if (now + sc.tickMs < sc.durationMs) q.push(now + sc.tickMs, ev);
        return;
      case 'agents': {
        targetAgents = ev.agents;
        const diff = ev.agents - loggedIn();
        if (diff > 0) addAgents(diff);
        // Idle agents leave at once; busy ones when their wrap-up ends (agentFree).
        for (const a of agents) if (loggedIn() > targetAgents && a.state === 'available') setState(a, 'off');
        return runPacer();
      }
      case 'live_rate':
        liveRate = ev.liveRate;
        return;
      case 'ready': {
        const call = ev.call;
        call.readyAt = now;
        const dialToReady = now - call.dialAt;
        if (call.kind === 'machine') {
          r.machines++;
          if (sc.amd) {
            tracker.attemptFinished(now, false);
            return playThenEnd(call, sc.machineMessageMs);
          }
          tracker.attemptFinished(now, true, dialToReady); // without AMD a machine looks like a person
        } else {
          r.livePersons++;
          liveAt.push(now);
          if (sc.amd && rng.next() < sc.amdFalseMachineRate) {
            // Strict: a person who gets the voicemail message was connected to nothing.
            tracker.attemptFinished(now, false);
            r.abandonedFalseMachine++;
            abandonAt.push(now);
            return playThenEnd(call, sc.machineMessageMs);
          }
          tracker.attemptFinished(now, true, dialToReady);
        }
        const agent = agents.find((a) => a.state === 'available');
        if (agent) return connect(call, agent);
        call.phase = 'waiting';
        waiting.push(call);
        return q.push(now + sc.abandonAfterMs, { type: 'deadline', call });
      }
      case 'agent_answered':
        return bridge(ev.call, ev.agent);
      case 'ring_late':
        // The debtor hears the abandoned-call message; the agent's ring is cancelled.
        abandon(ev.call, true);
        agentFree(ev.agent);
        return runPacer();
      case 'deadline': {
        if (ev.call.phase !== 'waiting') return;
        waiting.splice(waiting.indexOf(ev.call), 1);
        return abandon(ev.call, ev.call.kind === 'person');
      }
      case 'ended':
        if (ev.call.phase === 'ringing') {
          if (ev.call.kind === 'busy') r.busy++;
          else r.noAnswer++;
          tracker.attemptFinished(now, false);
        }
        return end(ev.call);
      case 'talk_end':
        end(ev.call);
        tracker.talkEnded(now, ev.talkMs);
        setState(ev.agent, 'wrap');
        {
          const wrapMs = ev.call.kind === 'person' ? rng.lognormal(sc.wrapMeanMs, sc.wrapSigma) : 0;
          q.push(now + wrapMs, { type: 'wrap_end', agent: ev.agent, wrapMs });
        }
        return;
      case 'wrap_end':
        if (ev.wrapMs > 0) tracker.wrapEnded(now, ev.wrapMs);
        agentFree(ev.agent);
        return runPacer();
    }
  };

  q.push(0, { type: 'tick' });
  for (const c of sc.agentChanges) q.push(c.atMs, { type: 'agents', agents: c.agents });
  for (const c of sc.liveRateChanges) q.push(c.atMs, { type: 'live_rate', liveRate: c.liveRate });
  for (let ev = q.pop(); ev; ev = q.pop()) {
    now = ev.at;
    handle(ev.value);
  }
  now = Math.max(now, sc.durationMs);
  for (const a of agents) setState(a, a.state);

  const loggedMs = time.available + time.ringing + time.talking + time.wrap;
  const agentHours = loggedMs / 3600_000;
  const abandoned = r.abandonedNoAgent + r.abandonedFalseMachine;
  return {
    scenario: { mode: sc.mode, agents: sc.agents, liveRate: sc.liveRate, hours: sc.durationMs / 3600_000, seed: sc.seed },
    ...r,
    abandonRate: r.livePersons ? abandoned / r.livePersons : 0,
    maxWindowAbandonRate: maxWindowRate(liveAt, abandonAt, sc.windowMs, sc.durationMs),
    maxRunningAbandonRate: maxRunningRate(liveAt, abandonAt),
    talkShare: loggedMs ? time.talking / loggedMs : 0,
    occupancy: loggedMs ? (time.talking + time.wrap) / loggedMs : 0,
    talkMinutesPerAgentHour: agentHours ? time.talking / 60_000 / agentHours : 0,
    connectsPerAgentHour: agentHours ? r.connected / agentHours : 0,
    dialsPerAgentHour: agentHours ? r.dials / agentHours : 0,
    agentHours,
    callsLeft: calls.size,
    decisions,
    reasons,
    aheadChecks,
    maxAhead,
    worstWaitMs,
    agentOverlaps,
  };
}
