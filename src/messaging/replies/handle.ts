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
 *      task. Everything except a STOP also waits in the inbox: a person reads free text,
 *      checks a "paid", and takes the requests.
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
import { routeReply, type ReplyEffect } from './route.ts';

export interface ReplyHandlerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  composer: MessageComposer;
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
    });
    const intent = storedIntent(parsed);
    // Requests and free text wait for a person; a STOP (or a repeated one) is done by itself.
    const needsPerson = debtorId === null ? intent !== 'stop' : effects.some((e) => e.kind !== 'optOut' && e.kind !== 'confirm');
    return store.transaction(() => {
      const row = store.replies.recordInbound(
        { channel: m.channel, from: m.from, to: m.to, body: m.body, debtorId, messageId: answered?.id ?? null, intent, optionDigit: parsed.digit ?? null, status: needsPerson ? 'open' : 'handled' },
        at,
      );
      for (const e of effects) this.apply(e, row, debtorId, answered?.claimId ?? null, at);
      // Whoever the number belongs to, STOP stops it.
      if (debtorId === null && parsed.intent === 'stop') store.replies.optOut(m.channel, m.from, 'reply', at);
      log.info({ inboundId: row.id, from: maskPhone(m.from), intent, debtorKnown: debtorId !== null, effects: effects.map((e) => e.kind) }, 'reply received');
      if (needsPerson) this.o.onInbox?.(row);
      return row;
    });
  }

  private apply(e: ReplyEffect, row: InboundRow, debtorId: number | null, claimId: number | null, at: string): void {
    const { store, composer } = this.o;
    if (e.kind === 'optOut') store.replies.optOut(e.channel, e.address, 'reply', at);
    if (debtorId === null) return;
    if (e.kind === 'claimReview') store.replies.debtorSaysPaid(debtorId, at);
    if (e.kind === 'callbackTask') store.replies.callbackTask(debtorId, claimId ?? e.claimIds[0] ?? null, e.reason === 'arrangement' ? 'arrangement_requested' : 'callback_requested_by_sms', at);
    // From the number they wrote to: the only sender they can answer again. Over WhatsApp a
    // free text, inside the 24-hour window the debtor's message just opened.
    if (e.kind === 'confirm' && row.channel === 'sms') composer.confirmation({ debtorId, to: row.from, text: e.text, replyId: row.id, sender: `number:${row.to}`, language: e.lang });
    if (e.kind === 'confirm' && row.channel === 'whatsapp') composer.confirmation({ channel: 'whatsapp', debtorId, to: row.from, text: e.text, replyId: row.id, sender: `whatsapp:${row.to}`, language: e.lang });
  }
}

function storedIntent(p: ParsedReply): StoredIntent {
  if (p.empty) return 'empty';
  return p.intent;
}
