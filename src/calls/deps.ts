import type { MessageComposer } from '../messaging/compose.ts';
/**
 * What a call session needs from the rest of Bereik, as small interfaces, so the flows
 * are written against shapes and the integrator wires the real modules (tts, routing,
 * agents, store) in one place. Nothing here knows ARI or SQL.
 */
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { CampaignMode, CampaignSettings, Language, Risk } from '../campaigns/settings.ts';
import type { AmdStatus, Call } from '../telephony/types.ts';
import type { PromptKey, PromptVars, TtsEngine } from '../tts/types.ts';
import type { CallRepository } from '../store/repositories.ts';
import type { CallDirection, CallDisposition, CaseCampaignRow, CaseRow } from '../store/types.ts';
import type { MenuOption } from '../routing/segment.ts';
import type { AgentDesk as FullAgentDesk, TransferOutcome, TransferRequest } from '../agents/types.ts';
import type { Observer } from '../lib/metrics.ts';
import type { PromptPiece } from '../tts/prompts.ts';
import type { JoinRecordings, RecordingSet } from '../recordings/compose.ts';
import type { RecordingVersions } from '../recordings/library.ts';

export type { TransferOutcome, TransferRequest };

/** What a debtor can choose in the menu (routing decides which). Keys and handlers live in menu.ts. */
export type MenuAction = MenuOption;

/**
 * Everything a flow knows about the person on the line and what they owe: the case as
 * recognition stores it (src/store/types.ts), with the campaign's settings parsed. The
 * debtor's other open claims are told after the claim message, so they know the whole of it.
 */
export interface CallCase extends Omit<CaseRow, 'campaign'> {
  campaign: CampaignInfo | null;
}

export interface CampaignInfo extends Omit<CaseCampaignRow, 'settings'> {
  settings: CampaignSettings;
}

/** Prompt wording (src/tts/prompts.ts: renderPrompt, menuText): the text a key stands for, in a language. */
export interface PromptTexts {
  render(key: PromptKey, lang: Language, vars: PromptVars): string;
  /** The spoken menu for these options, in the order given ("Toets 1 voor …"). */
  menuText(options: readonly MenuAction[], lang: Language): string;
  /** The prompt split where the words change (recorded prompts: src/recordings/compose.ts). */
  pieces(key: PromptKey, lang: Language, vars: PromptVars): PromptPiece[];
}

/** Recorded prompts (src/recordings/library.ts): the versions a call keeps, and the sets at them. */
export interface RecordingSource {
  versions(): RecordingVersions;
  set(lang: Language, version: number): RecordingSet;
  /** Takes in a row as one file (one media item). */
  join: JoinRecordings;
}

export type Route = 'agent_now' | 'self_service' | 'menu_both';

export interface RouteInput {
  amountCents: number;
  risk: Risk;
  mode: CampaignMode | null;
  settings: CampaignSettings;
}

/** Segmentation and the callback rule (src/routing): pure functions of the case. */
export interface Routing {
  segment(input: RouteInput): { route: Route; menuOptions: MenuAction[] };
  /** A debtor calling back: replay the automated follow-up, or put them through. */
  routeCallback(input: RouteInput & { messageHeard: boolean }): { route: Route; menuOptions: MenuAction[] };
}

/** The agents module's desk (src/agents/types.ts); after 'connected' it owns the call until hang-up. */
export type AgentDesk = Pick<FullAgentDesk, 'hasAgents' | 'transfer'>;

/** The calls table: the part of the store's calls repository a session uses. */
export type CallStore = Pick<CallRepository, 'create' | 'update' | 'get'>;

/** Finding the case behind a call (src/store/recognition.ts). */
export interface CaseFinder {
  /** Outbound: the case of the contact the dialer called for this call id. */
  forCall(callId: string): CallCase | undefined;
  /** Open claims of debtors with this phone, most urgent first. */
  byPhone(e164: string): CallCase[];
  /** Open claims of the debtor with this number (debiteurnummer), most urgent first. */
  byDebtorRef(ref: string): CallCase[];
}

/** The part of the message composer a call uses. */
export type PayLinkSender = Pick<MessageComposer, 'payLink'>;

/** Lasting effects of what the debtor chose (the store's callEffects, stamped by src/calls/from-store.ts). */
export interface CallEffects {
  requestCallback(req: { callId: string; debtorId: number; claimId: number | null; reason: string }): void;
  recordDispute(req: { callId: string; claimId: number }): void;
  /** The confirmed debtor heard the claim message to the end (contacts.message_heard_at). */
  messageHeard(req: { callId: string; contactId: number | null; claimId: number; at: string }): void;
}

/** What happened on one call, for the dialer to reschedule or close the contact. */
export interface CallSummary {
  callId: string;
  direction: Exclude<CallDirection, 'agent'>;
  campaignId: number | null;
  contactId: number | null;
  debtorId: number | null;
  claimId: number | null;
  /** Absent when the call ended before the flow could tell (e.g. no contact behind it). */
  disposition?: Extract<CallDisposition, 'answered' | 'machine'>;
  result: CallResultCode;
  amdStatus: AmdStatus | null;
  identityConfirmed: boolean;
  messageHeard: boolean;
  dtmfPath: string;
  answeredAt: string | null;
  endedAt: string;
  hangupCause: number | null;
  hungUpBy: 'debtor' | 'app' | null;
}

/** How an attempt ended, from the flow's point of view (stored in calls.result). */
export type CallResultCode =
  | 'paylink_requested'
  | 'agent_requested'
  | 'transferred'
  | 'callback_requested'
  | 'dispute'
  | 'no_choice'
  | 'identity_not_confirmed'
  | 'voicemail_left'
  | 'machine_hangup'
  | 'debtor_not_found'
  | 'hangup_early'
  /** Agent campaigns: a person answered and no agent was talking to them within 2 s (Ofcom). */
  | 'abandoned'
  | 'failed';

export interface CallDeps {
  clock: Clock;
  log: Logger;
  tts: TtsEngine;
  prompts: PromptTexts;
  /** Recorded prompts; without them every prompt is synthesised. */
  recordings?: RecordingSource | undefined;
  calls: CallStore;
  cases: CaseFinder;
  effects: CallEffects;
  /** Queues the pay link by SMS or e-mail (src/messaging/compose.ts); says why when it cannot. */
  messages: PayLinkSender;
  routing: Routing;
  agents: AgentDesk;
  /** Config inbound.unknownCaller: put unrecognised callers through to any agent, or say so and close. */
  unknownCaller: 'queue' | 'message';
  /** Used for inbound calls that match no campaign. */
  defaults: { language: Language; settings: CampaignSettings; defaultCountry: string; callerName: string };
  /** Called once per call when its session has ended and the row is final. */
  onCallFinished(summary: CallSummary): void;
  /**
   * Runs the end of a call's writes (its final row, then onCallFinished's outcome) as one
   * store transaction: one commit instead of one per statement. Without it, as they come.
   */
  inTransaction?: (<T>(work: () => T) => T) | undefined;
  /** Times the debtor's latest key → the next prompt's start, in seconds (bereik_dtmf_to_prompt_seconds). */
  dtmfToPrompt?: Observer | undefined;
}
