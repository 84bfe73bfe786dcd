/**
 * The agents module as the rest of Bereik sees it: agent states, and the AgentDesk the
 * call flows hand a debtor to for a warm transfer (DESIGN.md, warm transfer).
 *
 * TransferRequest/TransferOutcome match src/calls/deps.ts field for field, so the flows
 * can pass their request as is; the desk looks the case (name, claims, risk) up itself.
 */
import type { Call } from '../telephony/types.ts';
import type { Language } from '../campaigns/settings.ts';

export { AGENT_STATES, type Agent, type AgentState } from '../store/types.ts';

export type TransferReason = 'menu' | 'segment' | 'callback' | 'unknown_caller';

/** Whether a conversation is recorded, and whether the debtor hears the notice first. */
export interface RecordingPolicy {
  record: boolean;
  announce: boolean;
}

export interface TransferRequest {
  /** The debtor's live channel: answered, in Stasis; the flow has already played transfer_wait. */
  call: Call;
  /** Bereik call id (calls table) of the debtor's call. */
  callId: string;
  campaignId: number | null;
  debtorId: number | null;
  /** The claim the conversation is about (the debtor's other open claims are shown too). */
  claimId: number | null;
  /** Needed skill ('' = any). */
  skill: string;
  lang: Language;
  /** Keys the debtor pressed so far (whisper and screen pop). */
  dtmfPath: string;
  /** Why the debtor is being put through. */
  reason: TransferReason;
  /**
   * Agent campaigns (Ofcom: a person must be talking to an agent within 2 s of answer):
   * bridge first, then the agent hears the whisper on their own channel over the first
   * seconds of the conversation. Default: the whisper plays before the bridge.
   */
  whisperAfterJoin?: boolean;
  /** The campaign's agentWhisper: 'tone' plays a short beep to the agent as the debtor joins instead of the spoken whisper. */
  whisper?: 'speech' | 'tone';
  /** The campaign's recordAgentCalls / announceRecording (recorder.ts); absent: not recorded. */
  recording?: RecordingPolicy;
  /** Only this agent, already reserved for the contact (preview mode); no other agent is tried. */
  agentId?: number;
}

/**
 * connected: debtor and agent are in one mixing bridge; from then on the desk owns both
 * channels until either side hangs up (the flow waits on call.whenEnded()).
 * no_agent: nobody free or answering in time; the debtor was taken out of the holding
 * bridge, still live, so the flow can play no_agent_available and record a callback.
 * debtor_hung_up: the debtor left while waiting (or the flow cancelled the attempt, or the
 * service is stopping); any agent leg was cancelled and the holding bridge is gone.
 */
export type TransferOutcome = { kind: 'connected'; agentId: number } | { kind: 'no_agent' } | { kind: 'debtor_hung_up' };

/**
 * What a warm transfer tells the rest of Bereik about an agent's leg for a debtor's call
 * (the pacer follows these): the agent's phone rings; debtor and agent are bridged; the
 * leg is over (rang out, dropped before the bridge, or the conversation ended).
 */
export interface AgentLegEvent {
  kind: 'ringing' | 'connected' | 'ended';
  agentId: number;
  /** The debtor's call (Bereik call id). */
  callId: string;
  /** The agent's leg (calls row with direction 'agent'). */
  agentCallId: string;
  /** When it happened, in the injected clock's milliseconds. */
  at: number;
}

export interface AgentDesk {
  /** Whether an agent with this skill ('' = any) is available right now. */
  hasAgents(skill: string): boolean;
  /** Puts the debtor through; an aborted signal (debtor's session ended) cancels the attempt. */
  transfer(req: TransferRequest, signal?: AbortSignal): Promise<TransferOutcome>;
  /** Resolves when the conversation of a connected transfer has ended and both legs are down. */
  whenFinished(callId: string): Promise<void>;
}
