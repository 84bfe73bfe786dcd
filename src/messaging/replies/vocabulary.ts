/**
 * The words the reply parser knows, as data (parse.ts holds the rules). Every entry is in
 * normalised form: lower case, no accents, apostrophes dropped ("don't" → "dont"), one
 * space between words. Adding a keyword touches only this file; the table test in
 * test/messaging/reply-parser-understands-debtors-in-dutch-and-english.test.ts says
 * whether it still reads debtors right.
 */
export type ReplyLanguage = 'nl' | 'en';
export type KeywordIntent = 'paid' | 'arrangement' | 'callback' | 'stop';

export interface Keyword {
  /** One or more words, matched as consecutive whole words. */
  words: readonly string[];
  intent: KeywordIntent;
  lang?: ReplyLanguage;
  /**
   * A one-word reply within edit distance 1 of this word counts as it (BETAALT, STPO).
   * Only single words of ≥ 4 letters may be fuzzy; short ones list their misspellings.
   */
  fuzzy?: true;
}

function kw(intent: KeywordIntent, lang: ReplyLanguage | undefined, phrases: readonly string[], fuzzy: readonly string[] = []): Keyword[] {
  return [
    ...phrases.map((p) => ({ words: p.split(' '), intent, ...(lang ? { lang } : {}) })),
    ...fuzzy.map((p) => ({ words: [p], intent, ...(lang ? { lang } : {}), fuzzy: true as const })),
  ];
}

export const KEYWORDS: readonly Keyword[] = [
  // STOP: the opt-out. "geen sms meer" holds a negation on purpose: the phrase is matched
  // first, so its "geen" never counts as negating anything.
  ...kw('stop', undefined, ['stopp', 'stopt', 'stop sms'], ['stop']),
  ...kw('stop', 'nl', ['stoppen', 'afmelding', 'hou op', 'houd op', 'ophouden', 'opt uit', 'geen sms meer', 'geen smsjes meer', 'geen berichten meer', 'geen sms', 'stuur geen sms', 'niet meer sms', 'niet meer smsen', 'niet meer sturen'], ['afmelden', 'uitschrijven']),
  ...kw('stop', 'en', ['optout', 'opt out', 'no more sms', 'no more texts', 'no more messages', 'dont text', 'do not text', 'dont message', 'do not message', 'stop texting', 'stop sending', 'stop messaging'], ['unsubscribe']),
  // BETAALD: the debtor says the claim is paid.
  ...kw('paid', 'nl', ['voldaan', 'overgemaakt', 'gestort', 'betaling gedaan', 'betaling verricht'], ['betaald']),
  ...kw('paid', 'en', ['payed', 'payment made', 'payment sent', 'payment done', 'transferred'], ['paid']),
  // REGELING: a payment arrangement; an agent calls about it.
  ...kw('arrangement', 'nl', ['afbetalingsregeling', 'afbetalen', 'afbetaling', 'termijn', 'termijnen', 'gespreid betalen', 'in delen'], ['regeling', 'betalingsregeling']),
  ...kw('arrangement', 'en', ['payment plan', 'installment', 'installments', 'instalment', 'instalments'], ['arrangement']),
  // BEL: a callback. "bellen" alone is not one ("jullie bellen te vaak"): only with mij/me/terug.
  ...kw('callback', 'nl', ['bel', 'mij bellen', 'me bellen', 'terug bellen', 'gebeld worden', 'graag gebeld', 'teruggebeld', 'terugbelverzoek'], ['terugbellen']),
  ...kw('callback', 'en', ['call', 'call back', 'ring me', 'phone me'], ['callback']),
  ...kw('callback', undefined, ['bell']),
];

/**
 * "Stop" aimed at calls, not messages: an SMS opt-out would stop the wrong channel, so a
 * person handles it (the reply is flagged mentionsStop).
 */
export const CALL_STOP_PHRASES: readonly (readonly string[])[] = [
  'stop met bellen', 'stoppen met bellen', 'niet meer bellen', 'niet bellen', 'bel niet meer', 'bel me niet meer',
  'bel mij niet meer', 'stop calling', 'dont call', 'do not call',
].map((p) => p.split(' '));

/** Asking to be left alone: maybe an opt-out, maybe a complaint; a person decides (mentionsStop). */
export const LEAVE_ALONE_PHRASES: readonly (readonly string[])[] = [
  'laat me met rust', 'laat mij met rust', 'leave me alone',
].map((p) => p.split(' '));

/** Keyword words that here mean something else: the debtor will call us ("ik bel zelf wel"). */
export const OTHER_MEANING_PHRASES: readonly (readonly string[])[] = [
  'ik bel', 'ik zal bellen', 'i call', 'i will call', 'ill call', 'i ll call',
].map((p) => p.split(' '));

/** Sign-offs, read as courtesy before anything else ("STOP met vriendelijke groet" is a stop). */
export const COURTESY_PHRASES: readonly (readonly string[])[] = [
  'met vriendelijke groet', 'met vriendelijke groeten', 'vriendelijke groet', 'vriendelijke groeten', 'met groet',
  'kind regards', 'best regards', 'with regards', 'thank you',
].map((p) => p.split(' '));

/** What may follow "stop met" / "stoppen met" and still be about our messages. */
export const STOP_MET_OBJECTS = new Set(['sms', 'smsen', 'smsjes', 'berichten', 'sturen', 'smssen', 'appen', 'dit', 'deze', 'dat', 'die']);

/** Words that turn a keyword's meaning around ("ik heb niet betaald", "I haven't paid"). */
export const NEGATIONS = new Set([
  'niet', 'geen', 'nooit', 'noch', 'niks', 'niets',
  'not', 'never', 'dont', 'didnt', 'doesnt', 'havent', 'hasnt', 'hadnt', 'isnt', 'wasnt', 'arent', 'werent', 'wont',
  'cant', 'cannot', 'couldnt', 'shouldnt', 'neither', 'nor', 'nothing',
]);

/** A question about the claim is for a person ("waarom moet ik betalen?"). */
export const QUESTION_WORDS = new Set([
  'waarom', 'wat', 'hoe', 'wanneer', 'welke', 'wie', 'waar', 'hoeveel', 'why', 'what', 'how', 'when', 'which', 'who', 'where',
]);

/** Complaint markers: "jullie bellen steeds", "you call too often" are not requests. */
export const COMPLAINT_WORDS = new Set(['vaak', 'steeds', 'telkens', 'often', 'constantly']);

/**
 * Beside BETAALD these make it something other than "it is paid": a promise ("wordt morgen
 * betaald", "will be paid") or a part ("de helft betaald", "I paid half"). A person checks.
 */
export const PROMISE_WORDS = new Set([
  'zal', 'zullen', 'ga', 'gaat', 'gaan', 'word', 'wordt', 'will', 'shall', 'going', 'gonna', 'morgen', 'overmorgen', 'volgende',
  'straks', 'later', 'binnenkort', 'tomorrow', 'next', 'soon',
]);
export const PARTIAL_WORDS = new Set([
  'half', 'helft', 'deel', 'deels', 'gedeelte', 'gedeeltelijk', 'deelbetaling', 'part', 'partly', 'partially', 'partial', 'some',
]);

/**
 * Courtesy: never counts as an extra word, and may stand beside a misspelt keyword
 * ("regling aub").
 */
export const COURTESY = new Set([
  'hoi', 'hallo', 'hai', 'hey', 'hi', 'hello', 'dag', 'goedemorgen', 'goedemiddag', 'goedenavond', 'beste', 'geachte', 'dear',
  'aub', 'alstublieft', 'alsjeblieft', 'graag', 'please', 'pls', 'plz', 'svp', 'dank', 'dankje', 'dankjewel', 'bedankt',
  'thanks', 'thx', 'thank', 'mvg', 'groet', 'groeten', 'gr', 'regards', 'ok', 'oke', 'okay', 'ja', 'yes', 'yep', 'nee', 'no',
]);

/**
 * Little words that carry no intent: they do not count as extra words beside a keyword, but
 * a misspelt keyword must stand alone ("ik betaal" is "I pay", not BETAALD).
 */
export const GRAMMAR = new Set([
  'ik', 'i', 'me', 'mij', 'my', 'mijn', 'u', 'uw', 'je', 'jij', 'jullie', 'you', 'your', 'we', 'wij', 'it', 'its', 'het',
  'de', 'een', 'the', 'a', 'an', 'dit', 'dat', 'deze', 'die', 'this', 'that', 'is', 'was', 'ben', 'am', 'are', 'be', 'been',
  'heb', 'hebben', 'heeft', 'have', 'has', 'had', 'ive', 'al', 'reeds', 'already', 'wil', 'wilt', 'want', 'would', 'like',
  'zou', 'kan', 'kunt', 'can', 'could', 'word', 'wordt', 'worden', 'even', 'maar', 'just', 'dan', 'en', 'and', 'to', 'te',
  'op', 'om', 'over', 'voor', 'for', 'about', 'met', 'with', 'van', 'of', 'sms', 'smsje', 'smsjes', 'bericht', 'berichten',
  'message', 'messages', 'text', 'texts', 'meer', 'more', 'anymore', 'any', 'back', 'terug', 'nu', 'now', 'asap', 'er',
  'there', 'mee', 'ons', 'us', 'hun', 'hem', 'haar',
]);

/** Words that introduce a numbered choice: "optie 2", "keuze 1", "I choose 3". */
export const OPTION_WORDS = new Set(['optie', 'keuze', 'nummer', 'nr', 'kies', 'option', 'choice', 'number', 'no', 'choose']);

/** Real words one edit away from a fuzzy keyword; never read as a misspelling of it. */
export const NOT_TYPOS = new Set([
  'stap', 'step', 'shop', 'stom', 'slop', 'stok', 'stof', 'atop', 'top', 'sop', 'stoep',
  'pain', 'pair', 'said', 'raid', 'maid', 'laid', 'pad', 'pais', 'paix', 'aid',
]);

/** Common words to tell the language of a reply that has no keyword. */
export const LANGUAGE_HINTS: Record<ReplyLanguage, ReadonlySet<string>> = {
  nl: new Set([
    'ik', 'heb', 'niet', 'het', 'de', 'een', 'wat', 'waarom', 'ben', 'wil', 'moet', 'geen', 'maar', 'nog', 'al', 'dat', 'deze',
    'u', 'mij', 'jullie', 'en', 'van', 'op', 'voor', 'met', 'hoe', 'wanneer', 'graag', 'aub', 'dank', 'bedankt', 'nee', 'ja',
    'mijn', 'uw', 'kan', 'kunt', 'hebt', 'heeft', 'dit', 'zijn', 'ook', 'nooit', 'factuur', 'rekening', 'bedrag', 'geld',
  ]),
  en: new Set([
    'i', 'have', 'not', 'the', 'a', 'what', 'why', 'am', 'want', 'must', 'no', 'but', 'yet', 'already', 'that', 'this', 'you',
    'me', 'my', 'and', 'of', 'on', 'for', 'with', 'how', 'when', 'please', 'thanks', 'thank', 'yes', 'your', 'can', 'has',
    'is', 'are', 'it', 'its', 'dont', 'never', 'invoice', 'bill', 'amount', 'money', 'owe', 'do', 'did', 'havent', 'ive',
  ]),
};
