/**
 * What a warm transfer needs from the rest of Bereik. The desk builds it once; the
 * session (transfer.ts) and its steps (ring-agent.ts, conversation.ts) share it from
 * here, so none of them imports another for a type.
 */
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Telephony } from '../telephony/types.ts';
import type { TtsEngine } from '../tts/types.ts';
import type { Language } from '../campaigns/settings.ts';
import type { AgentRegistry } from './registry.ts';
import type { CallDisposition } from '../store/types.ts';
import type { ScreenPop } from './case.ts';
import type { Agent, AgentLegEvent, TransferRequest } from './types.ts';
import type { AgentLines } from './line.ts';
import type { LiveCalls } from './live-calls.ts';
import type { ConversationRecorder } from './recorder.ts';

/** How an agent leg ended, for its calls row. */
export interface LegEnd {
  /** Set when the leg never became a conversation; an answered leg keeps 'answered'. */
  disposition?: Extract<CallDisposition, 'no_answer' | 'failed' | 'abandoned'>;
  cause?: number;
  causeText?: string;
}

/** The calls rows of agent legs (direction 'agent'): every store write a transfer makes. */
export interface AgentLegStore {
  /** A new leg, dialling; filed under the debtor's call when that call has a row. */
  open(leg: { agentCallId: string; req: TransferRequest; agent: Agent; at: string }): void;
  ringing(agentCallId: string, channelId: string): void;
  answered(agentCallId: string, at: string): void;
  ended(agentCallId: string, at: string, end: LegEnd): void;
}

export interface TransferDeps {
  clock: Clock;
  log: Logger;
  telephony: Telephony;
  tts: TtsEngine;
  registry: AgentRegistry;
  legs: AgentLegStore;
  /** Agents' open lines: a debtor goes to an agent with one without ringing (line-connect.ts). */
  lines?: AgentLines;
  /** Where an agent without an open line is rung: their desktop softphone when it has an account, else their endpoint. */
  phoneOf?: (agentId: number) => string | undefined;
  /** The conversations going on now (supervisors list them). */
  live?: LiveCalls;
  /** Records conversations of campaigns that say so (recorder.ts). */
  recorder?: ConversationRecorder;
  ringTimeoutSec: number;
  /** How long a debtor may wait for an agent to become free, in seconds. */
  maxWaitSec: number;
  whisperLang: Language;
  mohClass?: string;
  /** Aborted when the service stops: waiting debtors and live conversations are ended. */
  shutdown: AbortSignal;
  /** The case for the agent's screen, looked up when their phone starts ringing. */
  screenPop(req: TransferRequest, agentCallId: string, startedAt: string): ScreenPop;
  /** The agent's desktop: show or update the screen pop. */
  pop(agentId: number, pop: ScreenPop): void;
  /** An agent's leg rang, was bridged with the debtor, or ended (the pacer follows these). */
  agentLeg(e: AgentLegEvent): void;
}
