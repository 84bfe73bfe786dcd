import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SilentTts, estimateDurationMs } from '../../src/tts/silent.ts';
import { createTts } from '../../src/tts/create.ts';
import { parseWavHeader } from '../../src/tts/wav.ts';
import { loadConfig } from '../../src/config/load.ts';
import { isBereikError } from '../../src/lib/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'bereik-silent-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('without espeak-ng, prompts are silent audio as long as the text would take to say', async () => {
  const tts = new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const text = 'x'.repeat(70);
  const out = await tts.render(text, 'nl');
  assert.equal(out.durationMs, 5000, '70 characters at 14 per second');
  const info = parseWavHeader(readFileSync(out.media.slice('sound:'.length) + '.wav'));
  assert.deepEqual(info, { sampleRate: 8000, channels: 1, bitsPerSample: 16, durationMs: 5000 });
  assert.equal(estimateDurationMs('Ja.'), 500, 'never shorter than half a second');
});

test('empty text is refused with TTS_FAILED', async () => {
  const tts = new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  await assert.rejects(tts.render('  ', 'nl'), (err) => isBereikError(err, 'TTS_FAILED'));
});

test('tts.engine espeak on a machine without espeak-ng stops the start and says how to fix it', () => {
  const config = loadConfig({}, { tts: { engine: 'espeak', cacheDir: dir } });
  const path = process.env.PATH;
  process.env.PATH = join(dir, 'no-such-bin');
  try {
    assert.throws(
      () => createTts(config),
      (err: Error) => isBereikError(err, 'TTS_FAILED') && /apt-get install espeak-ng sox/.test(err.message) && /BEREIK_TTS_ENGINE=silent/.test(err.message),
    );
  } finally {
    process.env.PATH = path;
  }
  const silent = createTts(loadConfig({}, { tts: { engine: 'silent', cacheDir: dir } }));
  assert.ok(silent instanceof SilentTts);
});
