/**
 * What a parsed reply changes, as data: the caller (the inbound worker) applies the effects
 * to the store, in the order given. Pure: the debtor's state comes in as plain values.
 *
 * In legal/business order:
 *  1. STOP: the opt-out first (it must hold even if nothing else succeeds), then one
 *     confirmation. A number that had already opted out gets nothing: not even a second
 *     confirmation, since no SMS may go to it any more.
 *  2. Nothing is ever sent to an opted-out number: a BETAALD/REGELING/BEL from it still
 *     acts, without the confirmation.
 *  3. BETAALD: every open claim the answered message was about goes to review and contact
 *     about them pauses until a person has looked; the debtor is told we will check.
 *     With no open claim left, a person reads it instead.
 *  4. REGELING / BEL: a callback task for an agent (the reason says which), and a confirmation.
 *  5. A numbered option acts as what it means.
 *  6. A promise to pay with a date read without doubt (state.promise, src/messaging/replies/promise.ts):
 *     a promise_to_pay on the open claims the answered message was about, and a confirmation
 *     naming the date. With no open claim left, or a date not read (state.promise says why),
 *     a person reads it.
 *  7. Anything else goes to the inbox for a person, with why (the parser's reason), and
 *     mentionsStop when it speaks of stopping: a person decides whether it is an opt-out.
 */
import type { Language } from '../../store/types.ts';
import { confirmationFor, promiseConfirmationFor } from './confirmations.ts';
import type { FreeTextReason, KeywordIntent, ParsedReply } from './parse.ts';
import type { PromiseProblem, PromiseReading } from './promise.ts';

export interface ReplyDebtorState {
  /** The handset's number the reply came from, E.164. */
  address: string;
  language?: Language;
  creditor: string;
  /** The claims the answered message was about that are still open. */
  openClaimIds: readonly number[];
  /** This number has opted out of the channel the reply came by (SMS, or WhatsApp). */
  smsOptedOut: boolean;
  /** The channel the reply came by (default sms): STOP opts the number out of that one. */
  channel?: 'sms' | 'whatsapp';
  /** Within how many working days an agent calls back (default 2). */
  callbackWorkingDays?: number;
  /** A free-text reply that speaks of paying, read as a promise (readPromise); absent: none. */
  promise?: PromiseReading;
}

export type ReplyEffect =
  | { kind: 'optOut'; channel: 'sms' | 'whatsapp'; address: string }
  | { kind: 'confirm'; lang: Language; text: string }
  | { kind: 'claimReview'; claimIds: number[]; reason: 'debtor_says_paid' }
  | { kind: 'pauseContact'; claimIds: number[]; reason: 'debtor_says_paid' }
  | { kind: 'callbackTask'; claimIds: number[]; reason: 'arrangement' | 'callback' }
  | { kind: 'promiseToPay'; claimIds: number[]; promiseDate: string }
  | { kind: 'inbox'; reason: FreeTextReason | 'no_open_claims'; mentionsStop?: true; empty?: true; promise?: PromiseProblem };

export function routeReply(reply: ParsedReply, state: ReplyDebtorState): ReplyEffect[] {
  const intent: KeywordIntent | undefined = reply.intent === 'option' ? reply.option : reply.intent === 'free_text' ? undefined : reply.intent;
  if (!intent && state.promise) {
    if (!state.promise.ok) return [{ kind: 'inbox', reason: reply.reason ?? 'no_keyword', promise: state.promise.reason }];
    if (state.openClaimIds.length === 0) return [{ kind: 'inbox', reason: 'no_open_claims' }];
    const effect: ReplyEffect = { kind: 'promiseToPay', claimIds: [...state.openClaimIds], promiseDate: state.promise.date };
    if (state.smsOptedOut) return [effect];
    const c = promiseConfirmationFor(reply, state.promise.date, state.language ? { debtorLanguage: state.language } : {});
    return [effect, { kind: 'confirm', lang: c.lang, text: c.text }];
  }
  if (!intent) {
    return [{
      kind: 'inbox', reason: reply.reason ?? 'no_keyword',
      ...(reply.mentionsStop ? { mentionsStop: true as const } : {}), ...(reply.empty ? { empty: true as const } : {}),
    }];
  }
  if (intent === 'stop') {
    if (state.smsOptedOut) return [];
    return [{ kind: 'optOut', channel: state.channel ?? 'sms', address: state.address }, ...confirm(reply, state, intent)];
  }
  const claimIds = [...state.openClaimIds];
  if (intent === 'paid') {
    if (claimIds.length === 0) return [{ kind: 'inbox', reason: 'no_open_claims' }];
    return [
      { kind: 'claimReview', claimIds, reason: 'debtor_says_paid' },
      { kind: 'pauseContact', claimIds, reason: 'debtor_says_paid' },
      ...confirm(reply, state, intent),
    ];
  }
  return [{ kind: 'callbackTask', claimIds, reason: intent }, ...confirm(reply, state, intent)];
}

function confirm(reply: ParsedReply, state: ReplyDebtorState, intent: KeywordIntent): ReplyEffect[] {
  // A stop from an opted-out number never gets here: its one confirmation went with the opt-out.
  if (state.smsOptedOut) return [];
  const c = confirmationFor({ ...reply, intent }, {
    creditor: state.creditor,
    ...(state.language ? { debtorLanguage: state.language } : {}),
    ...(state.callbackWorkingDays !== undefined ? { callbackWorkingDays: state.callbackWorkingDays } : {}),
    ...(state.channel ? { channel: state.channel } : {}),
  });
  return c ? [{ kind: 'confirm', lang: c.lang, text: c.text }] : [];
}
