/**
 * What the dialer runtime needs from its neighbours that they do not (yet) export: the
 * pacer for agent campaigns and the flow that takes an answered call. The integrator
 * passes the real implementations; tests pass plain functions.
 */
import type { CampaignMode, CampaignSettings } from '../../campaigns/settings.ts';
import type { CallCampaignMode } from '../../store/types.ts';
import type { AmdVerdict, Call } from '../../telephony/types.ts';
import type { CallSummary } from '../../calls/deps.ts';
import type { WindowRule } from '../policy/windows.ts';

/**
 * Which calling-window rule a campaign follows. Chosen by the composition (src/engine.ts):
 * the law's for every campaign, except a demo campaign on the built-in simulated Asterisk.
 * Absent: the law's.
 */
export type WindowsFor = (settings: CampaignSettings) => WindowRule;

/** What the pacer of an agent campaign sees. */
export interface PaceInput {
  campaignId: number;
  mode: CallCampaignMode;
  settings: CampaignSettings;
  now: number;
  /** Calls of this campaign dialling, ringing or up. */
  liveCalls: number;
  /** Agents by state (available, ringing, talking, wrap_up…). */
  agents: Record<string, number>;
}

/** How many calls an agent campaign may start now (agentless campaigns are capacity-limited and skip it). */
export type Pacer = (input: PaceInput) => number;

/** What the dialer hands the flow when an outbound call reaches Stasis. */
export interface OutboundCallContext {
  callId: string;
  campaignId: number;
  contactId: number;
  debtorId: number;
  claimId: number;
  phoneId: number;
  /** AMD's verdict from the Stasis entry (NOTCHECKED without AMD). */
  amd: AmdVerdict;
}

/**
 * Runs the IVR on an answered outbound call. It may return the summary (the dialer then
 * records it), or call Dialer.onCallFinished itself and return nothing.
 */
export type OutboundFlowStarter = (call: Call, ctx: OutboundCallContext) => void | Promise<CallSummary | void>;
