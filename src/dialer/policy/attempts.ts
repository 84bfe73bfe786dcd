/**
 * Attempt policy: is this contact due now, and if not, when at the earliest? And what
 * does an attempt's outcome do to the contact? Pure: plain values in, plain values out.
 *
 * Rules (settings from campaigns/settings.ts):
 * - closed contacts (done/invalid/exhausted/dnc) and do-not-call numbers are never due;
 * - a call already in progress to the debtor blocks a second one;
 * - maxAttemptsTotal reached → exhausted;
 * - none within quietDaysAfterConversation days after a conversation (Regulation F);
 * - abandoned: not again within abandonQuietHours unless an agent is reserved (Ofcom);
 * - retry delay by the last outcome (retryDelayMinutes);
 * - ≤ maxAttemptsPerDay per local day, ≤ maxAttemptsPer7Days in any rolling 7 days;
 * - one person is called as one, however many claims they have: after a call about
 *   another of the debtor's claims, the same retry delay, the same day cap, no second
 *   call on a day they already spoke to us, and the abandoned-call quiet period (Ofcom's
 *   rule is about the number, not the invoice);
 * - and inside a calling window (windows.ts).
 * The earliest next time satisfies all of these at once.
 */
import type { CampaignSettings, RetryOutcome } from '../../campaigns/settings.ts';
import type { Disposition, PhoneStatus } from './classify.ts';
import { localParts, localToUtc, addDays } from './local-time.ts';
import { isCallable, type DebtorPlace, type NotCallableReason, type WindowRule } from './windows.ts';

import type { ContactStatus } from '../../store/types.ts';

export type { ContactStatus } from '../../store/types.ts';

/** What an attempt ended as: a call disposition, or a finer retry outcome of an answered call. */
export type AttemptOutcome = Disposition | RetryOutcome;

export interface AttemptRecord {
  atMs: number;
  outcome: AttemptOutcome;
  /** A conversation about the claim took place (identity confirmed and message heard, or an agent spoke). */
  conversation: boolean;
}

export interface ContactState {
  status: ContactStatus;
  /** Lifetime attempts, as stored (may exceed the history passed in). */
  attempts: number;
  /** A scheduled time (contacts.next_attempt_at), e.g. an agreed callback; null = as soon as allowed. */
  nextAttemptAtMs: number | null;
}

export interface DueContext extends DebtorPlace {
  /** The number is on the do-not-call list (checked by the caller at dial time). */
  dnc: boolean;
  /** A call to this debtor is live right now. */
  callInProgress: boolean;
  /** An agent is reserved for this contact (lifts the abandoned-call quiet period). */
  agentReserved: boolean;
  /** Recent finished attempts to the same debtor about their other claims (any campaign). */
  otherClaims?: AttemptRecord[];
}

export type AttemptPolicySettings = Pick<
  CampaignSettings,
  | 'maxAttemptsPer7Days'
  | 'maxAttemptsPerDay'
  | 'maxAttemptsTotal'
  | 'quietDaysAfterConversation'
  | 'retryDelayMinutes'
  | 'abandonQuietHours'
  | 'callingWindows'
  | 'skipPublicHolidays'
  | 'allowLooserThanLegal'
>;

export type NotDueReason =
  | 'closed'
  | 'dnc'
  | 'in_progress'
  | 'exhausted'
  | 'scheduled'
  | 'quiet_after_conversation'
  | 'abandon_quiet'
  | 'retry_delay'
  | 'day_cap'
  | 'week_cap'
  | 'debtor_recent_call'
  | 'debtor_spoken_today'
  | 'debtor_day_cap'
  | NotCallableReason;

export type DueDecision = { due: true } | { due: false; reason: NotDueReason; /** null: never (closed) or no window within a year. */ nextAt: number | null };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Blocker = { reason: NotDueReason; until: number };

function retryMinutes(outcome: AttemptOutcome, s: AttemptPolicySettings): number {
  if (outcome === 'answered') return 0;
  // The TypeBox record type loses its keys; the schema guarantees one per RetryOutcome.
  return (s.retryDelayMinutes as Partial<Record<RetryOutcome, number>>)[outcome] ?? 0;
}

/** Time-based blockers at instant t (empty = allowed by every rule except the window). */
function blockersAt(t: number, contact: ContactState, history: AttemptRecord[], s: AttemptPolicySettings, ctx: DueContext): Blocker[] {
  const out: Blocker[] = [];
  if (contact.nextAttemptAtMs !== null && t < contact.nextAttemptAtMs) out.push({ reason: 'scheduled', until: contact.nextAttemptAtMs });
  const last = history[history.length - 1];
  const lastConversation = [...history].reverse().find((a) => a.conversation);
  if (lastConversation && s.quietDaysAfterConversation > 0) {
    const until = lastConversation.atMs + s.quietDaysAfterConversation * DAY;
    if (t < until) out.push({ reason: 'quiet_after_conversation', until });
  }
  const lastAbandon = [...history].reverse().find((a) => a.outcome === 'abandoned');
  if (lastAbandon && !ctx.agentReserved) {
    const until = lastAbandon.atMs + s.abandonQuietHours * HOUR;
    if (t < until) out.push({ reason: 'abandon_quiet', until });
  }
  if (last && !(last.outcome === 'abandoned' && ctx.agentReserved)) {
    const until = last.atMs + retryMinutes(last.outcome, s) * MINUTE;
    if (t < until) out.push({ reason: 'retry_delay', until });
  }
  // Per local day: the day's attempts so far; free again at the next local midnight.
  const p = localParts(t, ctx.timeZone);
  const dayStart = localToUtc(ctx.timeZone, p.year, p.month, p.day, 0);
  const n = addDays(p.year, p.month, p.day, 1);
  const dayEnd = localToUtc(ctx.timeZone, n.year, n.month, n.day, 0);
  const isToday = (a: AttemptRecord) => a.atMs >= dayStart && a.atMs < dayEnd && a.atMs <= t;
  const today = history.filter(isToday).length;
  if (today >= s.maxAttemptsPerDay) out.push({ reason: 'day_cap', until: dayEnd });
  out.push(...debtorBlockers(t, today, isToday, dayEnd, s, ctx));
  // Rolling 7 days: free again when the oldest attempt that keeps us at the cap drops out.
  const week = history.filter((a) => a.atMs > t - 7 * DAY && a.atMs <= t).map((a) => a.atMs).sort((a, b) => a - b);
  if (week.length >= s.maxAttemptsPer7Days) {
    const pivot = week[week.length - s.maxAttemptsPer7Days] ?? t;
    out.push({ reason: 'week_cap', until: pivot + 7 * DAY + 1 });
  }
  return out;
}

/** The same person, called about their other claims: the rules above, applied across claims. */
function debtorBlockers(t: number, today: number, isToday: (a: AttemptRecord) => boolean, dayEnd: number, s: AttemptPolicySettings, ctx: DueContext): Blocker[] {
  const others = (ctx.otherClaims ?? []).filter((a) => a.atMs <= t).sort((a, b) => a.atMs - b.atMs);
  const last = others.at(-1);
  if (!last) return [];
  const out: Blocker[] = [];
  const retryUntil = last.atMs + retryMinutes(last.outcome, s) * MINUTE;
  if (t < retryUntil && !(last.outcome === 'abandoned' && ctx.agentReserved)) out.push({ reason: 'debtor_recent_call', until: retryUntil });
  const othersToday = others.filter(isToday);
  if (othersToday.some((a) => a.conversation)) out.push({ reason: 'debtor_spoken_today', until: dayEnd });
  if (today < s.maxAttemptsPerDay && today + othersToday.length >= s.maxAttemptsPerDay) out.push({ reason: 'debtor_day_cap', until: dayEnd });
  const abandoned = others.filter((a) => a.outcome === 'abandoned').at(-1);
  if (abandoned && !ctx.agentReserved) {
    const until = abandoned.atMs + s.abandonQuietHours * HOUR;
    if (t < until) out.push({ reason: 'abandon_quiet', until });
  }
  return out;
}

/** `windows`: the calling-window rule; the law's unless the composition chose another (windows.ts, anyTime). */
export function decideDue(
  contact: ContactState,
  history: AttemptRecord[],
  nowMs: number,
  settings: AttemptPolicySettings,
  ctx: DueContext,
  windows: WindowRule = isCallable,
): DueDecision {
  if (contact.status === 'dnc' || ctx.dnc) return { due: false, reason: 'dnc', nextAt: null };
  if (contact.status === 'done' || contact.status === 'invalid') return { due: false, reason: 'closed', nextAt: null };
  if (contact.status === 'exhausted' || contact.attempts >= settings.maxAttemptsTotal) return { due: false, reason: 'exhausted', nextAt: null };
  if (contact.status === 'in_progress' || ctx.callInProgress) return { due: false, reason: 'in_progress', nextAt: null };
  const sorted = [...history].sort((a, b) => a.atMs - b.atMs);

  // Walk forward: jump past every blocker, then into the next window; repeat until stable.
  let t = nowMs;
  let firstReason: NotDueReason | null = null;
  for (let i = 0; i < 64; i++) {
    const blockers = blockersAt(t, contact, sorted, settings, ctx);
    if (blockers.length > 0) {
      firstReason ??= blockers[0]!.reason;
      t = Math.max(...blockers.map((b) => b.until));
      continue;
    }
    const window = windows(t, ctx, settings);
    if (window.ok) {
      return firstReason === null ? { due: true } : { due: false, reason: firstReason, nextAt: t };
    }
    firstReason ??= window.reason;
    if (window.nextAt === null) return { due: false, reason: firstReason, nextAt: null };
    t = window.nextAt;
  }
  return { due: false, reason: firstReason ?? 'outside_window', nextAt: null };
}

export interface AttemptResult {
  outcome: AttemptOutcome;
  conversation: boolean;
  /** The claim was settled in this call (paid, promised, arranged, disputed): close the contact. */
  closed: boolean;
  /** What the attempt taught about the number (classifyAttempt). */
  phoneStatus: PhoneStatus | null;
}

export interface NextStep {
  contactStatus: ContactStatus;
  /** When to try again; null for a closed contact. */
  nextAttemptAtMs: number | null;
  /** New phone status; null = unchanged. */
  phoneStatus: PhoneStatus | null;
  /** Set when the attempt was abandoned (contacts.abandoned_at). */
  abandonedAtMs: number | null;
  /** Set when a conversation took place (contacts.last_conversation_at). */
  conversationAtMs: number | null;
}

export interface OutcomeContext extends DueContext {
  nowMs: number;
  /** Lifetime attempts including this one. */
  attempts: number;
  /** Earlier attempts (this one is added here). */
  history: AttemptRecord[];
  /** Another callable phone is left for the debtor (an invalid number then does not close the contact). */
  otherPhonesLeft: boolean;
}

export function outcomeToNext(result: AttemptResult, settings: AttemptPolicySettings, ctx: OutcomeContext, windows: WindowRule = isCallable): NextStep {
  const base = {
    phoneStatus: result.phoneStatus,
    abandonedAtMs: result.outcome === 'abandoned' ? ctx.nowMs : null,
    conversationAtMs: result.conversation ? ctx.nowMs : null,
  };
  if (result.closed) return { ...base, contactStatus: 'done', nextAttemptAtMs: null };
  if (result.phoneStatus === 'invalid' && !ctx.otherPhonesLeft) return { ...base, contactStatus: 'invalid', nextAttemptAtMs: null };
  if (ctx.attempts >= settings.maxAttemptsTotal) return { ...base, contactStatus: 'exhausted', nextAttemptAtMs: null };
  const history = [...ctx.history, { atMs: ctx.nowMs, outcome: result.outcome, conversation: result.conversation }];
  const due = decideDue(
    { status: 'pending', attempts: ctx.attempts, nextAttemptAtMs: null },
    history,
    ctx.nowMs,
    settings,
    { ...ctx, callInProgress: false, agentReserved: false },
    windows,
  );
  const next = due.due ? ctx.nowMs : due.nextAt;
  // No window within a year (misconfigured campaign): keep it pending, unscheduled is unsafe,
  // so park it a year out where an operator will notice.
  return { ...base, contactStatus: 'pending', nextAttemptAtMs: next ?? ctx.nowMs + 365 * DAY };
}
