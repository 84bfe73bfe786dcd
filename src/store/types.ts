/**
 * Every enum a stored row carries, once. The lists match the CHECK constraints of the
 * schema (test/unit/store-enums-match-the-schema.test.ts holds them together); the rest
 * of Bereik imports these types from here, or from a module that re-exports them.
 * Nothing in this file imports from above src/store.
 */

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const RISKS = ['low', 'medium', 'high'] as const;
export type Risk = (typeof RISKS)[number];

export const ROLES = ['admin', 'operator', 'agent', 'client', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const PHONE_STATUSES = ['unknown', 'valid', 'invalid', 'active', 'dead'] as const;
export type PhoneStatus = (typeof PHONE_STATUSES)[number];

export const CLAIM_STATUSES = ['open', 'promised', 'arranged', 'disputed', 'paid', 'closed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
/** Still to be paid: what recognition offers the debtor and the desktop lists first. */
export const OPEN_CLAIM_STATUSES = ['open', 'promised', 'arranged'] as const satisfies readonly ClaimStatus[];
/** `status IN ('open', 'promised', 'arranged')` for SQL, from the one list. */
export const OPEN_CLAIM_SQL = `(${OPEN_CLAIM_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Call results counted as pay links and as agent requests in the campaign figures and reports. */
export const PAYLINK_RESULTS: readonly string[] = ['paylink_requested'];
export const AGENT_RESULTS: readonly string[] = ['agent_requested', 'transferred'];

export const CAMPAIGN_MODES = ['agentless', 'progressive', 'predictive', 'preview', 'sms', 'email'] as const;
export type CampaignMode = (typeof CAMPAIGN_MODES)[number];
/** Campaigns that call (the dialer's); the others send messages (the outbox's). */
export const CALL_CAMPAIGN_MODES = ['agentless', 'progressive', 'predictive', 'preview'] as const satisfies readonly CampaignMode[];
export type CallCampaignMode = (typeof CALL_CAMPAIGN_MODES)[number];
export function isCallCampaign<T extends { mode: CampaignMode }>(c: T): c is T & { mode: CallCampaignMode } {
  return (CALL_CAMPAIGN_MODES as readonly string[]).includes(c.mode);
}
export const MESSAGE_CAMPAIGN_MODES = ['sms', 'email'] as const satisfies readonly CampaignMode[];

export const CAMPAIGN_STATES = ['draft', 'running', 'paused', 'finished'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const IMPORT_STATUSES = ['running', 'rejected', 'completed', 'partial', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const CONTACT_STATUSES = ['pending', 'in_progress', 'done', 'exhausted', 'invalid', 'dnc'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const AGENT_STATES = ['offline', 'available', 'reserved', 'ringing', 'talking', 'wrap_up', 'paused'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const CALL_DIRECTIONS = ['outbound', 'inbound', 'agent'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_STATES = ['dialing', 'ringing', 'up', 'ended', 'interrupted'] as const;
export type CallState = (typeof CALL_STATES)[number];
/** A call still on the line (or about to be): what the dialer counts against its channels. */
export const LIVE_CALL_STATES = ['dialing', 'ringing', 'up'] as const satisfies readonly CallState[];
export type LiveCallState = (typeof LIVE_CALL_STATES)[number];
/** `('dialing', 'ringing', 'up')` for SQL, from the one list. */
export const LIVE_CALL_SQL = `(${LIVE_CALL_STATES.map((s) => `'${s}'`).join(', ')})`;

export const CALL_DISPOSITIONS = ['answered', 'machine', 'busy', 'no_answer', 'failed', 'unreachable', 'abandoned'] as const;
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];

export const DISPOSITION_KINDS = ['promise_to_pay', 'payment_arrangement', 'dispute', 'wrong_person', 'callback', 'other'] as const;
export type DispositionKind = (typeof DISPOSITION_KINDS)[number];

/** An agent row (agents table). */
export interface Agent {
  id: number;
  name: string;
  /** Dial string of the agent's phone, e.g. PJSIP/agent1001. */
  endpoint: string;
  skills: string[];
  state: AgentState;
  /** UTC ISO time the agent entered this state (longest idle = oldest available). */
  stateSince: string;
  createdAt: string;
  updatedAt: string;
}

/** The debtor as a call flow and the desktop know them. */
export interface DebtorSummary {
  id: number;
  externalRef: string;
  name: string;
  language: Language;
  risk: Risk;
}

/** A claim as a call flow knows it (the claim the conversation is about). */
export interface ClaimSummary {
  id: number;
  creditor: string;
  invoiceRef: string;
  amountCents: number;
  currency: string;
  dueDate: string | null;
  payUrl: string | null;
}

/** The campaign a case was worked in, settings as stored (JSON text: the campaigns module parses it). */
export interface CaseCampaignRow {
  id: number;
  mode: CampaignMode;
  language: Language;
  callerId: string;
  defaultCountry: string;
  settings: string;
}

/** Who is on the line and what they owe, as recognition finds it (src/store/recognition.ts). */
export interface CaseRow {
  debtor: DebtorSummary;
  claim: ClaimSummary;
  /** The phone row the call is on (outbound: dialled; inbound: the caller's, when recognised). */
  phone: { id: number; e164: string } | null;
  contactId: number | null;
  campaign: CaseCampaignRow | null;
  /** When the claim message was last heard to the end, in any campaign (UTC ISO), or null. */
  messageHeardAt: string | null;
  /** The debtor's other open claims (any creditor). */
  otherOpen?: { count: number; amountCents: number };
}

export const MESSAGE_CHANNELS = ['sms', 'email', 'whatsapp'] as const;
export type MessageChannelName = (typeof MESSAGE_CHANNELS)[number];

export const MESSAGE_SOURCES = ['ivr', 'desktop', 'campaign', 'api', 'reply', 'strategy'] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

export const MESSAGE_STATUSES = ['queued', 'submitting', 'submitted', 'delivered', 'failed', 'expired', 'uncertain', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const REPLY_INTENTS = ['paid', 'arrangement', 'callback', 'stop', 'option', 'free_text', 'empty'] as const;
export type ReplyIntent = (typeof REPLY_INTENTS)[number];

export const INBOUND_STATUSES = ['open', 'assigned', 'closed', 'handled'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

export const PAYMENT_KINDS = ['payment', 'reversal'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

export const PAYMENT_SOURCES = ['csv', 'camt053', 'api'] as const;
export type PaymentSource = (typeof PAYMENT_SOURCES)[number];

export const PAYMENT_FILE_KINDS = ['csv', 'camt053'] as const;
export type PaymentFileKind = (typeof PAYMENT_FILE_KINDS)[number];

/** Which rule tied a payment to its claim, in the order they are tried (docs/payments.md). */
export const PAYMENT_MATCH_RULES = ['claim_id', 'payment_reference', 'invoice_ref', 'debtor_ref', 'manual'] as const;
export type PaymentMatchRule = (typeof PAYMENT_MATCH_RULES)[number];

export const PAYMENT_STATUSES = ['matched', 'unmatched', 'reversed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What a debtor's timeline in the console is made of (src/store/debtor-lookup.ts). */
export const TIMELINE_KINDS = ['call', 'message', 'reply', 'payment', 'disposition', 'opt_out', 'dnc'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** What a strategy step does (src/strategy/schema.ts); `external` is done elsewhere (a letter, a visit) and recorded. */
export const ACTION_TYPES = ['sms', 'email', 'call_ivr', 'call_agent', 'whatsapp', 'external'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** planned → executed | skipped (could not be done: no mobile, no e-mail) | stopped (a stop condition at execution) | failed. */
export const ACTION_STATUSES = ['planned', 'executed', 'skipped', 'stopped', 'failed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A debtor's arm of a strategy (champion/challenger, issue 13 §5); everyone is champion until a split exists. */
export const STRATEGY_ARMS = ['champion', 'challenger'] as const;
export type StrategyArm = (typeof STRATEGY_ARMS)[number];

/** Where an action reaches the debtor: the message channels, the phone (IVR or agent), or elsewhere. */
export const ACTION_CHANNELS = ['sms', 'email', 'whatsapp', 'phone', 'external'] as const;
export type ActionChannel = (typeof ACTION_CHANNELS)[number];
