/**
 * A reply lands: whose it is, what it means, what it changes, and the short answer.
 *
 *   1. Who: the debtor most recently messaged at that number (several debtors can share
 *      one); else a debtor with that phone; else nobody (a person looks).
 *   2. What: src/messaging/replies/parse.ts, with the numbered options the answered
 *      message offered.
 *   3. Effects, decided as data by src/messaging/replies/route.ts and applied here in one
 *      transaction: STOP opts the number out of the channel it came by, SMS or WhatsApp (whoever it belongs to; no
 *      import undoes it; a second STOP changes nothing); BETAALD puts the open claims up
 *      for review and pauses the debtor's contacts; REGELING and BEL become a callback
 *      task; a promise to pay with a date read without doubt ("Ik betaal vrijdag") is recorded
 *      as an agent's promise is. Everything except a STOP or such a promise also waits in the
 *      inbox: a person reads free text, checks a "paid", and takes the requests.
 *   4. A confirmation in the debtor's language for every recognised reply, from the number
 *      the reply was sent to (never for free text: a person answers that; never to a
 *      number that had already opted out).
 */
import { isoUtc, type Clock } from '../../lib/clock.ts';
import { maskPhone, type Logger } from '../../lib/log.ts';
import type { Store } from '../../store/repositories.ts';
import type { InboundRow } from '../../store/message-replies.ts';
import type { ReplyIntent as StoredIntent } from '../../store/types.ts';
import type { MessageComposer } from '../compose.ts';
import type { InboundMessage } from '../types.ts';
import { parseReply, type ParsedReply, type ReplyOption } from './parse.ts';
import { DEFAULT_PROMISE_MAX_DAYS, readPromise, speaksOfPaying, type PromiseReading } from './promise.ts';
import { routeReply, type ReplyEffect } from './route.ts';

export interface ReplyHandlerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  composer: MessageComposer;
  /** Furthest promise date a reply may set by itself, in days (default 30); further: a person reads it. */
  promiseMaxDays?: number;
  /** Told when something lands in the inbox (the desktop refreshes). */
  onInbox?: (row: InboundRow) => void;
}

export class ReplyHandler {
  constructor(private readonly o: ReplyHandlerOptions) {}

  handle(m: InboundMessage): InboundRow {
    const { store, clock, log } = this.o;
    const at = isoUtc(clock.now());
    const answered = store.messages.latestTo(m.channel, m.from);
    const debtorId = answered?.debtorId ?? store.cases.byPhone(m.from)[0]?.debtor.id ?? null;
    const parsed = parseReply(m.body, { options: (answered?.options ?? undefined) as ReplyOption[] | undefined });
    const open = debtorId === null ? [] : store.debtors.openClaims(debtorId);
    const debtor = debtorId === null ? undefined : store.debtors.get(debtorId);
    // Replies come by SMS or WhatsApp (an e-mail channel has no inbound replies).
    const channel = m.channel === 'whatsapp' ? 'whatsapp' : 'sms';
    const effects = routeReply(parsed, {
      address: m.from,
      channel,
      ...(debtor ? { language: debtor.language } : {}),
      creditor: open[0]?.creditor ?? '',
      openClaimIds: open.map((c) => c.id),
      smsOptedOut: store.replies.isOptedOut(channel, m.from),
      ...(debtor ? promiseIn(m.body, parsed, { now: clock.now(), timeZone: debtor.timeZone, maxDays: this.o.promiseMaxDays ?? DEFAULT_PROMISE_MAX_DAYS }) : {}),
    });
    const intent = storedIntent(parsed);
    // Requests and free text wait for a person; a STOP (or a repeated one) and a promise with a date are done by themselves.
    const needsPerson = debtorId === null ? intent !== 'stop' : effects.some((e) => e.kind !== 'optOut' && e.kind !== 'confirm' && e.kind !== 'promiseToPay');
    const amounts = new Map(open.map((c) => [c.id, c.amountCents]));
    return store.transaction(() => {
      const row = store.replies.recordInbound(
        { channel: m.channel, from: m.from, to: m.to, body: m.body, debtorId, messageId: answered?.id ?? null, intent, optionDigit: parsed.digit ?? null, status: needsPerson ? 'open' : 'handled' },
        at,
      );
      for (const e of effects) this.apply(e, row, debtorId, answered?.claimId ?? null, at, amounts);
      // Whoever the number belongs to, STOP stops it.
      if (debtorId === null && parsed.intent === 'stop') store.replies.optOut(m.channel, m.from, 'reply', at);
      const inbox = effects.find((e) => e.kind === 'inbox');
      log.info({
        inboundId: row.id, from: maskPhone(m.from), intent, debtorKnown: debtorId !== null, effects: effects.map((e) => e.kind),
        ...(inbox ? { inboxReason: inbox.reason, ...(inbox.promise ? { promiseNotRead: inbox.promise } : {}) } : {}),
      }, 'reply received');
      if (needsPerson) this.o.onInbox?.(row);
      return row;
    });
  }

  private apply(e: ReplyEffect, row: InboundRow, debtorId: number | null, claimId: number | null, at: string, amounts: ReadonlyMap<number, number>): void {
    const { store, composer } = this.o;
    if (e.kind === 'optOut') store.replies.optOut(e.channel, e.address, 'reply', at);
    if (debtorId === null) return;
    if (e.kind === 'claimReview') store.replies.debtorSaysPaid(debtorId, at);
    // Recorded as an agent's promise is (claim promised, strategy paused until the date, a
    // result in the score per action), without an agent; the note and event name the reply.
    if (e.kind === 'promiseToPay') {
      for (const id of e.claimIds) {
        store.dispositions.record({
          agentId: null, claimId: id, debtorId, callId: null, kind: 'promise_to_pay', promiseDate: e.promiseDate,
          amountCents: amounts.get(id) ?? null, note: `${row.channel} reply #${row.id}`, source: 'reply', inboundId: row.id, now: at,
        });
      }
    }
    if (e.kind === 'callbackTask') store.replies.callbackTask(debtorId, claimId ?? e.claimIds[0] ?? null, e.reason === 'arrangement' ? 'arrangement_requested' : 'callback_requested_by_sms', at);
    // From the number they wrote to: the only sender they can answer again. Over WhatsApp a
    // free text, inside the 24-hour window the debtor's message just opened.
    if (e.kind === 'confirm' && row.channel === 'sms') composer.confirmation({ debtorId, to: row.from, text: e.text, replyId: row.id, sender: `number:${row.to}`, language: e.lang });
    if (e.kind === 'confirm' && row.channel === 'whatsapp') composer.confirmation({ channel: 'whatsapp', debtorId, to: row.from, text: e.text, replyId: row.id, sender: `whatsapp:${row.to}`, language: e.lang });
  }
}

/** A free-text reply that speaks of paying (or the parser's "wordt morgen betaald"), read as a promise. */
function promiseIn(body: string, parsed: ParsedReply, ctx: { now: number; timeZone: string; maxDays: number }): { promise?: PromiseReading } {
  if (parsed.intent !== 'free_text' || parsed.empty || (parsed.reason !== 'promise' && parsed.reason !== 'no_keyword')) return {};
  if (!speaksOfPaying(body)) return {};
  return { promise: readPromise(body, { ...ctx, ...(parsed.language ? { language: parsed.language } : {}) }) };
}

function storedIntent(p: ParsedReply): StoredIntent {
  if (p.empty) return 'empty';
  return p.intent;
}
