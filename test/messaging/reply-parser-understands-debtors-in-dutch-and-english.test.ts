import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReply, withinOneEdit, type ParsedReply, type ReplyOption } from '../../src/messaging/replies/parse.ts';

type Row = [text: string, intent: ParsedReply['intent'], language?: 'nl' | 'en' | '-', more?: Partial<ParsedReply>];

/** Replies to a message without numbered options. language '-' means "not clear": none given. */
const ROWS: Row[] = [
  // Says it is paid
  ['BETAALD', 'paid', 'nl'],
  ['betaald', 'paid', 'nl'],
  ['Betáald!!', 'paid', 'nl'],
  ['BETAALD.', 'paid', 'nl'],
  ['Al betaald', 'paid', 'nl'],
  ['is betaald', 'paid', 'nl'],
  ['Ik heb al betaald', 'paid', 'nl'],
  ['Nee, ik heb het gisteren al betaald!', 'paid', 'nl'],
  ['Heb het vorige week overgemaakt', 'paid', 'nl'],
  ['Betaald 👍', 'paid', 'nl'],
  ['Reeds voldaan, mvg', 'paid', 'nl'],
  ['Hoi, ik heb de factuur al betaald op 1 december. Groet, Piet', 'paid', 'nl'],
  ['betaald ✅ fijne dag', 'paid', 'nl'],
  ['PAID', 'paid', 'en'],
  ['Already paid', 'paid', 'en'],
  ['I’ve paid it yesterday', 'paid', 'en'],
  ['It has been paid, thanks', 'paid', 'en'],
  // Misspellings of single keywords
  ['BETAAL', 'paid', 'nl', { confidence: 0.7 }],
  ['betaalt', 'paid', 'nl', { confidence: 0.7 }],
  ['BETAALDT', 'paid', 'nl'],
  ['betald!', 'paid', 'nl'],
  ['PAYED', 'paid', 'en'],
  ['payd', 'paid', 'en'],
  ['REGLING', 'arrangement', 'nl'],
  ['regelin aub', 'arrangement', 'nl'],
  ['ARANGEMENT', 'arrangement', 'en'],
  ['arrangment please', 'arrangement', 'en'],
  ['BELL', 'callback', '-'],
  ['BEL MY', 'callback', 'nl'],
  ['STPO', 'stop', '-'],
  ['STOPP', 'stop', '-'],
  ['STOOOOP', 'stop', '-'],
  ['S T O P', 'stop', '-'],
  ['betaaaald!', 'paid', 'nl'],
  ['afmeldn', 'stop', 'nl'],
  ['unsubscibe', 'stop', 'en'],
  // Arrangement
  ['REGELING', 'arrangement', 'nl'],
  ['Ik wil graag een betalingsregeling', 'arrangement', 'nl'],
  ['Kan ik in termijnen betalen?', 'arrangement', 'nl'],
  ['Kan dit in delen?', 'arrangement', 'nl'],
  ['regeling graag, bel me maar', 'arrangement', 'nl'],
  ['ARRANGEMENT', 'arrangement', 'en'],
  ['Can I get a payment plan?', 'arrangement', 'en'],
  ['pay in installments please', 'arrangement', 'en'],
  // Callback
  ['BEL', 'callback', 'nl'],
  ['Bel mij', 'callback', 'nl'],
  ['bel me terug aub', 'callback', 'nl'],
  ['Graag teruggebeld', 'callback', 'nl'],
  ['Kunt u mij bellen?', 'callback', 'nl'],
  ['Bel me op 0612345678', 'callback', 'nl'],
  ['Bel mij maar na 18.00 uur', 'callback', 'nl'],
  ['Mag ik gebeld worden?', 'callback', 'nl'],
  ['CALL', 'callback', 'en'],
  ['Call me', 'callback', 'en'],
  ['Please call me back asap', 'callback', 'en'],
  // Stop: an opt-out must work
  ['STOP', 'stop', '-'],
  [' stop. ', 'stop', '-'],
  ['Stop!!!', 'stop', '-'],
  ['stop sms', 'stop', '-'],
  ['STOP alstublieft', 'stop', '-'],
  ['Afmelden', 'stop', 'nl'],
  ['uitschrijven aub', 'stop', 'nl'],
  ['Geen sms meer aub', 'stop', 'nl'],
  ['Ik wil stoppen', 'stop', 'nl'],
  ['Hou op!', 'stop', 'nl'],
  ['stop met die smsjes', 'stop', 'nl'],
  ['BETAALD STOP', 'stop', 'nl'],
  ['Unsubscribe', 'stop', 'en'],
  ['No more texts please', 'stop', 'en'],
  ['Don’t text me', 'stop', 'en'],
  ['STOP STOP STOP 😡', 'stop', '-'],
  ['Ik betaal niet, stop', 'stop', 'nl'],
  ['STOP met vriendelijke groet', 'stop', '-'],
  ['Stop. Met groet, J. de Vries', 'stop', 'nl'],
  ['Hoe kan ik me afmelden?', 'stop', 'nl'],
  // A keyword inside a sentence that means something else: a person reads it
  ['ik heb niet betaald', 'free_text', 'nl', { reason: 'negation' }],
  ['Ik heb nog NIET betaald', 'free_text', 'nl', { reason: 'negation' }],
  ['I have not paid', 'free_text', 'en', { reason: 'negation' }],
  ['I haven’t paid yet', 'free_text', 'en', { reason: 'negation' }],
  ['niet stoppen', 'free_text', 'nl', { reason: 'negation', mentionsStop: true }],
  ['Nee, niet meer stoppen met die herinneringen', 'free_text', 'nl', { reason: 'negation', mentionsStop: true }],
  ['please don’t stop', 'free_text', 'en', { reason: 'negation', mentionsStop: true }],
  ['Bel me niet', 'free_text', 'nl', { reason: 'negation' }],
  ['geen regeling nodig', 'free_text', 'nl', { reason: 'negation' }],
  ['waarom moet ik betalen?', 'free_text', 'nl', { reason: 'no_keyword' }],
  ['Is het al betaald?', 'free_text', 'nl', { reason: 'question' }],
  ['paid?', 'free_text', 'en', { reason: 'question' }],
  ['Waarom bel je mij?', 'free_text', 'nl', { reason: 'question' }],
  ['Why do you call me', 'free_text', 'en', { reason: 'question' }],
  ['jullie bellen steeds, bel niet meer', 'free_text', 'nl', { reason: 'stop_calls', mentionsStop: true }],
  ['ik betaal morgen', 'free_text', 'nl', { reason: 'no_keyword' }],
  ['Wordt morgen betaald', 'free_text', 'nl', { reason: 'promise' }],
  ['It will be paid next week', 'free_text', 'en', { reason: 'promise' }],
  ['Ik heb de helft betaald', 'free_text', 'nl', { reason: 'partial' }],
  ['I paid half', 'free_text', 'en', { reason: 'partial' }],
  ['Bedankt, ik bel zelf wel', 'free_text', 'nl', { reason: 'other_meaning' }],
  ["I'll call you tomorrow", 'free_text', 'en', { reason: 'other_meaning' }],
  ['Ik wil stoppen met betalen', 'free_text', 'nl', { reason: 'stop_other', mentionsStop: true }],
  ['Stop met bellen!', 'free_text', '-', { reason: 'stop_calls', mentionsStop: true }],
  ['Don’t call me again', 'free_text', 'en', { reason: 'stop_calls', mentionsStop: true }],
  ['Laat me met rust!', 'free_text', '-', { reason: 'stop_other', mentionsStop: true }],
  ['betaald, maar wil ook een regeling voor de andere', 'free_text', 'nl', { reason: 'conflict' }],
  ['stap', 'free_text', '-', { reason: 'no_keyword' }],
  ['pain', 'free_text', '-', { reason: 'no_keyword' }],
  [
    'Ik ben het hier helemaal niet mee eens, ik heb deze factuur nooit ontvangen en ik wil dat jullie STOPPEN met dit soort berichten totdat het is uitgezocht',
    'free_text', 'nl', { mentionsStop: true },
  ],
  ['Ik heb de rekening vorige maand via de bank aan de verhuurder al betaald dacht ik', 'free_text', 'nl', { reason: 'too_long' }],
  ['Wie bent u?', 'free_text', 'nl', { reason: 'no_keyword' }],
  ['Wrong number, I am not Jan', 'free_text', 'en', { reason: 'no_keyword' }],
  ['OK', 'free_text', '-', { reason: 'no_keyword' }],
  // A digit without offered options is free text
  ['1', 'free_text', '-', { digit: '1', reason: 'no_options_offered' }],
  // Nothing to read
  ['', 'free_text', '-', { empty: true, reason: 'empty' }],
  ['   \n\t ', 'free_text', '-', { empty: true }],
  ['🙏🙏', 'free_text', '-', { empty: true }],
  ['?!', 'free_text', '-', { empty: true }],
];

test('replies in Dutch and English are read as the debtor meant them', () => {
  assert.ok(ROWS.length >= 60, `${ROWS.length} rows`);
  const wrong: string[] = [];
  for (const [text, intent, language, more] of ROWS) {
    const got = parseReply(text);
    const expected: Partial<ParsedReply> = { intent, ...more };
    const problems = Object.entries(expected).filter(([k, v]) => got[k as keyof ParsedReply] !== v);
    if (language && (language === '-' ? got.language !== undefined : got.language !== language)) problems.push(['language', language]);
    if (problems.length) wrong.push(`${JSON.stringify(text)} → ${JSON.stringify(got)}; expected ${JSON.stringify({ ...expected, language })}`);
  }
  assert.deepEqual(wrong, []);
});

const OFFERED: ReplyOption[] = [
  { digit: '1', intent: 'paid' },
  { digit: '2', intent: 'arrangement' },
  { digit: '3', intent: 'callback' },
];

test('a number answers the numbered options the message offered', () => {
  const rows: [string, Partial<ParsedReply>][] = [
    ['1', { intent: 'option', digit: '1', option: 'paid', confidence: 1 }],
    [' 2. ', { intent: 'option', digit: '2', option: 'arrangement' }],
    ['optie 3', { intent: 'option', digit: '3', option: 'callback' }],
    ['Keuze 2 graag', { intent: 'option', digit: '2', option: 'arrangement' }],
    ['I choose 1', { intent: 'option', digit: '1', option: 'paid' }],
    ['1️⃣', { intent: 'option', digit: '1', option: 'paid' }],
    ['02', { intent: 'option', digit: '2', option: 'arrangement' }],
    ['5', { intent: 'free_text', digit: '5', reason: 'option_not_offered' }],
    ['0612345678', { intent: 'free_text', reason: 'no_keyword' }],
    ['2 maar pas volgende maand', { intent: 'free_text' }],
    // STOP works whatever was offered
    ['STOP', { intent: 'stop' }],
    ['BETAALD', { intent: 'paid' }],
  ];
  for (const [text, expected] of rows) {
    const got = parseReply(text, { options: OFFERED });
    for (const [k, v] of Object.entries(expected)) assert.equal(got[k as keyof ParsedReply], v, `${JSON.stringify(text)}: ${k} in ${JSON.stringify(got)}`);
  }
});

test('normalized shows the text as the parser read it', () => {
  assert.equal(parseReply('  Betáald!!  Dank U ').normalized, 'betaald dank u');
  assert.equal(parseReply("I've  PAID.").normalized, 'ive paid');
});

test('a 2,000-character message is read (no runaway pattern) and goes to a person', () => {
  const long = 'Ik heb al betaald maar jullie blijven maar sturen, stop hier nou eens mee! '.repeat(27).slice(0, 2000);
  assert.equal(long.length, 2000);
  const got = parseReply(long);
  assert.equal(got.intent, 'free_text');
  assert.equal(got.mentionsStop, true);
  const noSpaces = 'a'.repeat(1999) + '!';
  assert.equal(parseReply(noSpaces).intent, 'free_text');
  const punctuation = '!?. '.repeat(500);
  assert.equal(parseReply(punctuation).empty, true);
});

test('one edit means one insertion, deletion, substitution or swap of neighbours', () => {
  const near = [['betaald', 'betaal'], ['betaald', 'betaaldt'], ['stop', 'stpo'], ['stop', 'stop'], ['paid', 'paed']];
  const far = [['stop', 'tsop2'], ['paid', 'payed'], ['regeling', 'reglign'], ['stop', 'st']];
  for (const [a, b] of near) assert.equal(withinOneEdit(a!, b!), true, `${a} ~ ${b}`);
  for (const [a, b] of far) assert.equal(withinOneEdit(a!, b!), false, `${a} !~ ${b}`);
});
