import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SilentTts } from '../../src/tts/silent.ts';
import { prewarmPrompts } from '../../src/tts/prewarm.ts';
import { loadPrompts } from '../../src/tts/prompts.ts';

const dir = mkdtempSync(join(tmpdir(), 'bereik-prewarm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('campaign start renders the static prompts so the first call finds them cached', async () => {
  const tts = new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const catalog = loadPrompts();
  const vars = { callerName: 'Bereik', callbackNumber: '+31201234567' };
  const result = await prewarmPrompts(tts, { lang: 'nl', vars, menus: [['paylink', 'repeat'], ['paylink', 'agent', 'dispute', 'repeat']], catalog });
  assert.deepEqual(result.failed, []);
  for (const key of ['abandoned_info', 'voicemail', 'goodbye', 'invalid_choice', 'transfer_wait'] as const) {
    assert.ok(result.rendered.includes(key), key);
  }
  assert.ok(!result.rendered.includes('claim_message'), 'per-debtor prompts wait for the call');
  assert.equal(result.menus, 2);
  const files = readdirSync(dir).length;
  // What a call says when nobody is free: already on disk.
  await tts.render(catalog.render('abandoned_info', 'nl', vars), 'nl');
  await tts.render(catalog.menuText(['paylink', 'repeat'], 'nl'), 'nl');
  assert.equal(readdirSync(dir).length, files);
});
