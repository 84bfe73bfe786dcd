import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { toneTake } from '../helpers/recordings.ts';
import { parseWavHeader } from '../../src/tts/wav.ts';

const takes = mkdtempSync(join(tmpdir(), 'bereik-takes-'));

type Part = { source: 'recording' | 'tts'; key?: string; text: string; durationMs?: number };

test('the operator hears every prompt as the debtor will: the parts in order, and one WAV of them', { timeout: 60_000 }, async (t) => {
  const h = await startTestApp({ config: { tts: { engine: 'silent' } } });
  t.after(() => h.close());
  // The sample case owes 1234,56 euro by 31 December 2026 on invoice 2026001.
  const words = ['0', '1', '2', '4', '6', '12', '20', '30', '50', '100', '1000', 'and', 'euro', 'cent', 'month-12'].map((w) => `word.${w}`);
  for (const [i, key] of [...[0, 1, 2, 3, 4].map((n) => `claim_message.${n}`), ...words].entries()) {
    const res = await h.api(`/recordings/nl/${key}`, { method: 'PUT', body: readFileSync(toneTake(takes, key, { seconds: 0.3, hz: 200 + 30 * i })), headers: { 'content-type': 'audio/wav' }, role: 'admin' });
    assert.equal(res.status, 201, key);
  }

  const preview = (await (await h.api('/recordings/nl/preview')).json()) as { version: number; prompts: Array<{ key: string; parts: Part[]; wav: string }> };
  assert.equal(preview.version, 20);
  const claim = preview.prompts.find((p) => p.key === 'claim_message')!;
  const label = (p: Part) => (p.source === 'recording' ? p.key : `tts: ${p.text}`);
  const w = (...n: string[]) => n.map((x) => `word.${x}`);
  assert.deepEqual(claim.parts.map(label), [
    'claim_message.0', 'tts: Energie Noord',
    'claim_message.1', ...w('2', '0', '2', '6', '0', '0', '1'),
    'claim_message.2', ...w('12', '100', '4', 'and', '30', 'euro', 'and', '6', 'and', '50', 'cent'),
    'claim_message.3', ...w('1', 'and', '30', 'month-12', '2', '1000', '6', 'and', '20'),
    'claim_message.4',
  ]);
  const goodbye = preview.prompts.find((p) => p.key === 'goodbye')!;
  assert.deepEqual(goodbye.parts, [{ source: 'tts', text: 'Dank u wel voor uw tijd. Tot ziens.' }], 'a prompt without recordings is synthesised');
  assert.equal(preview.prompts.length, 27, 'every prompt, the recording notice too');

  const wav = await h.api(claim.wav);
  assert.equal(wav.status, 200);
  assert.equal(wav.headers.get('content-type'), 'audio/wav');
  const info = parseWavHeader(Buffer.from(await wav.arrayBuffer()));
  const recorded = claim.parts.reduce((sum, p) => sum + (p.durationMs ?? 0), 0);
  // Takes in a row are one file: piece 0, the synthesised creditor, then every other part recorded.
  assert.equal(wav.headers.get('x-bereik-parts'), '3');
  assert.deepEqual([info.sampleRate, info.channels], [8000, 1]);
  assert.ok(info.durationMs > recorded && info.durationMs < recorded + 3000, `the recorded parts (${recorded} ms) and the synthesised name: ${info.durationMs} ms`);
});
