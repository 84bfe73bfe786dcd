/**
 * The SMS texts Bereik sends, in Dutch and English, as pure functions of plain values.
 * Which text is chosen follows from who the message says it is from (DESIGN.md "Messages"):
 *  - a number that can receive replies: the pay link and an invitation to answer with a
 *    keyword the reply parser understands (BETAALD / REGELING / BEL / STOP), or numbered
 *    options (the options come back, to parse the answer with);
 *  - an alphanumeric sender: nobody can answer it, so the text must not ask for a reply;
 *    the opt-out is a link or a phone number instead (required).
 * Every fixed text is GSM 03.38 (no character forces UCS-2; "€" costs two septets);
 * values are inserted as given. An agent's own text is only trimmed.
 */
import type { Language } from '../../store/types.ts';
import type { SmsSender } from '../types.ts';
import type { KeywordIntent, ReplyOption } from '../replies/parse.ts';
import { oneLine, renderSms, templateError } from './render.ts';

export type SmsTemplateKey = 'paylink_reply' | 'paylink_noreply' | 'paylink_options';

export const SMS_TEMPLATES: Record<Language, Record<SmsTemplateKey, string>> = {
  nl: {
    paylink_reply:
      '{creditor}: {claims}. Betaal via {payUrl}\nAntwoord BETAALD als u al betaald heeft, REGELING voor een betalingsregeling of BEL om gebeld te worden. STOP = geen sms meer',
    paylink_noreply: '{creditor}: {claims}. Betaal via {payUrl}\nGeen sms meer ontvangen? {optOut}',
    paylink_options: '{creditor}: {claims}. Betaal via {payUrl}\nAntwoord {options}. STOP = geen sms meer',
  },
  en: {
    paylink_reply:
      '{creditor}: {claims}. Pay at {payUrl}\nReply PAID if you have already paid, ARRANGEMENT for a payment plan or CALL to be called. STOP = no more texts',
    paylink_noreply: '{creditor}: {claims}. Pay at {payUrl}\nNo more texts? {optOut}',
    paylink_options: '{creditor}: {claims}. Pay at {payUrl}\nReply {options}. STOP = no more texts',
  },
};

/** The pieces the templates are made of. */
const PIECES = {
  nl: {
    oneClaim: 'factuur {ref}, {amount}',
    claims: '{count} facturen, totaal {amount}',
    claimsWithRefs: '{count} facturen ({refs}), totaal {amount}',
    optOutUrl: 'Ga naar {url}',
    optOutPhone: 'Bel {phone}',
    optOutBoth: 'Ga naar {url} of bel {phone}',
    option: '{digit} = {label}',
    or: ', ',
  },
  en: {
    oneClaim: 'invoice {ref}, {amount}',
    claims: '{count} invoices, total {amount}',
    claimsWithRefs: '{count} invoices ({refs}), total {amount}',
    optOutUrl: 'Go to {url}',
    optOutPhone: 'Call {phone}',
    optOutBoth: 'Go to {url} or call {phone}',
    option: '{digit} = {label}',
    or: ', ',
  },
} as const satisfies Record<Language, Record<string, string>>;

export const OPTION_LABELS: Record<Language, Record<KeywordIntent, string>> = {
  nl: { paid: 'ik heb al betaald', arrangement: 'betalingsregeling', callback: 'bel mij', stop: 'geen sms meer' },
  en: { paid: 'I have already paid', arrangement: 'payment plan', callback: 'call me', stop: 'no more texts' },
};

/** Invoice references are listed when they are few and short; else the count says enough. */
const MAX_LISTED_REFS = 3;
const MAX_REFS_CHARS = 40;

export interface ClaimLine {
  invoiceRef: string;
  amountCents: number;
}

export interface PayLinkSmsInput {
  lang: Language;
  sender: SmsSender;
  creditor: string;
  /** All open claims of the debtor this message is about (one message per debtor). */
  claims: readonly ClaimLine[];
  /** The tracked short link. */
  payUrl: string;
  /** Required for an alphanumeric sender, which cannot take a STOP reply. */
  optOut?: { url?: string; phone?: string };
}

export interface RenderedSms {
  key: SmsTemplateKey;
  text: string;
}

/** The pay link, with a reply invitation when the sender can receive replies. */
export function payLinkSms(input: PayLinkSmsInput): RenderedSms {
  const key: SmsTemplateKey = input.sender.kind === 'number' ? 'paylink_reply' : 'paylink_noreply';
  const values: Record<string, string> = common(input, key);
  if (key === 'paylink_noreply') values.optOut = optOutText(input, key);
  return { key, text: renderSms(SMS_TEMPLATES[input.lang][key], values, where(key, input.lang)) };
}

/** The pay link with numbered options ("Antwoord 1 = ik heb al betaald, 2 = …"): digits 1, 2, … in the order given. */
export function optionsSms(input: PayLinkSmsInput & { options: readonly KeywordIntent[] }): RenderedSms & { options: ReplyOption[] } {
  const key: SmsTemplateKey = 'paylink_options';
  if (input.sender.kind !== 'number') {
    throw templateError(`${where(key, input.lang)}: an alphanumeric sender (${input.sender.value}) cannot receive replies, so it may not offer options`, where(key, input.lang));
  }
  if (input.options.length === 0 || input.options.length > 9 || new Set(input.options).size !== input.options.length) {
    throw templateError(`${where(key, input.lang)}: options must be 1 to 9 different intents, got [${input.options.join(', ')}]`, where(key, input.lang));
  }
  const p = PIECES[input.lang];
  const options = input.options.map((intent, i) => ({ digit: String(i + 1), intent }));
  const list = options.map((o) => renderSms(p.option, { digit: o.digit, label: OPTION_LABELS[input.lang][o.intent] }, where(key, input.lang))).join(p.or);
  const text = renderSms(SMS_TEMPLATES[input.lang][key], { ...common(input, key), options: list }, where(key, input.lang));
  return { key, text, options };
}

/** A text an agent wrote: sent as written, only trimmed. */
export function agentSms(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw templateError('agent sms: the text is empty', 'agent sms');
  return trimmed;
}

/** Integer cents as the debtor reads money: "€ 1.234,56" (nl), "€1,234.56" (en). */
export function formatEuro(cents: number, lang: Language): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`an amount must be a whole, non-negative number of cents, got ${cents}`);
  const euros = Math.floor(cents / 100).toString();
  const rest = (cents % 100).toString().padStart(2, '0');
  const grouped = euros.replace(/\B(?=(\d{3})+$)/g, lang === 'nl' ? '.' : ',');
  return lang === 'nl' ? `€ ${grouped},${rest}` : `€${grouped}.${rest}`;
}

function common(input: PayLinkSmsInput, key: SmsTemplateKey): Record<string, string> {
  if (!/^https?:\/\/\S+$/.test(input.payUrl)) {
    throw templateError(`${where(key, input.lang)}: payUrl must be one http(s) link without spaces, got "${input.payUrl.slice(0, 80)}"`, where(key, input.lang), 'payUrl');
  }
  return { creditor: input.creditor, claims: claimsText(input, key), payUrl: input.payUrl };
}

function claimsText(input: PayLinkSmsInput, key: SmsTemplateKey): string {
  const at = where(key, input.lang);
  const { claims, lang } = input;
  if (claims.length === 0) throw templateError(`${at}: no claims given (a pay link message is about at least one)`, at, 'claims');
  let total = 0;
  claims.forEach((c, i) => {
    if (!Number.isSafeInteger(c.amountCents) || c.amountCents <= 0) {
      throw templateError(`${at}: claims[${i}] (${c.invoiceRef}): amountCents must be a whole number of cents above 0, got ${c.amountCents}`, at, 'claims');
    }
    total += c.amountCents;
  });
  const p = PIECES[lang];
  const amount = formatEuro(total, lang);
  if (claims.length === 1) return renderSms(p.oneClaim, { ref: claims[0]!.invoiceRef, amount }, at);
  const refs = claims.map((c) => oneLine(c.invoiceRef)).join(', ');
  const listed = claims.length <= MAX_LISTED_REFS && refs.length <= MAX_REFS_CHARS;
  return renderSms(listed ? p.claimsWithRefs : p.claims, { count: claims.length, refs, amount }, at);
}

function optOutText(input: PayLinkSmsInput, key: SmsTemplateKey): string {
  const { url, phone } = input.optOut ?? {};
  const p = PIECES[input.lang];
  const at = where(key, input.lang);
  if (url && phone) return renderSms(p.optOutBoth, { url, phone }, at);
  if (url) return renderSms(p.optOutUrl, { url }, at);
  if (phone) return renderSms(p.optOutPhone, { phone }, at);
  throw templateError(`${at}: an alphanumeric sender (${input.sender.value}) cannot take a STOP reply: give optOut.url or optOut.phone`, at, 'optOut');
}

function where(key: SmsTemplateKey, lang: Language): string {
  return `sms "${key}" (${lang})`;
}
