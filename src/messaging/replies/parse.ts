/**
 * What did the debtor mean by this SMS reply? A pure function of the text and of the
 * numbered options the message offered. When in doubt the answer is free_text: a person
 * reads it. The words are in vocabulary.ts; docs/messaging-replies.md explains both.
 *
 * The text is first normalised: accents, case, apostrophes, punctuation, emoji and extra
 * spaces go ("Betáald!!" → "betaald", "don't" → "dont"), "STOOOP" becomes "stoop" and
 * "S T O P" one word; sign-offs ("met vriendelijke groet") are courtesy. Then, in
 * legal/business order:
 *  0. Nothing left (empty, spaces, only emoji or punctuation): free_text with empty: true.
 *     It still reaches a person (a 👍 may mean something); the router may decide otherwise.
 *  1. STOP first, because an opt-out must work: a stop keyword ("STOP", "afmelden",
 *     "geen sms meer", "unsubscribe", misspelt "STPO") with at most 3 other words beside
 *     courtesy and little words, and not itself negated → stop, whatever else it says
 *     ("BETAALD STOP", "ik betaal niet, stop"). The safe side of a doubtful stop is to stop
 *     sending, so only a negation of the stop word counts here; for the other intents any
 *     negation does (rule 4). A stop keyword that is negated ("niet stoppen"), in a
 *     longer message, aimed at calls ("stop met bellen", "don't call me") or at something
 *     else ("stoppen met betalen"), and "laat me met rust" → free_text with mentionsStop:
 *     true, so a person (or the lead's policy) decides; an SMS opt-out there could stop the
 *     wrong thing.
 *  2. A number, alone or as "optie 2" / "keuze 2": the option when the message offered it;
 *     free_text (digit kept) when it offered other numbers or none.
 *  3. The keywords BETAALD / REGELING / BEL and their phrases (exact words). With none,
 *     a one-word reply (courtesy aside) within one edit of a keyword of ≥ 4 letters, of one
 *     intent only, and not a real word itself (NOT_TYPOS), counts: BETAALT, REGLING, PAYD.
 *     A misspelling inside a sentence does not: "ik betaal morgen" is not BETAALD.
 *  4. Safety: a negation ("ik heb niet betaald", "I haven't paid"), a question word
 *     ("waarom moet ik betalen?"), a complaint marker ("jullie bellen steeds") anywhere
 *     outside the keyword → free_text. A question mark makes "betaald?" a question too
 *     (but "kunt u mij bellen?" stays a callback request). Beside BETAALD, a promise
 *     ("wordt morgen betaald", "will be paid") or a part ("de helft betaald") is not "paid".
 *     "ik bel zelf wel" / "I'll call" is the debtor calling us, not a callback request.
 *  5. Two intents: REGELING with BEL is an arrangement (an agent calls about it either way);
 *     any other pair ("betaald, wil regeling") is for a person.
 *  6. More than 4 other words beside the keyword: a story, for a person.
 * confidence: 1 for a keyword alone (courtesy and little words aside) or an offered option,
 * 0.8 with other words, 0.7 for a misspelling; for free_text 1 when nothing looked like a
 * request, 0.5 when a keyword was overruled (reason says why).
 */
import {
  CALL_STOP_PHRASES, COMPLAINT_WORDS, COURTESY, COURTESY_PHRASES, GRAMMAR, KEYWORDS, LANGUAGE_HINTS, LEAVE_ALONE_PHRASES,
  NEGATIONS, NOT_TYPOS, OPTION_WORDS, OTHER_MEANING_PHRASES, PARTIAL_WORDS, PROMISE_WORDS, QUESTION_WORDS, STOP_MET_OBJECTS,
  type Keyword, type KeywordIntent, type ReplyLanguage,
} from './vocabulary.ts';

export type { KeywordIntent, ReplyLanguage } from './vocabulary.ts';
export type ReplyIntent = KeywordIntent | 'option' | 'free_text';

/** One numbered option a message offered: "Antwoord 1 = ik heb al betaald". */
export interface ReplyOption {
  digit: string;
  intent: KeywordIntent;
}

export interface ReplyContext {
  /** The options the message being answered offered; none: a bare number is free text. */
  options?: readonly ReplyOption[];
}

export type FreeTextReason =
  | 'empty' | 'no_keyword' | 'other_meaning' | 'negation' | 'question' | 'complaint' | 'promise' | 'partial' | 'conflict' | 'too_long'
  | 'stop_calls' | 'stop_other' | 'option_not_offered' | 'no_options_offered';

export interface ParsedReply {
  intent: ReplyIntent;
  confidence: number;
  /** Only when the words make it clear. */
  language?: ReplyLanguage;
  /** The number the debtor sent (intent option, or free_text when it was not offered). */
  digit?: string;
  /** intent option: what the chosen option means. */
  option?: KeywordIntent;
  /** The text as the parser read it. */
  normalized: string;
  /** Not a stop, but it speaks of stopping: a person (or the lead's policy) decides. */
  mentionsStop?: true;
  /** No letters or digits at all. */
  empty?: true;
  /** free_text: why a person reads it. */
  reason?: FreeTextReason;
}

const MAX_EXTRA_WORDS_STOP = 3;
const MAX_EXTRA_WORDS = 4;

export function normalizeReply(text: string): string {
  return words(text).join(' ');
}

/** Words, with a letter typed three or more times counted twice ("STOOOP", "betaaaald"). */
function words(text: string): string[] {
  return simplify(text).split(' ').filter(Boolean).map((w) => w.replace(/([a-z])\1{2,}/g, '$1$1'));
}

function simplify(text: string): string {
  return text
    .replace(/['‘’`´ʼ]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ');
}

/**
 * The words, and for each the clause it stands in (clauses end at , . ; : ! ? and line
 * breaks). A message of single letters is one spelt-out word ("S T O P", "S.T.O.P.").
 */
function tokenize(text: string): { tokens: string[]; clauseOf: number[] } {
  const clauses = text.split(/[,.;:!?\n]+/).map(words);
  const all = clauses.flat();
  if (all.length >= 3 && all.every((w) => /^[a-z]$/.test(w))) return { tokens: [all.join('')], clauseOf: [0] };
  return { tokens: all, clauseOf: clauses.flatMap((c, n) => c.map(() => n)) };
}

interface Match {
  intent: KeywordIntent;
  lang?: ReplyLanguage;
  at: number;
  length: number;
}

/** Keywords by first word, longest first, so "geen sms meer" wins over a shorter phrase. */
const BY_FIRST_WORD = new Map<string, Keyword[]>();
for (const k of [...KEYWORDS].sort((a, b) => b.words.length - a.words.length)) {
  const list = BY_FIRST_WORD.get(k.words[0]!) ?? [];
  list.push(k);
  BY_FIRST_WORD.set(k.words[0]!, list);
}
const FUZZY = KEYWORDS.filter((k) => k.fuzzy);
const KNOWN_WORDS = new Set([
  ...COURTESY, ...GRAMMAR, ...NEGATIONS, ...QUESTION_WORDS, ...COMPLAINT_WORDS, ...PROMISE_WORDS, ...PARTIAL_WORDS, ...OPTION_WORDS, ...NOT_TYPOS,
]);

export function parseReply(text: string, ctx: ReplyContext = {}): ParsedReply {
  const { tokens, clauseOf } = tokenize(text.normalize('NFKC'));
  const normalized = tokens.join(' ');
  if (tokens.length === 0) return { intent: 'free_text', confidence: 1, normalized, empty: true, reason: 'empty' };

  const used = new Array<boolean>(tokens.length).fill(false);
  markPhrases(tokens, used, COURTESY_PHRASES);
  const callStop = markPhrases(tokens, used, CALL_STOP_PHRASES);
  const leaveAlone = markPhrases(tokens, used, LEAVE_ALONE_PHRASES);
  const otherMeaning = markPhrases(tokens, used, OTHER_MEANING_PHRASES);
  const matches = findKeywords(tokens, used);
  const rest = tokens.filter((_, i) => !used[i]);
  const extras = rest.filter((w) => !COURTESY.has(w) && !GRAMMAR.has(w));
  const language = languageOf(matches, rest);
  const lang = language ? { language } : {};
  const base = { normalized, ...lang };
  const freeText = (reason: FreeTextReason, more: Partial<ParsedReply> = {}): ParsedReply => ({
    intent: 'free_text', confidence: matches.length || callStop || leaveAlone || otherMeaning ? 0.5 : 1, ...base, reason, ...more,
  });
  const negated = rest.some((w) => NEGATIONS.has(w));

  // 1. STOP
  const stops = matches.filter((m) => m.intent === 'stop');
  if (stops.length) {
    if (stops.some((m) => aimsElsewhere(tokens, clauseOf, used, m))) return freeText('stop_other', { mentionsStop: true });
    if (stops.some((m) => negatedNear(tokens, clauseOf, m))) return freeText('negation', { mentionsStop: true });
    if (extras.length > MAX_EXTRA_WORDS_STOP) return freeText('too_long', { mentionsStop: true });
    return { intent: 'stop', confidence: extras.length ? 0.8 : 1, ...base };
  }
  if (callStop) return freeText('stop_calls', { mentionsStop: true });
  if (leaveAlone) return freeText('stop_other', { mentionsStop: true });

  // 2. A number
  const digit = loneNumber(rest);
  if (digit !== undefined && matches.length === 0) {
    if (!ctx.options?.length) return freeText('no_options_offered', { digit });
    const chosen = ctx.options.find((o) => o.digit === digit);
    if (!chosen) return freeText('option_not_offered', { digit });
    return { intent: 'option', confidence: 1, ...base, digit, option: chosen.intent };
  }

  // 3. Keywords, or one misspelt word
  if (matches.length === 0) {
    const typo = misspeltKeyword(rest);
    if (!typo) return freeText(otherMeaning ? 'other_meaning' : 'no_keyword');
    return { intent: typo.intent, confidence: 0.7, normalized, ...(typo.lang ? { language: typo.lang } : lang) };
  }

  // 4. Safety
  if (negated) return freeText('negation');
  if (rest.some((w) => QUESTION_WORDS.has(w))) return freeText('question');
  if (rest.some((w) => COMPLAINT_WORDS.has(w))) return freeText('complaint');
  const intents = new Set(matches.map((m) => m.intent));
  if (intents.has('paid')) {
    if (text.normalize('NFKC').includes('?')) return freeText('question');
    if (rest.some((w) => PROMISE_WORDS.has(w))) return freeText('promise');
    if (rest.some((w) => PARTIAL_WORDS.has(w))) return freeText('partial');
  }

  // 5. Two intents
  if (intents.size === 2 && intents.has('arrangement') && intents.has('callback')) intents.delete('callback');
  if (intents.size > 1) return freeText('conflict');

  // 6. A story
  if (extras.length > MAX_EXTRA_WORDS) return freeText('too_long');
  const [intent] = intents as Set<KeywordIntent>;
  return { intent: intent!, confidence: extras.length ? 0.8 : 1, ...base };
}

/** Marks every occurrence of the phrases as used; true when any occurred. */
function markPhrases(tokens: string[], used: boolean[], phrases: readonly (readonly string[])[]): boolean {
  let found = false;
  for (let i = 0; i < tokens.length; i++) {
    for (const p of phrases) {
      if (!used[i] && startsAt(tokens, i, p)) {
        for (let j = 0; j < p.length; j++) used[i + j] = true;
        found = true;
      }
    }
  }
  return found;
}

function findKeywords(tokens: string[], used: boolean[]): Match[] {
  const out: Match[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const k = BY_FIRST_WORD.get(tokens[i]!)?.find((c) => startsAt(tokens, i, c.words) && !c.words.some((_, j) => used[i + j]));
    if (!k) continue;
    for (let j = 0; j < k.words.length; j++) used[i + j] = true;
    out.push({ intent: k.intent, ...(k.lang ? { lang: k.lang } : {}), at: i, length: k.words.length });
    i += k.words.length - 1;
  }
  return out;
}

function startsAt(tokens: string[], i: number, words: readonly string[]): boolean {
  return words.every((w, j) => tokens[i + j] === w);
}

/**
 * A negation of the stop word itself: "niet stoppen", "niet meer stoppen", "don't stop",
 * "stop niet". Elsewhere in the message it negates something else ("ik betaal niet, stop").
 */
function negatedNear(tokens: string[], clauseOf: number[], m: Match): boolean {
  const after = m.at + m.length;
  if (clauseOf[after] === clauseOf[m.at] && NEGATIONS.has(tokens[after] ?? '')) return true;
  for (let i = m.at - 1; i >= 0 && i >= m.at - 3 && clauseOf[i] === clauseOf[m.at]; i--) {
    if (NEGATIONS.has(tokens[i]!)) return true;
    if (!GRAMMAR.has(tokens[i]!)) return false;
  }
  return false;
}

/** "stoppen met betalen": a stop word whose "met …" names something other than our messages. */
function aimsElsewhere(tokens: string[], clauseOf: number[], used: boolean[], m: Match): boolean {
  const at = m.at + m.length;
  const object = tokens[at + 1];
  return tokens[at] === 'met' && !used[at] && object !== undefined && clauseOf[at + 1] === clauseOf[m.at] && !STOP_MET_OBJECTS.has(object);
}

function loneNumber(rest: string[]): string | undefined {
  const left = rest.filter((w) => !COURTESY.has(w) && !GRAMMAR.has(w) && !OPTION_WORDS.has(w));
  return left.length === 1 && /^\d{1,3}$/.test(left[0]!) ? String(Number(left[0])) : undefined;
}

function misspeltKeyword(rest: string[]): Keyword | undefined {
  const words = rest.filter((w) => !COURTESY.has(w));
  const word = words[0];
  if (words.length !== 1 || word === undefined || word.length < 3 || KNOWN_WORDS.has(word)) return undefined;
  const near = FUZZY.filter((k) => withinOneEdit(word, k.words[0]!));
  return near.length > 0 && near.every((k) => k.intent === near[0]!.intent) ? near[0] : undefined;
}

/** Optimal string alignment distance ≤ 1: one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (i === a.length) return true;
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function languageOf(matches: Match[], rest: string[]): ReplyLanguage | undefined {
  const score = { nl: 0, en: 0 };
  for (const m of matches) if (m.lang) score[m.lang] += 2;
  for (const w of rest) {
    if (LANGUAGE_HINTS.nl.has(w)) score.nl++;
    if (LANGUAGE_HINTS.en.has(w)) score.en++;
  }
  return score.nl > score.en ? 'nl' : score.en > score.nl ? 'en' : undefined;
}
