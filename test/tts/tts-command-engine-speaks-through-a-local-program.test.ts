import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CommandTts } from '../../src/tts/command.ts';
import { parseWavHeader } from '../../src/tts/wav.ts';
import { isBereikError } from '../../src/lib/errors.ts';

const fixtures = resolve('test/fixtures/tts');
const dir = mkdtempSync(join(tmpdir(), 'bereik-command-tts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const media = { cacheDir: dir, delivery: 'file' as const, asteriskPath: '', publicUrl: '' };
const voices = { nl: join(fixtures, 'voice-nl.onnx'), en: join(fixtures, 'voice-nl.onnx') };
const wavOf = (media: string) => parseWavHeader(readFileSync(media.slice('sound:'.length) + '.wav'));

test('a local TTS program (text on stdin, voice model file) gives cached 8 kHz mono audio as long as it spoke', async () => {
  const tts = new CommandTts({ ...media, voices, timeoutMs: 10_000, argv: [join(fixtures, 'speak-tone.sh'), '--voice', '{voice}', '--out', '{out}'] });
  const text = 'Spreek ik met Jan de Vries? Toets 1 voor ja.'; // 44 characters: about 3.1 s at 14 a second
  const out = await tts.render(text, 'nl');
  assert.deepEqual({ ...wavOf(out.media), durationMs: 0 }, { sampleRate: 8000, channels: 1, bitsPerSample: 16, durationMs: 0 }, 'the 22 kHz program output is converted');
  assert.ok(Math.abs(out.durationMs - 3143) < 20, `about 3.1 s of audio, got ${out.durationMs} ms`);
  const again = await tts.render(text, 'nl');
  assert.equal(again.media, out.media, 'the same text is the same cached file');
  assert.deepEqual(readdirSync(dir).filter((f) => !/^[0-9a-f]{64}\.wav$/.test(f)), [], 'no temporary files left behind');
});

test('the text may go in a file ({textFile}) and the audio come out on stdout (no {out})', async () => {
  const tts = new CommandTts({ ...media, voices, timeoutMs: 10_000, argv: [join(fixtures, 'speak-tone.sh'), '--text-file', '{textFile}', '--voice', '{voice}'] });
  const out = await tts.render('Dit is een bericht van Bereik, zevenentwintig tekens.', 'nl');
  assert.ok(out.durationMs > 3000, `got ${out.durationMs} ms`);
  assert.equal(wavOf(out.media).sampleRate, 8000);
});

test('a program that hangs is killed with its children after the timeout, and the error says so', async () => {
  const pidFile = join(dir, 'child.pid');
  const tts = new CommandTts({ ...media, voices, timeoutMs: 300, argv: [join(fixtures, 'hang.sh'), pidFile] });
  const t0 = Date.now();
  await assert.rejects(tts.render('Hallo', 'nl'), (err: Error) => isBereikError(err, 'TTS_FAILED') && /within 300 ms and was killed/.test(err.message) && /loading model/.test(err.message));
  assert.ok(Date.now() - t0 < 5000, 'gave up at the timeout, not after the program');
  const child = Number(readFileSync(pidFile, 'utf8'));
  await new Promise((r) => setTimeout(r, 100));
  // Gone, or a zombie waiting for whoever adopted it to reap it: either way no longer running.
  const state = existsSync(`/proc/${child}/stat`) ? readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]![0] : 'gone';
  assert.ok(state === 'gone' || state === 'Z', `the program's child (sleep 60) is not running, state ${state}`);
});

test('a program that fails shows its last stderr lines in the error, never the text even when it echoes it', async () => {
  const tts = new CommandTts({ ...media, voices, timeoutMs: 10_000, argv: [join(fixtures, 'fail.sh')] });
  await assert.rejects(tts.render('Jan de Vries, 1234 euro', 'nl'), (err: Error) => {
    assert.ok(isBereikError(err, 'TTS_FAILED'));
    assert.match(err.message, /exit 2/);
    assert.match(err.message, /voice model nl_NL-mls-medium\.onnx is corrupt/);
    assert.doesNotMatch(err.message, /Jan de Vries/);
    return true;
  });
  const missing = new CommandTts({ ...media, voices: { nl: join(dir, 'gone.onnx'), en: '' }, timeoutMs: 10_000, argv: [join(fixtures, 'speak-tone.sh'), '--voice', '{voice}', '--out', '{out}'] });
  await assert.rejects(missing.render('Hallo', 'nl'), /voice model '.*gone\.onnx' not found/);
  assert.equal(existsSync(join(dir, 'gone.onnx')), false);
});
