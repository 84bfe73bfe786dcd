/**
 * What goes into the outbox: a debtor's pay link by SMS or e-mail, an agent's free text,
 * a confirmation of a reply. The composer decides the recipient (a mobile number that may
 * receive SMS, the debtor's e-mail address), the sender, the text (templates in the
 * debtor's language), the tracked links, and queues one message; it never sends (the
 * outbox worker does). A message that cannot be composed is a value with the reason, so
 * the IVR can say something else instead of promising an SMS that will never come.
 */
import { randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isoUtc, type Clock } from '../lib/clock.ts';
import type { Store } from '../store/repositories.ts';
import type { MessageRow } from '../store/messages.ts';
import type { OpenClaim } from '../store/debtors.ts';
import type { Language, MessageSource } from '../store/types.ts';
import { parseSmsSender } from './sender.ts';
import { agentSms, optionsSms, payLinkSms } from './templates/sms.ts';
import type { ReplyOption } from './replies/parse.ts';
import { renderPayLinkEmail } from './email/templates.ts';
import { payLinkWhatsApp, type WhatsAppTemplateSettings } from './whatsapp/templates.ts';
import type { MessageTemplate } from '../store/messages.ts';
import type { SmsSender } from './types.ts';
import { measure, type SmsMeasure } from './sms/gsm.ts';

export interface ComposerOptions {
  store: Store;
  clock: Clock;
  /** http.publicUrl: where debtors open the short links. */
  publicUrl: string;
  smsSender: string;
  emailFrom: string;
  linkTtlDays: number;
  /** The WhatsApp pay-link template and our sender (`whatsapp:<phone number id>`); absent: no WhatsApp. */
  whatsapp?: WhatsAppTemplateSettings & { sender: string };
  /** Called after a message is queued (the worker looks at once). */
  onQueued?: (m: MessageRow) => void;
}

export type ComposeResult =
  | { ok: true; message: MessageRow }
  | { ok: false; code: 'NO_DEBTOR' | 'NO_OPEN_CLAIM' | 'NO_PAY_URL' | 'NO_MOBILE' | 'NO_EMAIL' | 'NO_WHATSAPP' | 'OPTED_OUT' | 'BAD_SENDER' | 'EMPTY_TEXT'; reason: string };

interface Draft {
  ok: true;
  claim: OpenClaim;
  to: string;
  channel: 'sms' | 'email' | 'whatsapp';
  render: (links: { pay: string; unsubscribe: string }) => { body: string; html?: string; subject?: string; template?: MessageTemplate; sender: string; language: Language; options?: ReplyOption[] };
}

export type PreviewResult =
  | { ok: true; channel: 'sms' | 'email' | 'whatsapp'; to: string; sender: string; language: Language; subject: string | null; body: string; sms?: SmsMeasure }
  | Extract<ComposeResult, { ok: false }>;

export interface Origin {
  source: MessageSource;
  campaignId?: number | null;
  contactId?: number | null;
  callId?: string | null;
  agentId?: number | null;
  replyId?: number | null;
  /** A campaign's own sender / From, instead of the configured one. */
  sender?: string;
  /** Not before this time (UTC ISO). */
  notBefore?: string;
}

export interface PayLinkRequest extends Origin {
  debtorId: number;
  channel: 'sms' | 'email' | 'whatsapp';
  /** The claim the message is about (its pay page); by default the first open claim with one. */
  claimId?: number | null;
  /** SMS: send to this number (the one the debtor calls from) if it is a mobile; else the debtor's first mobile. */
  to?: string | null;
  /** SMS from a number: offer these numbered replies instead of the keywords. */
  options?: readonly ('paid' | 'arrangement' | 'callback')[];
  language?: Language;
}

/** 16 random bytes: 128 bits, base64url (issue 12 asks ≥ 96). */
export function newLinkToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Whether an SMS can reach this number (a mobile, or a number that may be one). */
export function canReceiveSms(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

export class MessageComposer {
  constructor(private readonly o: ComposerOptions) {}

  payLink(r: PayLinkRequest): ComposeResult {
    const d = this.draft(r);
    if (!d.ok) return d;
    return this.withLinks(r, d.claim, d.to, d.channel, d.render, this.now());
  }

  /**
   * What payLink would queue, without queuing it: the text with links of the real length,
   * and how an SMS will go (encoding, parts). Operators see it before a campaign starts.
   */
  previewPayLink(r: PayLinkRequest): PreviewResult {
    const d = this.draft(r);
    if (!d.ok) return d;
    const base = this.o.publicUrl.replace(/\/+$/, '');
    const sample = 'x'.repeat(22);
    const m = d.render({ pay: `${base}/p/${sample}`, unsubscribe: `${base}/u/${sample}` });
    return { ok: true, channel: d.channel, to: d.to, sender: m.sender, language: m.language, subject: m.subject ?? null, body: m.body, ...(d.channel === 'sms' ? { sms: measure(m.body) } : {}) };
  }

  private draft(r: PayLinkRequest): Draft | Extract<ComposeResult, { ok: false }> {
    const { store } = this.o;
    const debtor = store.debtors.get(r.debtorId);
    if (!debtor) return { ok: false, code: 'NO_DEBTOR', reason: `debtor ${r.debtorId} does not exist` };
    const claims = store.debtors.openClaims(r.debtorId);
    if (!claims.length) return { ok: false, code: 'NO_OPEN_CLAIM', reason: 'the debtor has no open claim' };
    const main = (r.claimId != null ? claims.find((c) => c.id === r.claimId) : undefined) ?? claims.find((c) => c.payUrl) ?? claims[0]!;
    if (!main.payUrl) return { ok: false, code: 'NO_PAY_URL', reason: `claim ${main.id} has no pay link` };
    const lang = r.language ?? debtor.language;
    if (r.channel === 'sms') {
      const to = this.mobileFor(r.debtorId, r.to);
      if (!to) return { ok: false, code: 'NO_MOBILE', reason: 'no mobile number to send an SMS to' };
      if (store.replies.isOptedOut('sms', to)) return { ok: false, code: 'OPTED_OUT', reason: 'this number opted out of SMS' };
      const sender = parseSmsSender(r.sender ?? this.o.smsSender);
      if (!sender.ok) return { ok: false, code: 'BAD_SENDER', reason: sender.reason };
      return { ok: true, claim: main, to, channel: 'sms', render: (links) => {
        const input = { lang, sender: sender.sender, creditor: main.creditor, claims: claimLines(claims), payUrl: links.pay, optOut: this.smsOptOut(sender.sender, links.unsubscribe) };
        // Numbered options need a sender that can receive the answer.
        if (r.options?.length && sender.sender.kind === 'number') {
          const o = optionsSms({ ...input, options: r.options });
          return { body: o.text, options: o.options, sender: `${sender.sender.kind}:${sender.sender.value}`, language: lang };
        }
        return { body: payLinkSms(input).text, sender: `${sender.sender.kind}:${sender.sender.value}`, language: lang };
      } };
    }
    if (r.channel === 'whatsapp') {
      const wa = this.o.whatsapp;
      if (!wa) return { ok: false, code: 'NO_WHATSAPP', reason: 'WhatsApp is not configured (no whatsapp section)' };
      const to = this.mobileFor(r.debtorId, r.to);
      if (!to) return { ok: false, code: 'NO_MOBILE', reason: 'no mobile number to send a WhatsApp message to' };
      if (store.replies.isOptedOut('whatsapp', to)) return { ok: false, code: 'OPTED_OUT', reason: 'this number opted out of WhatsApp' };
      const totalCents = claims.reduce((sum, c) => sum + c.amountCents, 0);
      return { ok: true, claim: main, to, channel: 'whatsapp', render: (links) => ({ ...payLinkWhatsApp(wa, { lang, creditor: main.creditor, totalCents, payUrl: links.pay }), sender: wa.sender, language: lang }) };
    }
    const to = debtor.email?.trim();
    if (!to) return { ok: false, code: 'NO_EMAIL', reason: 'the debtor has no e-mail address' };
    if (store.replies.isOptedOut('email', to)) return { ok: false, code: 'OPTED_OUT', reason: 'this address opted out of e-mail' };
    const from = r.sender ?? this.o.emailFrom;
    return { ok: true, claim: main, to, channel: 'email', render: (links) => {
      const mail = renderPayLinkEmail({
        language: lang,
        debtorName: debtor.name,
        creditorName: main.creditor,
        senderName: displayName(from),
        invoiceRefs: claims.map((c) => c.invoiceRef),
        totalCents: claims.reduce((sum, c) => sum + c.amountCents, 0),
        payUrl: links.pay,
        unsubscribeUrl: links.unsubscribe,
        phone: '',
      });
      return { body: mail.text, html: mail.html, subject: mail.subject, sender: from, language: lang };
    } };
  }

  /**
   * A free text an agent (or the API) writes to the debtor by SMS, or by WhatsApp (which
   * takes it only within 24 hours of the debtor's last WhatsApp message: the channel fails
   * it as WA_OUTSIDE_SERVICE_WINDOW otherwise, and the agent sees why).
   */
  text(r: Origin & { debtorId: number; text: string; to?: string | null; channel?: 'sms' | 'whatsapp' }): ComposeResult {
    const { store } = this.o;
    const debtor = store.debtors.get(r.debtorId);
    if (!debtor) return { ok: false, code: 'NO_DEBTOR', reason: `debtor ${r.debtorId} does not exist` };
    let body: string;
    try {
      body = agentSms(r.text);
    } catch {
      return { ok: false, code: 'EMPTY_TEXT', reason: 'the text is empty' };
    }
    const to = this.mobileFor(r.debtorId, r.to);
    if (r.channel === 'whatsapp') {
      const wa = this.o.whatsapp;
      if (!wa) return { ok: false, code: 'NO_WHATSAPP', reason: 'WhatsApp is not configured (no whatsapp section)' };
      if (!to) return { ok: false, code: 'NO_MOBILE', reason: 'no mobile number to send a WhatsApp message to' };
      if (store.replies.isOptedOut('whatsapp', to)) return { ok: false, code: 'OPTED_OUT', reason: 'this number opted out of WhatsApp' };
      return { ok: true, message: this.queue({ ...r, channel: 'whatsapp', to, body, sender: wa.sender, language: debtor.language }) };
    }
    if (!to) return { ok: false, code: 'NO_MOBILE', reason: 'no mobile number to send an SMS to' };
    if (store.replies.isOptedOut('sms', to)) return { ok: false, code: 'OPTED_OUT', reason: 'this number opted out of SMS' };
    const sender = parseSmsSender(r.sender ?? this.o.smsSender);
    if (!sender.ok) return { ok: false, code: 'BAD_SENDER', reason: sender.reason };
    return { ok: true, message: this.queue({ ...r, channel: 'sms', to, body, sender: `${sender.sender.kind}:${sender.sender.value}`, language: debtor.language }) };
  }

  /** The short confirmation of a debtor's reply, to the number it came from. */
  confirmation(r: { channel?: 'sms' | 'whatsapp'; debtorId: number; to: string; text: string; replyId: number; sender: string; language: Language }): MessageRow {
    // From the number the debtor wrote to; on WhatsApp that is our one business number.
    const sender = r.channel === 'whatsapp' ? (this.o.whatsapp?.sender ?? r.sender) : r.sender;
    return this.queue({ source: 'reply', replyId: r.replyId, debtorId: r.debtorId, channel: r.channel ?? 'sms', to: r.to, body: r.text, sender, language: r.language });
  }

  private withLinks(
    r: PayLinkRequest,
    claim: OpenClaim,
    to: string,
    channel: Draft['channel'],
    render: Draft['render'],
    at: string,
  ): ComposeResult {
    const { store } = this.o;
    const pay = newLinkToken();
    const unsubscribe = newLinkToken();
    const base = this.o.publicUrl.replace(/\/+$/, '');
    const expiresAt = isoUtc(this.o.clock.now() + this.o.linkTtlDays * 86_400_000);
    const m = store.transaction(() => {
      const rendered = render({ pay: `${base}/p/${pay}`, unsubscribe: `${base}/u/${unsubscribe}` });
      const message = this.queue({ ...r, ...rendered, options: rendered.options, claimId: claim.id, channel, to }, false);
      store.replies.createLink({ token: pay, kind: 'pay', messageId: message.id, debtorId: r.debtorId, claimId: claim.id, targetUrl: claim.payUrl, expiresAt }, at);
      store.replies.createLink({ token: unsubscribe, kind: 'unsubscribe', messageId: message.id, debtorId: r.debtorId, channel, address: to, expiresAt }, at);
      return message;
    });
    this.o.onQueued?.(m);
    return { ok: true, message: m };
  }

  private queue(
    m: Origin & { debtorId: number; channel: Draft['channel']; to: string; body: string; html?: string; subject?: string; template?: MessageTemplate; sender: string; language: Language; claimId?: number | null; options?: ReplyOption[] },
    announce = true,
  ): MessageRow {
    const row = this.o.store.messages.queue(
      {
        channel: m.channel,
        source: m.source,
        debtorId: m.debtorId,
        claimId: m.claimId ?? null,
        campaignId: m.campaignId ?? null,
        contactId: m.contactId ?? null,
        callId: m.callId ?? null,
        agentId: m.agentId ?? null,
        replyId: m.replyId ?? null,
        to: m.to,
        sender: m.sender,
        language: m.language,
        subject: m.subject ?? null,
        body: m.body,
        html: m.html ?? null,
        options: m.options ?? null,
        template: m.template ?? null,
        ...(m.notBefore ? { notBefore: m.notBefore } : {}),
      },
      this.now(),
    );
    if (announce) this.o.onQueued?.(row);
    return row;
  }

  /** The asked number when it can take an SMS, else the debtor's first usable mobile. */
  private mobileFor(debtorId: number, asked: string | null | undefined): string | undefined {
    if (asked && canReceiveSms(asked)) return asked;
    return this.o.store.debtors
      .phonesOf(debtorId)
      .find((p) => p.status !== 'invalid' && p.status !== 'dead' && canReceiveSms(p.e164))?.e164;
  }

  /** An alphanumeric sender cannot take STOP: the opt-out is a link instead. */
  private smsOptOut(sender: SmsSender, unsubscribeUrl: string): { url?: string } | undefined {
    return sender.kind === 'alphanumeric' ? { url: unsubscribeUrl } : undefined;
  }

  private now(): string {
    return isoUtc(this.o.clock.now());
  }
}

function claimLines(claims: OpenClaim[]) {
  return claims.map((c) => ({ invoiceRef: c.invoiceRef, amountCents: c.amountCents }));
}

/** `"Incasso Noord" <a@b.nl>` → Incasso Noord; a bare address → the address. */
function displayName(from: string): string {
  return /^\s*"?([^"<]+?)"?\s*</.exec(from)?.[1] ?? from;
}
