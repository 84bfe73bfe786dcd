/**
 * Per-campaign settings and their defaults. Defaults follow the strictest rule we know
 * of in each respect (DESIGN.md, compliance defaults). A campaign may be stricter;
 * loosening a legal limit needs `allowLooserThanLegal: true`, which the API logs.
 */
import { Type, type Static } from '@sinclair/typebox';

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM' });

/** 90 days: a longer retry delay is a typo, and far-off times overflow the date arithmetic. */
export const MAX_RETRY_DELAY_MINUTES = 90 * 24 * 60;
/** €1 000 000 000,00: far above any claim, far below the largest safe integer. */
export const MAX_AMOUNT_CENTS = 1_000_000_000_00;
/** Longest caller name; SIP display names beyond this are cut by handsets and carriers. */
export const MAX_CALLER_NAME = 60;
/** No control characters (newlines would break the From header of the originate). */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$';

export const CallingWindowSchema = Type.Object(
  {
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, uniqueItems: true }),
    start: HHMM,
    end: HHMM,
  },
  { additionalProperties: false },
);
export type CallingWindow = Static<typeof CallingWindowSchema>;

/** Outcomes of an attempt that decide when to try again. */
export const RETRY_OUTCOMES = ['busy', 'no_answer', 'machine', 'failed', 'unreachable', 'abandoned', 'identity_not_confirmed', 'hangup_early', 'interrupted'] as const;
export type RetryOutcome = (typeof RETRY_OUTCOMES)[number];

export const CampaignSettingsSchema = Type.Object(
  {
    /** When debtors may be called, in the debtor's own time zone. */
    callingWindows: Type.Array(CallingWindowSchema, { minItems: 1, maxItems: 14 }),
    /** Never call on public holidays of the debtor's country (NL: Besluit kwaliteit incassodienstverlening). */
    skipPublicHolidays: Type.Boolean(),
    /** Used when the debtor has no time zone of their own. */
    defaultTimeZone: Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone such as Europe/Amsterdam' }),
    /** Regulation F: at most 7 attempts per claim in 7 days. */
    maxAttemptsPer7Days: Type.Integer({ minimum: 1, maximum: 50 }),
    maxAttemptsPerDay: Type.Integer({ minimum: 1, maximum: 20 }),
    /** Lifetime cap; the contact is closed as exhausted after this many attempts. */
    maxAttemptsTotal: Type.Integer({ minimum: 1, maximum: 200 }),
    /** No calls for this many days after a conversation about the claim (Regulation F presumption). */
    quietDaysAfterConversation: Type.Integer({ minimum: 0, maximum: 60 }),
    /** Minutes to wait before the next attempt, by the last attempt's outcome. */
    retryDelayMinutes: Type.Record(Type.Union(RETRY_OUTCOMES.map((o) => Type.Literal(o))), Type.Integer({ minimum: 1, maximum: MAX_RETRY_DELAY_MINUTES }), { additionalProperties: false }),
    /** Ring at least 15 s before giving up (Ofcom, FCC). */
    ringTimeoutSec: Type.Integer({ minimum: 5, maximum: 120 }),
    maxConcurrentChannels: Type.Integer({ minimum: 1, maximum: 5000 }),
    maxCallsPerSecond: Type.Number({ exclusiveMinimum: 0, maximum: 500 }),
    /** Below this amount: no agent; pay link by SMS (routing). */
    lowAmountCents: Type.Integer({ minimum: 0, maximum: MAX_AMOUNT_CENTS }),
    /** At or above this amount: straight to an agent (routing). */
    highAmountCents: Type.Integer({ minimum: 0, maximum: MAX_AMOUNT_CENTS }),
    /** Run answering-machine detection in the dialplan (adds up to ~5 s of silence after answer). */
    amd: Type.Boolean(),
    /** Answering machine: leave the limited-content message, or hang up. */
    voicemail: Type.Union([Type.Literal('message'), Type.Literal('hangup')]),
    /** Ofcom: abandoned calls at most 3 % of live-answered calls over any 24 h. */
    abandonRateCap: Type.Number({ minimum: 0, maximum: 0.5 }),
    /** Ofcom: an abandoned number is not called again within 72 h unless an agent is reserved. */
    abandonQuietHours: Type.Integer({ minimum: 0, maximum: 720 }),
    /** Wrong keys or silence re-prompt at most this many times, then the call closes politely. */
    maxPromptRetries: Type.Integer({ minimum: 0, maximum: 5 }),
    /** Seconds to wait for a key after a menu prompt. */
    menuTimeoutSec: Type.Integer({ minimum: 2, maximum: 30 }),
    /**
     * Agent campaigns (progressive, predictive, preview): who takes a person who answers.
     * 'agent' (default): straight to an agent, the predictive dialer; no agent within 2 s
     * makes it an abandoned call (Ofcom). 'ivr': the IVR runs first and puts debtors
     * through by segment, as in DESIGN.md's outbound path. Agentless campaigns always use the IVR.
     */
    answeredBy: Type.Optional(Type.Union([Type.Literal('agent'), Type.Literal('ivr')])),
    /** Agent skill needed for this campaign's transfers ('' = any). */
    agentSkill: Type.String({ maxLength: 40, pattern: PRINTABLE, description: 'printable text' }),
    /** Name spoken as "who is calling" (the collection agency, not the creditor). */
    callerName: Type.String({ minLength: 1, maxLength: MAX_CALLER_NAME, pattern: PRINTABLE, description: 'printable text' }),
    /** An explicit, logged choice to go below a legal default (e.g. 21:00 for US debtors). */
    allowLooserThanLegal: Type.Boolean(),
    /**
     * The Try-it campaign: dialled at any hour, because its phones are the built-in simulated
     * Asterisk's and nobody is called. Accepted only while Bereik runs on that simulator; with
     * a real Asterisk it is refused, and a demo campaign already stored follows every calling
     * rule like any other (src/engine.ts chooses the rules).
     */
    demo: Type.Optional(Type.Boolean()),
    /** SMS sender of this campaign's messages (`number:…` or `alphanumeric:…`); by default messages.smsSender. */
    smsSender: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
    /** From of this campaign's e-mails; by default messages.emailFrom. */
    emailFrom: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    /** Pay-link SMS from a number offer these numbered replies ("Antwoord 1 = …") instead of keywords. */
    smsReplyOptions: Type.Optional(Type.Array(Type.Union([Type.Literal('paid'), Type.Literal('arrangement'), Type.Literal('callback')]), { minItems: 1, maxItems: 3, uniqueItems: true })),
    /** Record each conversation between a debtor and an agent (the bridge's mix), docs/call-recordings.md. */
    recordAgentCalls: Type.Optional(Type.Boolean()),
    /** With recordAgentCalls: the debtor hears the recording notice (prompt recording_notice) before the agent is put through. */
    announceRecording: Type.Optional(Type.Boolean()),
    /**
     * What the agent hears as a debtor is put through: 'speech' (default) the spoken whisper
     * (name, amount, why), 'tone' only a short beep as the debtor arrives, the screen pop
     * carrying the rest; with an open line the debtor is then moved in at once (docs/agent-line.md).
     */
    agentWhisper: Type.Optional(Type.Union([Type.Literal('speech'), Type.Literal('tone')])),
    /** Messages per debtor per channel in any 7 days; by default messages.maxPer7Days. */
    maxMessagesPer7Days: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type CampaignSettings = Static<typeof CampaignSettingsSchema>;

export const DEFAULT_SETTINGS: CampaignSettings = {
  callingWindows: [{ days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '20:00' }],
  skipPublicHolidays: true,
  defaultTimeZone: 'Europe/Amsterdam',
  maxAttemptsPer7Days: 7,
  maxAttemptsPerDay: 2,
  maxAttemptsTotal: 12,
  quietDaysAfterConversation: 7,
  retryDelayMinutes: {
    busy: 30,
    no_answer: 120,
    machine: 240,
    failed: 60,
    unreachable: 240,
    abandoned: 72 * 60,
    identity_not_confirmed: 24 * 60,
    hangup_early: 240,
    interrupted: 30,
  },
  ringTimeoutSec: 25,
  maxConcurrentChannels: 30,
  maxCallsPerSecond: 5,
  lowAmountCents: 100_00,
  highAmountCents: 1_000_00,
  amd: true,
  voicemail: 'message',
  abandonRateCap: 0.03,
  abandonQuietHours: 72,
  maxPromptRetries: 2,
  menuTimeoutSec: 6,
  agentSkill: '',
  answeredBy: 'agent',
  callerName: 'Bereik',
  allowLooserThanLegal: false,
};

/** The legal floor: values looser than these need allowLooserThanLegal (checked by the campaigns API). */
export const LEGAL_LIMITS = {
  earliestStart: '07:00',
  latestEnd: '20:00',
  maxAttemptsPer7Days: 7,
  minQuietDaysAfterConversation: 7,
  minRingTimeoutSec: 15,
  maxAbandonRateCap: 0.03,
  minAbandonQuietHours: 72,
  noSundays: true,
} as const;

export type { CampaignMode, CampaignState, Language, Risk } from '../store/types.ts';
