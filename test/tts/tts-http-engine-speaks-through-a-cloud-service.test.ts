import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpTts, type HttpPresetName } from '../../src/tts/http.ts';
import { startSimTtsEndpoint, type SimTtsEndpoint } from '../../src/sim/tts-endpoint.ts';
import { parseWavHeader } from '../../src/tts/wav.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { signV4 } from '../../src/tts/sigv4.ts';
import { pollyRegion } from '../../src/tts/http-presets.ts';

// Polly's form, ACCESS_KEY_ID:SECRET; the other presets send it as it is.
const KEY = 'AKIDSIM:sim-secret-123';
const dir = mkdtempSync(join(tmpdir(), 'bereik-http-tts-'));
let sim: SimTtsEndpoint;
before(async () => void (sim = await startSimTtsEndpoint({ key: KEY })));
after(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const PATHS: Record<HttpPresetName, string> = { google: '/v1/text:synthesize', azure: '/cognitiveservices/v1', polly: '/v1/speech', generic: '/tts' };
const VOICES: Record<HttpPresetName, { nl: string; en: string }> = {
  google: { nl: 'nl-NL-Wavenet-B', en: 'en-GB-Wavenet-A' },
  azure: { nl: 'nl-NL-FennaNeural', en: 'en-GB-SoniaNeural' },
  polly: { nl: 'Laura:neural', en: 'Amy' },
  generic: { nl: 'dutch-female', en: 'english-female' },
};
function engine(preset: HttpPresetName, extra: Partial<ConstructorParameters<typeof HttpTts>[0]> = {}) {
  const cacheDir = mkdtempSync(join(dir, `${preset}-`));
  return new HttpTts({ cacheDir, delivery: 'file', asteriskPath: '', publicUrl: '', preset, url: sim.url + PATHS[preset], voices: VOICES[preset], key: KEY, timeoutMs: 2000, retries: 2, perSecond: 100, retryBaseMs: 20, ...extra });
}
const wavOf = (media: string) => parseWavHeader(readFileSync(media.slice('sound:'.length) + '.wav'));

for (const preset of ['google', 'azure', 'polly', 'generic'] as const) {
  test(`${preset}: the service's audio is cached as 8 kHz mono 16-bit WAV, asked for once, in the language's voice`, async () => {
    const tts = engine(preset);
    const before = sim.requests.length;
    const text = 'Spreek ik met Jan & Marie de Vries? Toets 1.'; // 44 characters: 3.1 s in the simulator
    const out = await tts.render(text, 'nl');
    assert.deepEqual({ ...wavOf(out.media), durationMs: 0 }, { sampleRate: 8000, channels: 1, bitsPerSample: 16, durationMs: 0 });
    assert.ok(Math.abs(out.durationMs - 3143) < 20, `${out.durationMs} ms`);
    await tts.render(text, 'nl');
    const seen = sim.requests.slice(before);
    assert.equal(seen.length, 1, 'the second time is a cache hit');
    assert.deepEqual({ preset: seen[0]!.preset, text: seen[0]!.text, voice: seen[0]!.voice, status: seen[0]!.status }, { preset, text, voice: VOICES[preset].nl, status: 200 });
  });
}

test('a 429 and a 500 are retried with backoff, and the prompt still comes', async () => {
  const tts = engine('google');
  const before = sim.requests.length;
  sim.inject({ kind: 'status', status: 429, retryAfterSec: 0 }, { kind: 'status', status: 500 });
  const out = await tts.render('Na twee keer proberen.', 'nl');
  assert.ok(out.durationMs > 0);
  assert.deepEqual(sim.requests.slice(before).map((r) => r.status), [429, 500, 200]);
});

test('a service that keeps refusing fails with TTS_FAILED naming the status, after the retries, without the key', async () => {
  const tts = engine('generic', { retries: 2 });
  const before = sim.requests.length;
  sim.always({ kind: 'status', status: 503 });
  try {
    await assert.rejects(tts.render('Hallo', 'nl'), (err: Error) => isBereikError(err, 'TTS_FAILED') && /HTTP 503/.test(err.message) && !err.message.includes(KEY));
  } finally {
    sim.always(undefined);
  }
  assert.equal(sim.requests.length - before, 3, 'one try and two retries');
});

test('a wrong key is not retried, and the error says what the service said', async () => {
  const tts = engine('azure', { key: 'wrong' });
  const before = sim.requests.length;
  await assert.rejects(tts.render('Hallo', 'nl'), (err: Error) => isBereikError(err, 'TTS_FAILED') && /HTTP 401: bad key/.test(err.message));
  assert.equal(sim.requests.length - before, 1);
});

test('an answer that is not audio fails the render and leaves nothing in the cache', async () => {
  const tts = engine('generic');
  sim.inject({ kind: 'garbage' });
  await assert.rejects(tts.render('Geen geluid', 'nl'), (err: Error) => isBereikError(err, 'TTS_FAILED'));
  const cacheDir = (tts as unknown as { media: { cacheDir: string } }).media.cacheDir;
  assert.deepEqual(readdirSync(cacheDir), []);
});

test('the per-second budget spaces requests: 12 different prompts at 10 a second take over a second', async () => {
  const tts = engine('generic', { perSecond: 10 });
  const before = sim.requests.length;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 12 }, (_, i) => tts.render(`Bericht nummer ${i}`, 'nl')));
  assert.ok(performance.now() - t0 >= 1000, `took ${performance.now() - t0} ms`);
  const at = sim.requests.slice(before).map((r) => r.at).sort((a, b) => a - b);
  for (let i = 0; i + 10 < at.length; i++) assert.ok(at[i + 10]! - at[i]! >= 950, 'never 11 requests within one second');
});

test('polly: requests are signed with AWS SigV4 (the AWS test suite\'s get-vanilla case), and a wrong secret is refused', async () => {
  const vanilla = signV4({ method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service', now: new Date('2015-08-30T12:36:00Z') });
  assert.equal(vanilla.authorization, 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  assert.equal(vanilla['x-amz-date'], '20150830T123600Z');
  assert.equal(pollyRegion(new URL('https://polly.eu-west-1.amazonaws.com/v1/speech')), 'eu-west-1', 'signed for the region the endpoint names');
  const wrong = engine('polly', { key: 'AKIDSIM:not-the-secret' });
  await assert.rejects(wrong.render('Hallo', 'nl'), (err: Error) => isBereikError(err, 'TTS_FAILED') && /HTTP 401/.test(err.message) && !err.message.includes('not-the-secret'));
});
