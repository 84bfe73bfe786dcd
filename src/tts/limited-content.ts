/**
 * Limited-content prompts: what anyone may hear before the debtor has confirmed who
 * they are (a voicemail box, a relative, an abandoned-call message). Regulation F's
 * safe form allows who called, a number to call back and a request to call; no
 * creditor, no amount, nothing that says the call is about a debt. Ofcom's abandoned-call
 * message likewise says only who called and the number to call back.
 */
import type { PromptKey } from './types.ts';

/** Prompts with limited content, and the only placeholders each may use. */
export const LIMITED_CONTENT: Partial<Record<PromptKey, readonly string[]>> = {
  voicemail: ['callerName', 'callbackNumber'],
  abandoned_info: ['callerName', 'callbackNumber'],
  identity_check: ['callerName', 'debtorName'],
  identity_not_confirmed: ['callerName'],
};

/**
 * Words that reveal the subject. Dutch stems match anywhere in a word, because Dutch
 * writes compounds ("Incassobureau", "betalingsachterstand"); English stems match at the
 * start of a word ("debts", "debtor") so that names like "Paramount" stay intact.
 */
const NL_STEMS = ['schuld', 'incasso', 'vordering', 'achterstand', 'deurwaarder', 'openstaand', 'factuur', 'bedrag', 'betaal', 'betaling', 'aanmaning'];
const EN_STEMS = ['debt', 'collection', 'collector', 'arrear', 'overdue', 'invoice', 'amount', 'bailiff', 'payment', 'owing'];
const EN_WORDS = ['owe', 'owes', 'owed'];
const PATTERNS = [
  ...NL_STEMS.map((w) => [w, new RegExp(w, 'iu')] as const),
  ...EN_STEMS.map((w) => [w, new RegExp(`(^|[^\\p{L}])${w}`, 'iu')] as const),
  ...EN_WORDS.map((w) => [w, new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'iu')] as const),
];
export const FORBIDDEN_WORDS = [...NL_STEMS, ...EN_STEMS, ...EN_WORDS];

/** The forbidden words found in a text (case-insensitive). */
export function forbiddenWordsIn(text: string): string[] {
  return PATTERNS.filter(([, re]) => re.test(text)).map(([w]) => w);
}

/** "Bereik Incasso B.V." → "Bereik B.V.": drops every word holding a forbidden stem. */
export function withoutForbiddenWords(value: string): string {
  return value
    .split(/\s+/)
    .filter((word) => forbiddenWordsIn(word).length === 0)
    .join(' ')
    .trim();
}
