/**
 * From what happened on a call to what the attempt policy needs: the telephony facts go
 * through the policy's classifyAttempt (disposition, what the number taught us), the
 * flow's result decides whether the contact is settled, and the pair becomes the
 * AttemptResult that outcomeToNext turns into the next step. Pure.
 *
 * Which flow results end the contact (status done): the debtor made a choice the back
 * office acts on — a pay link, an agent (transferred or asked for), a callback request,
 * a dispute. identity_not_confirmed is NOT final: the phone may be shared (a partner
 * answers), so it is retried after its own delay, within the attempt caps. no_choice by
 * a confirmed debtor who heard the message is a conversation: the next attempt waits the
 * quiet days after a conversation (Regulation F). Everything else is retried.
 */
import { RETRY_OUTCOMES, type RetryOutcome } from '../campaigns/settings.ts';
import type { CallSummary } from '../calls/deps.ts';
import type { HangupInfo } from '../telephony/types.ts';
import type { AttemptOutcome, AttemptRecord, AttemptResult } from './policy/attempts.ts';
import { classifyAttempt, type Disposition, type PhoneStatus } from './policy/classify.ts';

/** Flow results after which the contact is closed as done. */
export const FINAL_RESULTS: ReadonlySet<string> = new Set([
  'paylink_requested',
  'agent_requested',
  'transferred',
  'callback_requested',
  'dispute',
]);

/** Results counted as pay links and agent requests in the campaign figures (defined with the store's enums, which the reports read too). */
export { AGENT_RESULTS, PAYLINK_RESULTS } from '../store/types.ts';

export interface AttemptFacts {
  /** How the call ended; null when the originate itself failed. */
  hangup: HangupInfo | null;
  reachedStasis: boolean;
  /** AMDSTATUS from the Stasis args ('' without AMD or before Stasis). */
  amdStatus: string;
  /** What the flow reported (answered calls only). */
  summary: CallSummary | null;
}

export interface AttemptVerdict {
  disposition: Disposition;
  /** Stored on the call row (calls.result): the flow's result, or why the call ended. */
  result: string;
  phoneStatus: PhoneStatus | null;
  /** What outcomeToNext needs. */
  attempt: AttemptResult;
  messageHeard: boolean;
}

const RETRY: ReadonlySet<string> = new Set(RETRY_OUTCOMES);

export function judgeAttempt(f: AttemptFacts): AttemptVerdict {
  const s = f.summary;
  // The brief for the runtime: an originate Asterisk refused (HTTP error, unreachable) is a
  // failed attempt, retried after the 'failed' delay.
  if (!f.hangup) {
    return verdict('failed', 'originate_failed', null, 'failed', false, false);
  }
  const answered = f.hangup.answered || f.reachedStasis;
  const c = classifyAttempt({
    answered,
    hangupCause: f.hangup.cause,
    amdStatus: f.amdStatus || undefined,
  });
  if (!answered) return verdict(c.disposition, c.reason, c.phoneStatus, c.disposition as RetryOutcome, false, false);
  if (!f.reachedStasis) {
    // Answered, but the dialplan ended before Stasis: the person hung up while AMD listened.
    return verdict(c.disposition, 'hangup_early', c.phoneStatus, c.disposition === 'answered' ? 'hangup_early' : (c.disposition as RetryOutcome), false, false);
  }
  const disposition: Disposition = s?.disposition === 'machine' ? 'machine' : c.disposition;
  if (disposition !== 'answered') return verdict(disposition, s?.result ?? c.reason, c.phoneStatus, disposition as RetryOutcome, false, false);
  const result = s?.result ?? 'hangup_early';
  // Agent campaigns: the flow found no agent within 2 s and played the information message (Ofcom).
  if (result === 'abandoned') return verdict('abandoned', result, c.phoneStatus, 'abandoned', false, false);
  const heard = s?.messageHeard ?? false;
  const conversation = (s?.identityConfirmed ?? false) && (heard || result === 'transferred');
  if (FINAL_RESULTS.has(result)) return verdict('answered', result, c.phoneStatus, 'answered', conversation, heard, true);
  if (conversation) return verdict('answered', result, c.phoneStatus, 'answered', true, heard);
  const retry: RetryOutcome = RETRY.has(result) ? (result as RetryOutcome) : result === 'failed' ? 'failed' : 'hangup_early';
  return verdict('answered', result, c.phoneStatus, retry, false, heard);
}

function verdict(
  disposition: Disposition,
  result: string,
  phoneStatus: PhoneStatus | null,
  outcome: AttemptOutcome,
  conversation: boolean,
  messageHeard: boolean,
  closed = false,
): AttemptVerdict {
  return { disposition, result, phoneStatus, messageHeard, attempt: { outcome, conversation, closed, phoneStatus } };
}

/** A stored attempt (calls row) as the attempt policy's history sees it. */
export function historyRecord(row: { at: string; disposition: string | null; result: string | null; identityConfirmed: number; messageHeard: number }): AttemptRecord {
  const result = row.result ?? '';
  const conversation = row.identityConfirmed === 1 && (row.messageHeard === 1 || result === 'transferred');
  // Mirrors judgeAttempt: an answered call that settled nothing and was no conversation is retried as hangup_early.
  const outcome: AttemptOutcome = RETRY.has(result)
    ? (result as RetryOutcome)
    : row.disposition === 'answered' && !FINAL_RESULTS.has(result) && !conversation
      ? 'hangup_early'
      : ((row.disposition ?? 'failed') as Disposition);
  return { atMs: Date.parse(row.at), outcome, conversation };
}
