/**
 * The engines side by side (run from scripts/bench-tts.ts): renders per second for
 * espeak-ng, the command engine with a stand-in program (test/fixtures/tts/speak-tone.sh:
 * sh + sox, roughly the process cost of Piper without its synthesis), and the http engine
 * against the simulated service (src/sim/tts-endpoint.ts) for each preset; time to first
 * audio of a personalised prompt (the identity question) cold and pre-rendered; the
 * fallback chain when the service is slower than tts.renderTimeoutMs; cache bytes per
 * 10,000 contacts (identity question + claim message each, espeak-ng).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EspeakTts } from '../src/tts/espeak.ts';
import { CommandTts } from '../src/tts/command.ts';
import { HttpTts, type HttpPresetName } from '../src/tts/http.ts';
import { FallbackTts } from '../src/tts/fallback.ts';
import { prerenderPersonal, type PersonalPrompts } from '../src/tts/prewarm.ts';
import type { PromptCatalog } from '../src/tts/prompts.ts';
import type { TtsEngine } from '../src/tts/types.ts';
import { startSimTtsEndpoint } from '../src/sim/tts-endpoint.ts';

export interface EngineBenchOptions {
  dir: string;
  catalog: PromptCatalog;
  /** Distinct claim messages rendered per engine. */
  renders: number;
  /** The simulated service's answer time for the time-to-first-audio figures (a cloud round trip + synthesis). */
  httpLatencyMs: number;
  /** Contacts pre-rendered for the cache-size and time-to-first-audio figures. */
  contacts: number;
}

const FIXTURES = resolve(import.meta.dirname, '../test/fixtures/tts');
const KEY = 'AKIDBENCH:bench-secret';
const PATHS: Record<HttpPresetName, string> = { google: '/v1/text:synthesize', azure: '/cognitiveservices/v1', polly: '/v1/speech', generic: '/tts' };
const FIRST = ['Jan', 'Fatima', 'Pieter', 'Anouk', 'Mohammed', 'Sanne', 'Kees', 'Lotte'];
const LAST = ['de Vries', 'Bakker', 'El Amrani', 'Jansen', 'van den Berg', 'Visser', 'Yılmaz', 'Smit'];

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function benchEngines(o: EngineBenchOptions): Promise<void> {
  const sim = await startSimTtsEndpoint({ key: KEY });
  let n = 0;
  const media = () => ({ cacheDir: join(o.dir, `engine-${++n}`), delivery: 'file' as const, asteriskPath: '', publicUrl: '' });
  const espeak = () => new EspeakTts({ ...media(), voices: { nl: 'nl', en: 'en-gb' } });
  const http = (preset: HttpPresetName) =>
    new HttpTts({ ...media(), preset, url: sim.url + PATHS[preset], voices: { nl: 'nl-NL-Wavenet-B', en: 'en-GB-Wavenet-A' }, key: KEY, timeoutMs: 10_000, retries: 2, perSecond: 1000 });
  const contact = (i: number) => ({
    // 1,664 different names (a first name, an initial, a surname): names shared by several debtors would share their identity question's audio.
    name: `${FIRST[i % FIRST.length]} ${String.fromCharCode(65 + (Math.floor(i / 64) % 26))}. ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
    vars: { creditor: 'Energie Zuid', invoiceRef: `F2026-${String(i).padStart(5, '0')}`, amountCents: 4_995 + ((i * 7_919) % 250_000), dueDate: '2026-12-31' },
  });
  const base = { callerName: 'Bereik', callbackNumber: '+31201234567' };
  const identity = (i: number) => o.catalog.render('identity_check', 'nl', { ...base, debtorName: contact(i).name });
  const claim = (i: number) => o.catalog.render('claim_message', 'nl', { ...base, debtorName: contact(i).name, ...contact(i).vars });

  try {
    console.log(`\nrenders per second, ${o.renders} distinct claim messages each, one at a time and 4 at once:`);
    const engines: Array<[string, () => TtsEngine]> = [
      ['espeak-ng + sox', espeak],
      ['command (stand-in: sh + sox)', () => new CommandTts({ ...media(), argv: [join(FIXTURES, 'speak-tone.sh'), '--voice', '{voice}', '--out', '{out}'], voices: { nl: join(FIXTURES, 'voice-nl.onnx'), en: join(FIXTURES, 'voice-nl.onnx') }, timeoutMs: 10_000 })],
      ['http generic (simulated service, no latency)', () => http('generic')],
      ['http google (simulated service, no latency)', () => http('google')],
      ['http azure (simulated service, no latency)', () => http('azure')],
      ['http polly (simulated service, no latency; SigV4 signing)', () => http('polly')],
    ];
    for (const [name, make] of engines) {
      const one = await rendersPerSecond(make(), Array.from({ length: o.renders }, (_, i) => claim(i)), 1);
      const four = await rendersPerSecond(make(), Array.from({ length: o.renders }, (_, i) => claim(i)), 4);
      console.log(`  ${name}: ${one.perSecond.toFixed(1)}/s (p50 ${ms(one.p50)}, p95 ${ms(one.p95)}, ${(one.audioMs / 1000).toFixed(1)} s of audio each); 4 at once ${four.perSecond.toFixed(1)}/s`);
    }

    console.log(`\ntime to first audio (the identity question of a contact not yet called), ${o.contacts} contacts:`);
    sim.always({ kind: 'slow', ms: o.httpLatencyMs });
    const ttfa: Array<[string, () => TtsEngine]> = [
      ['espeak-ng', espeak],
      [`http generic, service answering in ${o.httpLatencyMs} ms`, () => http('generic')],
    ];
    for (const [name, make] of ttfa) {
      // Cold: an engine whose cache holds none of these contacts (and is not counted below).
      const cold = await timed(make(), Array.from({ length: Math.min(o.contacts, 40) }, (_, i) => identity(100_000 + i)));
      const tts = make();
      const contacts: PersonalPrompts[] = Array.from({ length: o.contacts }, (_, i) => ({ lang: 'nl', texts: [identity(i), claim(i)] }));
      const t0 = performance.now();
      const pre = await prerenderPersonal(tts, contacts, { maxContacts: o.contacts, maxBytes: 1024 ** 3, concurrency: 2 });
      const prerenderMs = performance.now() - t0;
      const hit = await timed(tts, Array.from({ length: o.contacts }, (_, i) => identity(i)));
      console.log(
        `  ${name}: cold p50 ${ms(pct(cold, 50))}, p95 ${ms(pct(cold, 95))}; pre-rendered p50 ${ms(pct(hit, 50))}, p95 ${ms(pct(hit, 95))}` +
          ` (pre-render of ${pre.contacts} contacts, ${pre.renders} prompts: ${(prerenderMs / 1000).toFixed(1)} s, ${(pre.renders / (prerenderMs / 1000)).toFixed(1)} prompts/s at concurrency 2)`,
      );
      if (name === 'espeak-ng') {
        const cacheDir = (tts as unknown as { media: { cacheDir: string } }).media.cacheDir;
        const onDisk = readdirSync(cacheDir).reduce((sum, f) => sum + statSync(join(cacheDir, f)).size, 0);
        console.log(
          `  cache per 10,000 contacts (identity question + claim message, espeak-ng, 8 kHz 16-bit): ${((onDisk / pre.contacts) * 10_000 / 1e9).toFixed(2)} GB ` +
            `(${(onDisk / pre.contacts / 1024).toFixed(0)} KB a contact; estimate from durations ${((pre.bytes / pre.contacts) * 10_000 / 1e9).toFixed(2)} GB)`,
        );
      }
    }

    sim.always({ kind: 'slow', ms: 2500 });
    const chain = new FallbackTts([{ name: 'http', engine: http('generic') }, { name: 'espeak', engine: espeak() }], 1500);
    const fell = await timed(chain, Array.from({ length: 10 }, (_, i) => identity(200_000 + i)));
    console.log(`  chain [http, espeak], service answering in 2.5 s, tts.renderTimeoutMs 1500: p50 ${ms(pct(fell, 50))}, max ${ms(Math.max(...fell))}; fallbacks ${chain.fallbacks().map((f) => `${f.from}→${f.to} ${f.reason} ×${f.count}`).join(', ')}`);
    sim.always(undefined);
    // The slow renders left running in the background finish before the directory goes.
    await new Promise((r) => setTimeout(r, 2600));
  } finally {
    await sim.close();
  }
}

async function rendersPerSecond(tts: TtsEngine, texts: string[], concurrency: number) {
  const times: number[] = [];
  let audioMs = 0;
  const queue = [...texts];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let text = queue.shift(); text; text = queue.shift()) {
        const t = performance.now();
        audioMs += (await tts.render(text, 'nl')).durationMs;
        times.push(performance.now() - t);
      }
    }),
  );
  const total = (performance.now() - t0) / 1000;
  return { perSecond: texts.length / total, p50: pct(times, 50), p95: pct(times, 95), audioMs: audioMs / texts.length };
}

/** One at a time, as calls answered one after another would. */
async function timed(tts: TtsEngine, texts: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const text of texts) {
    const t = performance.now();
    await tts.render(text, 'nl');
    out.push(performance.now() - t);
  }
  return out;
}
