import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EspeakTts, missingEspeakTools } from '../../src/tts/espeak.ts';
import { parseWavHeader } from '../../src/tts/wav.ts';

const missing = missingEspeakTools();
const skip = missing.length ? `${missing.join(' and ')} not installed (apt-get install espeak-ng sox)` : false;
if (skip) console.log(`# skipping espeak tests: ${skip}`);

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function engine(sub: string, extra: Partial<ConstructorParameters<typeof EspeakTts>[0]> = {}): EspeakTts {
  return new EspeakTts({ cacheDir: join(dir, sub), delivery: 'file', asteriskPath: '', publicUrl: 'http://127.0.0.1:3000', voices: { nl: 'nl', en: 'en-gb' }, ...extra });
}

const TEXT = 'Er staat nog twaalfhonderdvierendertig euro en zesenvijftig cent open.';

test('espeak-ng renders an 8 kHz mono 16-bit WAV that Asterisk can play by path', { skip }, async () => {
  const tts = engine('a');
  const out = await tts.render(TEXT, 'nl');
  assert.match(out.media, new RegExp(`^sound:${join(dir, 'a')}/[0-9a-f]{64}$`), 'a path without extension');
  const wav = readFileSync(out.media.slice('sound:'.length) + '.wav');
  const info = parseWavHeader(wav);
  assert.equal(info.sampleRate, 8000);
  assert.equal(info.channels, 1);
  assert.equal(info.bitsPerSample, 16);
  assert.equal(out.durationMs, info.durationMs);
  // ~70 characters of Dutch at 150 words per minute: several seconds, not a blip or a minute.
  assert.ok(out.durationMs > 2000 && out.durationMs < 15000, `duration ${out.durationMs} ms`);
  assert.equal(out.text, TEXT);
});

test('the same text a second time comes from the cache: same media, no new file', { skip }, async () => {
  const tts = engine('b');
  const first = await tts.render(TEXT, 'nl');
  const file = first.media.slice('sound:'.length) + '.wav';
  const inode = statSync(file).ino;
  const again = await engine('b').render(TEXT, 'nl');
  assert.deepEqual(again, first);
  assert.deepEqual(readdirSync(join(dir, 'b')), [file.split('/').pop()]);
  assert.equal(statSync(file).ino, inode, 'not rewritten (a render writes a new file and renames it over)');
  const english = await tts.render(TEXT, 'en');
  assert.notEqual(english.media, first.media, 'another voice is another file');
});

test('many calls asking for the same prompt at once share one render and one file', { skip }, async () => {
  const tts = engine('c');
  const outs = await Promise.all(Array.from({ length: 6 }, () => tts.render('Een moment geduld alstublieft.', 'nl')));
  assert.equal(new Set(outs.map((o) => o.media)).size, 1);
  assert.equal(readdirSync(join(dir, 'c')).length, 1, 'one file, no temp files left behind');
});

test('Asterisk is given the cache path it sees, or a URL for http delivery', { skip }, async () => {
  const shared = await engine('d', { asteriskPath: '/var/spool/asterisk/bereik-tts/' }).render('Tot ziens.', 'nl');
  assert.match(shared.media, /^sound:\/var\/spool\/asterisk\/bereik-tts\/[0-9a-f]{64}$/);
  const http = await engine('d', { delivery: 'http', publicUrl: 'http://bereik.local:3000/' }).render('Tot ziens.', 'nl');
  assert.match(http.media, /^sound:http:\/\/bereik\.local:3000\/media\/tts\/[0-9a-f]{64}\.wav$/);
});

test('the agent whisper is spoken at the agent’s quicker pace: the same text is shorter, and cached apart', { skip }, async () => {
  const tts = engine('pace');
  const text = 'J. Jansen. twaalfhonderdvijfendertig euro. Risico hoog. terugbeller.';
  const debtor = await tts.render(text, 'nl');
  const agent = await tts.render(text, 'nl', { listener: 'agent' });
  assert.notEqual(agent.media, debtor.media, 'another file');
  assert.ok(agent.durationMs < debtor.durationMs * 0.8, `agent ${agent.durationMs} ms vs debtor ${debtor.durationMs} ms`);
  assert.ok(agent.durationMs < 4500, `a whisper of ${agent.durationMs} ms keeps the debtor on hold too long`);
});

