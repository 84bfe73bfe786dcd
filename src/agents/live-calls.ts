/**
 * The conversations going on now between a debtor and an agent, whichever way the agent was
 * reached (an open line: line-connect.ts, or rung: conversation.ts): what a supervisor lists
 * and listens in on (supervise.ts), and what a recording records (recorder.ts). An entry
 * lives from the moment both are in one mixing bridge until the debtor or the agent leaves.
 */
import { EventEmitter } from 'node:events';
import type { Bridge, Call } from '../telephony/types.ts';

export interface LiveConversation {
  /** The debtor's call (Bereik call id). */
  callId: string;
  /** The agent leg's calls row. */
  agentCallId: string;
  agentId: number;
  campaignId: number | null;
  debtorId: number | null;
  /** UTC ISO time both were bridged. */
  since: string;
  debtor: Call;
  /** The agent's channel: their line, or the leg rung for this debtor. */
  agentLeg: Call;
  /** The mixing bridge both are in (the agent's line bridge, or the talk bridge). */
  bridge: Bridge;
}

export interface LiveCallEvents {
  started: [c: LiveConversation];
  ended: [c: LiveConversation];
}

export class LiveCalls extends EventEmitter<LiveCallEvents> {
  private readonly byCall = new Map<string, LiveConversation>();

  started(c: LiveConversation): void {
    this.byCall.set(c.callId, c);
    this.emit('started', c);
  }

  ended(callId: string): void {
    const c = this.byCall.get(callId);
    if (!c) return;
    this.byCall.delete(callId);
    this.emit('ended', c);
  }

  get(callId: string): LiveConversation | undefined {
    return this.byCall.get(callId);
  }

  list(): LiveConversation[] {
    return [...this.byCall.values()];
  }
}
