import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFIRMATIONS, PROMISE_CONFIRMATIONS } from '../../src/messaging/replies/confirmations.ts';
import { SMS_TEMPLATES } from '../../src/messaging/templates/sms.ts';

const doc = readFileSync(new URL('../../docs/messaging-replies.md', import.meta.url), 'utf8');

test('docs/messaging-replies.md shows every SMS text exactly as Bereik sends it', () => {
  for (const lang of ['nl', 'en'] as const) {
    for (const [intent, text] of Object.entries(CONFIRMATIONS[lang])) assert.ok(doc.includes(text), `confirmation ${intent} (${lang}): ${text}`);
    assert.ok(doc.includes(PROMISE_CONFIRMATIONS[lang]), `confirmation promise (${lang})`);
    for (const [key, text] of Object.entries(SMS_TEMPLATES[lang])) assert.ok(doc.includes(text.replaceAll('\n', '\\n')), `template ${key} (${lang})`);
  }
});
