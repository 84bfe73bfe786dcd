/**
 * Whether a queued message may go out now: the same rules as a call (DESIGN.md
 * "Compliance defaults"), checked in this order, each a plain function of values:
 *
 *   1. Opt-out: the address opted out of this channel → cancelled, never sent (except the
 *      confirmation of the STOP itself).
 *      An agent's answer to the debtor's own message is still a message: opt-out wins.
 *   2. Sending windows in the debtor's time zone: the campaign's calling windows clipped to
 *      the law (NL: 07:00–20:00, no Sundays, no public holidays; src/dialer/policy/windows.ts).
 *      Outside them → wait for the next window; no window within a year → failed.
 *   3. Cap per debtor per channel: at most `maxPer7Days` messages handed to the network in
 *      any 7 days (default 3) → wait until the oldest of them is 7 days old.
 *      Confirmations of a debtor's own reply are exempt from 2 and 3: they answer the debtor
 *      at once, and a debtor who writes STOP at 21:00 must hear at once that it worked.
 *      A person's answer to the debtor's message is exempt from 3 (the debtor started that
 *      conversation) but waits for the window. Neither counts towards the cap.
 */
import { isCallable, type DebtorPlace, type WindowSettings } from '../dialer/policy/windows.ts';

export const CAP_WINDOW_MS = 7 * 86_400_000;

export interface SendCheck {
  nowMs: number;
  optedOut: boolean;
  /** A confirmation of the debtor's own reply (source 'reply'). */
  isReplyConfirmation: boolean;
  /** A person's answer to a message of the debtor (reply_id set). */
  answersDebtor: boolean;
  place: DebtorPlace;
  windows: WindowSettings;
  maxPer7Days: number;
  /** When each message to this debtor on this channel in the last 7 days went out, oldest first (UTC ms). */
  sentInLast7Days: number[];
}

export type SendDecision =
  | { kind: 'send' }
  | { kind: 'wait'; untilMs: number; code: 'OUTSIDE_WINDOW' | 'CAP_REACHED'; reason: string }
  | { kind: 'cancel'; code: 'OPTED_OUT'; reason: string }
  | { kind: 'fail'; code: 'NO_WINDOW'; reason: string };

export function decideSend(c: SendCheck): SendDecision {
  // The answer to STOP is the one message an opted-out number still gets (it was queued
  // after the opt-out, on purpose: src/messaging/replies/route.ts).
  if (c.isReplyConfirmation) return { kind: 'send' };
  if (c.optedOut) return { kind: 'cancel', code: 'OPTED_OUT', reason: 'the recipient opted out of this channel' };
  const window = isCallable(c.nowMs, c.place, c.windows);
  if (!window.ok) {
    if (window.nextAt === null) return { kind: 'fail', code: 'NO_WINDOW', reason: 'the sending windows allow no time within a year' };
    return { kind: 'wait', untilMs: window.nextAt, code: 'OUTSIDE_WINDOW', reason: `not now (${window.reason}${window.detail ? `: ${window.detail}` : ''})` };
  }
  if (c.answersDebtor) return { kind: 'send' };
  const recent = c.sentInLast7Days.filter((t) => t > c.nowMs - CAP_WINDOW_MS);
  if (recent.length >= c.maxPer7Days) {
    const freeAt = recent[recent.length - c.maxPer7Days]! + CAP_WINDOW_MS;
    return { kind: 'wait', untilMs: freeAt, code: 'CAP_REACHED', reason: `${recent.length} messages on this channel in 7 days (cap ${c.maxPer7Days})` };
  }
  return { kind: 'send' };
}
