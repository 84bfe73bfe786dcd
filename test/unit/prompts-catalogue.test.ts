import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrompts, DEFAULT_PROMPTS_DIR, LANGUAGES, MENU_DIGITS } from '../../src/tts/prompts.ts';
import { PROMPT_KEYS } from '../../src/tts/types.ts';
import { isBereikError } from '../../src/lib/errors.ts';

const VARS = {
  callerName: 'Bereik',
  debtorName: 'J. Jansen',
  creditor: 'Energie Zuid',
  amountCents: 123456,
  dueDate: '2026-12-31',
  invoiceRef: 'F2026-001',
  callbackNumber: '+31201234567',
  risk: 'high',
  pressed: 'regeling',
  otherCount: 2,
  otherCents: 45_000,
};

test('every prompt renders in every language without a leftover placeholder', () => {
  const catalog = loadPrompts();
  for (const lang of LANGUAGES) {
    for (const key of PROMPT_KEYS) {
      const vars = key === 'menu' ? { ...VARS, options: 'x' } : key.startsWith('menu_option_') ? { ...VARS, digit: '1' } : VARS;
      const text = catalog.render(key, lang, vars);
      assert.ok(text.length > 0, `${lang} ${key}`);
      assert.doesNotMatch(text, /[{}]/, `${lang} ${key}: ${text}`);
    }
  }
});

test('the claim message says the amount and due date in words and spells the invoice', () => {
  const catalog = loadPrompts();
  const nl = catalog.render('claim_message', 'nl', VARS);
  assert.match(nl, /Energie Zuid/);
  assert.match(nl, /twaalfhonderdvierendertig euro en zesenvijftig cent/);
  assert.match(nl, /eenendertig december tweeduizend zesentwintig/);
  assert.match(nl, /F 2 0 2 6, streepje, 0 0 1/);
  const en = catalog.render('claim_message', 'en', VARS);
  assert.match(en, /one thousand two hundred thirty-four euros and fifty-six cents/);
  assert.match(en, /31 December 2026/);
});

test('the agent whisper is short: name, the amount in whole euros, risk and why, no cents or key presses', () => {
  const catalog = loadPrompts();
  assert.equal(catalog.render('agent_whisper', 'nl', { ...VARS, amountCents: 123456, pressed: 'terugbeller' }), 'J. Jansen. twaalfhonderdvijfendertig euro. Risico hoog. terugbeller.');
  assert.equal(catalog.render('agent_whisper', 'en', { ...VARS, amountCents: 123449, pressed: 'calling back' }), 'J. Jansen. one thousand two hundred thirty-four euros. Risk high. calling back.');
});

test('the menu offers only the options the segment allows, with their keys', () => {
  const catalog = loadPrompts();
  const small = catalog.menuText(['paylink', 'repeat'], 'nl');
  assert.match(small, /Toets 1 voor een betaallink/);
  assert.match(small, /Toets 9 om dit bericht/);
  assert.doesNotMatch(small, /medewerker/);
  const full = catalog.menuText(['paylink', 'agent', 'dispute', 'repeat'], 'en');
  for (const digit of Object.values(MENU_DIGITS)) assert.match(full, new RegExp(`Press ${digit} `));
});

// Regulation F's limited-content message and Ofcom's abandoned-call message: who called,
// a number to call back, a request to call; no creditor, no amount, no debt words.
const LIMITED = ['voicemail', 'abandoned_info', 'identity_check', 'identity_not_confirmed'] as const;
const FORBIDDEN = /schuld|incasso|vordering|\bdebt|collection|energie zuid|1234|twaalfhonderd|thousand|euro|cent|F 2 0 2 6|december/i;

test('limited-content prompts never reveal the creditor, the amount or the debt', () => {
  const catalog = loadPrompts();
  for (const lang of LANGUAGES) {
    for (const key of LIMITED) {
      const text = catalog.render(key, lang, { ...VARS, callerName: 'Bereik Incasso B.V.' });
      assert.doesNotMatch(text, FORBIDDEN, `${lang} ${key}: ${text}`);
    }
    const voicemail = catalog.render('voicemail', lang, VARS);
    assert.match(voicemail, /Bereik/, 'says who called');
    assert.match(voicemail, /0 2 0, 1 2 3, 4 5 6 7/, 'says the number to call back');
  }
});

function withEdited(edit: (nl: Record<string, string>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-prompts-'));
  for (const lang of LANGUAGES) {
    const data = JSON.parse(readFileSync(join(DEFAULT_PROMPTS_DIR, `${lang}.json`), 'utf8')) as Record<string, string>;
    if (lang === 'nl') edit(data);
    writeFileSync(join(dir, `${lang}.json`), JSON.stringify(data));
  }
  return dir;
}

function loadError(edit: (nl: Record<string, string>) => void): string {
  const dir = withEdited(edit);
  try {
    loadPrompts(dir);
  } catch (err) {
    assert.ok(isBereikError(err, 'PROMPT_INVALID'));
    return (err as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.fail('loading should have failed');
}

test('an operator editing prompts gets an error naming the file, key and placeholder', () => {
  let msg = loadError((nl) => delete nl.goodbye);
  assert.match(msg, /nl\.json, key "goodbye": missing/);
  msg = loadError((nl) => (nl.claim_message = 'Het bedrag is {amount}.'));
  assert.match(msg, /nl\.json, key "claim_message": unknown placeholder \{amount\}/);
  msg = loadError((nl) => (nl.claim_message = 'Het bedrag is {amountCents|date}.'));
  assert.match(msg, /key "claim_message": placeholder \{amountCents\|date\}/);
  msg = loadError((nl) => (nl.goodby = 'Dag'));
  assert.match(msg, /unknown key "goodby"/);
  msg = loadError((nl) => (nl.menu_option_agent = 'Toets 2 voor een medewerker.'));
  assert.match(msg, /key "menu_option_agent": needs the placeholder \{digit\}/);
});

test('an operator cannot put claim details or debt words into a limited-content prompt', () => {
  let msg = loadError((nl) => (nl.voicemail = 'Bel ons over {amountCents|amount}: {callbackNumber|phone}.'));
  assert.match(msg, /key "voicemail": placeholder \{amountCents\} is not allowed here \(allowed: callerName, callbackNumber\)/);
  msg = loadError((nl) => (nl.abandoned_info = 'U werd gebeld over uw schuld. Bel {callbackNumber|phone}.'));
  assert.match(msg, /key "abandoned_info": a limited-content prompt may not say "schuld"/);
});

test('a prompt rendered without a value it needs fails with the key and placeholder named', () => {
  const catalog = loadPrompts();
  assert.throws(() => catalog.render('claim_message', 'nl', { ...VARS, amountCents: undefined }), (err: Error) => isBereikError(err, 'PROMPT_INVALID') && /claim_message.*\{amountCents\}/.test(err.message));
});

test('an operator can point Bereik at another prompts directory', () => {
  const dir = withEdited((nl) => (nl.goodbye = 'Fijne dag verder.'));
  try {
    assert.equal(loadPrompts(dir).render('goodbye', 'nl'), 'Fijne dag verder.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
