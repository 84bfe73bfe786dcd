/**
 * Prompt template syntax: plain text with placeholders `{name}` or `{name|formatter}`,
 * e.g. "Het bedrag is {amountCents|amount}." Parsing happens once when the prompt files
 * load, so a typo in a placeholder stops the service at start, not in a live call.
 */
import type { Language } from '../campaigns/settings.ts';
import type { PromptVars } from './types.ts';
import { amountInWords, dateInWords, phoneInWords, spellOut } from './words.ts';

export type Formatter = 'text' | 'amount' | 'rounded' | 'date' | 'spell' | 'phone' | 'risk';

/** Every placeholder a template may use, with the formatters that make sense for it (first = default). */
export const PLACEHOLDERS: Record<string, readonly Formatter[]> = {
  callerName: ['text', 'spell'],
  debtorName: ['text', 'spell'],
  creditor: ['text', 'spell'],
  /** amount: to the cent; rounded: whole euros (the whisper: quicker to say, the cents are on the screen). */
  amountCents: ['amount', 'rounded'],
  dueDate: ['date'],
  invoiceRef: ['spell', 'text'],
  callbackNumber: ['phone', 'spell'],
  /** other_claims*: how many other open claims the debtor has, and their total in cents. */
  otherCount: ['text'],
  otherCents: ['amount', 'rounded'],
  /** agent_whisper: the debtor's risk (low/medium/high). */
  risk: ['risk'],
  /** agent_whisper: why the debtor is put through (menu choice, calling back…), in words. */
  pressed: ['text', 'spell'],
  /** menu_option_*: the key that picks the option. */
  digit: ['text'],
  /** menu: the option lines the debtor's segment allows. */
  options: ['text'],
};

export interface Placeholder {
  name: string;
  formatter: Formatter;
}
export type Template = { source: string; parts: Array<string | Placeholder> };

export class TemplateError extends Error {}

const TOKEN = /\{([^{}]*)\}/g;

/** Parses a template; throws TemplateError naming the bad placeholder. */
export function parseTemplate(source: string): Template {
  const parts: Template['parts'] = [];
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    if (m.index > last) parts.push(source.slice(last, m.index));
    const [rawName, rawFormatter, ...extra] = m[1]!.split('|').map((s) => s.trim());
    const name = rawName ?? '';
    const allowed = PLACEHOLDERS[name];
    if (!allowed) throw new TemplateError(`unknown placeholder {${m[1]}} (known: ${Object.keys(PLACEHOLDERS).join(', ')})`);
    const formatter = (rawFormatter ?? allowed[0]) as Formatter;
    if (extra.length || !allowed.includes(formatter)) {
      throw new TemplateError(`placeholder {${m[1]}}: ${name} takes ${allowed.map((f) => (f === 'text' ? `{${name}}` : `{${name}|${f}}`)).join(' or ')}`);
    }
    parts.push({ name, formatter });
    last = m.index + m[0].length;
  }
  const tail = source.slice(last);
  if (/[{}]/.test(tail) || parts.some((p) => typeof p === 'string' && /[{}]/.test(p))) {
    throw new TemplateError('a "{" or "}" without its partner; placeholders look like {debtorName}');
  }
  if (tail) parts.push(tail);
  return { source, parts };
}

export function placeholdersOf(t: Template): Placeholder[] {
  return t.parts.filter((p): p is Placeholder => typeof p !== 'string');
}

const RISK_WORDS: Record<string, Record<Language, string>> = {
  low: { nl: 'laag', en: 'low' },
  medium: { nl: 'midden', en: 'medium' },
  high: { nl: 'hoog', en: 'high' },
};

/** One placeholder's value as spoken text; throws TemplateError when the value does not fit. */
export function formatValue(p: Placeholder, vars: PromptVars, lang: Language): string {
  const value = vars[p.name];
  if (value === undefined || value === '') throw new TemplateError(`no value for {${p.name}}`);
  try {
    switch (p.formatter) {
      case 'amount':
      case 'rounded':
        if (typeof value !== 'number') throw new TemplateError(`{${p.name}} must be a number of cents, got ${typeof value}`);
        return amountInWords(p.formatter === 'rounded' ? Math.round(value / 100) * 100 : value, lang, vars.currency ?? 'EUR');
      case 'date':
        return dateInWords(String(value), lang);
      case 'spell':
        return spellOut(String(value), lang);
      case 'phone':
        return phoneInWords(String(value), lang);
      case 'risk': {
        const words = RISK_WORDS[String(value)];
        if (!words) throw new TemplateError(`{${p.name}} must be low, medium or high, got "${value}"`);
        return words[lang];
      }
      case 'text':
        return String(value);
    }
  } catch (err) {
    if (err instanceof RangeError) throw new TemplateError(`{${p.name}|${p.formatter}}: ${err.message}`);
    throw err;
  }
}
