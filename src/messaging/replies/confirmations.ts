/**
 * The short SMS that confirms a recognised reply, in the debtor's language: English when
 * the debtor's stored language is English or the reply was written in English, Dutch
 * otherwise. Free text gets none: a person answers it. Every text is GSM 03.38 and fits
 * one SMS (≤ 160 septets) with a creditor name of up to MAX_CREDITOR_CHARS characters;
 * a longer name is cut. The stop confirmation says only that: no further marketing.
 */
import type { Language } from '../../store/types.ts';
import type { KeywordIntent, ParsedReply } from './parse.ts';
import { oneLine, renderSms } from '../templates/render.ts';
import { spokenDate } from './promise.ts';

export const CONFIRMATIONS: Record<Language, Record<KeywordIntent, string>> = {
  nl: {
    paid: 'Dank u. We controleren uw betaling en nemen contact op als er iets niet klopt.',
    arrangement: 'We bellen u binnen {days} werkdagen over een betalingsregeling.',
    callback: 'We bellen u binnen {days} werkdagen terug.',
    stop: 'U ontvangt geen sms meer van {creditor} over deze vordering.',
  },
  en: {
    paid: 'Thank you. We will check your payment and contact you if anything is not right.',
    arrangement: 'We will call you within {days} working days about a payment plan.',
    callback: 'We will call you back within {days} working days.',
    stop: 'You will receive no more text messages from {creditor} about this claim.',
  },
};

/** A STOP over WhatsApp stops WhatsApp, not SMS: its confirmation says so. */
export const WHATSAPP_STOP: Record<Language, string> = {
  nl: 'U ontvangt geen WhatsApp-berichten meer van {creditor} over deze vordering.',
  en: 'You will receive no more WhatsApp messages from {creditor} about this claim.',
};

/** A promise to pay read from a reply; {date} as spokenDate gives it ("vrijdag 11 december"). */
export const PROMISE_CONFIRMATIONS: Record<Language, string> = {
  nl: 'Dank u. We noteren dat u uiterlijk {date} betaalt.',
  en: 'Thank you. We have noted that you will pay by {date}.',
};

export const MAX_CREDITOR_CHARS = 60;

export interface ConfirmationContext {
  /** The debtor's stored language, when known. */
  debtorLanguage?: Language;
  creditor: string;
  /** Within how many working days an agent calls (arrangement, callback); default 2. */
  callbackWorkingDays?: number;
  /** The channel the reply came by (default sms). */
  channel?: 'sms' | 'whatsapp';
}

export interface Confirmation {
  lang: Language;
  intent: KeywordIntent;
  text: string;
}

/** The confirmation of a promise to pay by `date` (YYYY-MM-DD), in the language rule above. */
export function promiseConfirmationFor(reply: ParsedReply, date: string, ctx: Pick<ConfirmationContext, 'debtorLanguage'>): { lang: Language; text: string } {
  const lang = replyLanguage(reply, ctx);
  return { lang, text: renderSms(PROMISE_CONFIRMATIONS[lang], { date: spokenDate(date, lang) }, `confirmation "promise" (${lang})`) };
}

function replyLanguage(reply: ParsedReply, ctx: Pick<ConfirmationContext, 'debtorLanguage'>): Language {
  return ctx.debtorLanguage === 'en' || reply.language === 'en' ? 'en' : 'nl';
}

/** The confirmation to send, or null when a person answers (free text). */
export function confirmationFor(reply: ParsedReply, ctx: ConfirmationContext): Confirmation | null {
  const intent = reply.intent === 'option' ? reply.option : reply.intent === 'free_text' ? undefined : reply.intent;
  if (!intent) return null;
  const lang = replyLanguage(reply, ctx);
  const days = ctx.callbackWorkingDays ?? 2;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`callbackWorkingDays must be a whole number ≥ 1, got ${days}`);
  const creditor = oneLine(ctx.creditor).slice(0, MAX_CREDITOR_CHARS).trim();
  const source = intent === 'stop' && ctx.channel === 'whatsapp' ? WHATSAPP_STOP[lang] : CONFIRMATIONS[lang][intent];
  const text = renderSms(source, { creditor, days }, `confirmation "${intent}" (${lang})`);
  return { lang, intent, text };
}
