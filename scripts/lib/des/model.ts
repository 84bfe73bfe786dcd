/**
 * What a simulated working day looks like (the scenario) and what came out (the report).
 * Defaults describe a Dutch collection campaign: 8 h, 3 min mean talk, 30 s wrap-up,
 * AMD on, 25 s ring timeout, the Ofcom 2-second rule and information message.
 */
import type { PacerSettings, PacingMode } from '../../../src/dialer/pacing/pacer.ts';

export interface DesScenario {
  seed: number;
  mode: PacingMode;
  agents: number;
  durationMs: number;
  /** Share of dialled calls a live person answers. */
  liveRate: number;
  /** Share of dialled calls an answering machine answers. */
  machineRate: number;
  /** Share of dialled calls that are busy (the rest ring out unanswered). */
  busyRate: number;
  /** Mean ring time before answer (lognormal, sigma 0.5), cut at ringTimeoutMs. */
  ringMeanMs: number;
  ringTimeoutMs: number;
  /** Whether AMD runs; then persons wait amdHumanMs and machines amdMachineMs for the verdict. */
  amd: boolean;
  amdHumanMs: number;
  amdMachineMs: number;
  /** Share of live persons AMD wrongly calls a machine: they get the voicemail message (an abandoned call). */
  amdFalseMachineRate: number;
  /** Talk time: lognormal mean and sigma. */
  talkMeanMs: number;
  talkSigma: number;
  /** Wrap-up: lognormal mean and sigma. */
  wrapMeanMs: number;
  wrapSigma: number;
  /** A person with no agent after this long is abandoned (Ofcom: 2 s). */
  abandonAfterMs: number;
  /**
   * Agents rung per debtor (issue 16's fallback): how long a rung agent takes to answer
   * (log-normal). The agent is reserved while ringing and the debtor waits; a debtor not
   * bridged within abandonAfterMs of being ready is abandoned. Unset: agents sit on open
   * lines and a debtor is bridged at once (a move takes ~15 ms: bench-agent-line).
   */
  agentRing?: { meanMs: number; sigma: number };
  /** Length of the abandoned-call information message. */
  infoMessageMs: number;
  /** Length of the voicemail message left on machines. */
  machineMessageMs: number;
  maxCallsPerSecond: number;
  maxConcurrentChannels: number;
  abandonRateCap: number;
  /** How often the pacer is asked (besides whenever an agent becomes free). */
  tickMs: number;
  /** Sliding window for the worst-window abandon rate. */
  windowMs: number;
  /** Logged-in agent count changes during the day. */
  agentChanges: Array<{ atMs: number; agents: number }>;
  /** Live answer rate changes during the day (the rest of the shares stay). */
  liveRateChanges: Array<{ atMs: number; liveRate: number }>;
  /** Overrides for the pacer's tuning knobs. */
  pacer: Partial<PacerSettings>;
  /** Live answers before the simulated day starts (atMs < 0), as Bereik reads them back from the store on start. */
  earlierLiveAnswers: Array<{ atMs: number; abandoned: boolean }>;
}

export const DEFAULT_SCENARIO: DesScenario = {
  seed: 1,
  mode: 'predictive',
  agents: 20,
  durationMs: 8 * 3600_000,
  liveRate: 0.35,
  machineRate: 0.15,
  busyRate: 0.05,
  ringMeanMs: 12_000,
  ringTimeoutMs: 25_000,
  amd: true,
  amdHumanMs: 2_500,
  amdMachineMs: 4_000,
  amdFalseMachineRate: 0,
  talkMeanMs: 180_000,
  talkSigma: 0.8,
  wrapMeanMs: 30_000,
  wrapSigma: 0.4,
  abandonAfterMs: 2_000,
  infoMessageMs: 8_000,
  machineMessageMs: 20_000,
  maxCallsPerSecond: 5,
  maxConcurrentChannels: 500,
  abandonRateCap: 0.03,
  tickMs: 1_000,
  windowMs: 3600_000,
  agentChanges: [],
  liveRateChanges: [],
  pacer: {},
  earlierLiveAnswers: [],
};

export interface DesReport {
  scenario: { mode: PacingMode; agents: number; liveRate: number; hours: number; seed: number };
  dials: number;
  livePersons: number;
  machines: number;
  busy: number;
  noAnswer: number;
  /** Persons who reached an agent. */
  connected: number;
  /** Persons who got no agent within the 2 s (and heard the information message). */
  abandonedNoAgent: number;
  /** Persons AMD called a machine (heard the voicemail message): counted as abandoned. */
  abandonedFalseMachine: number;
  /** All abandoned ÷ live persons over the day. */
  abandonRate: number;
  /** Worst abandon rate over any sliding window of windowMs (windows with ≥ 30 live persons). */
  maxWindowAbandonRate: number;
  /** Worst running (since start of day) rate once 100 live persons were reached. */
  maxRunningAbandonRate: number;
  /** Talk time ÷ logged-in time. */
  talkShare: number;
  /** (Talk + wrap-up) ÷ logged-in time: the usual contact-centre "occupancy". */
  occupancy: number;
  talkMinutesPerAgentHour: number;
  connectsPerAgentHour: number;
  dialsPerAgentHour: number;
  agentHours: number;
  /** Calls still up when the report was made (0: every call was accounted for). */
  callsLeft: number;
  /** Pacer decisions by effective mode. */
  decisions: Record<string, number>;
  /** Pacer decisions by reason (pacing/pacer.ts PaceReason). */
  reasons: Record<string, number>;
  /** Predictive pacer checks after which more calls were ringing than agents were free (dialling ahead). */
  aheadChecks: number;
  /** The most calls ringing beyond the free agents after one check. */
  maxAhead: number;
  /** The longest a live person heard nothing after answering: no agent yet and no message (Ofcom: 2 s, plus AMD's listening when on). */
  worstWaitMs: number;
  /** Times an agent already talking was given another person (must stay 0). */
  agentOverlaps: number;
}
