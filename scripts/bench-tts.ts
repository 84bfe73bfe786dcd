/**
 * TTS figures: how long a campaign's prewarm takes, how long a per-debtor claim message
 * takes to render cold (espeak-ng + sox), a cache hit, and pruning a cache of many files
 * (src/tts/prune.ts: a day of personalised messages for a large campaign). Then the
 * engines side by side (scripts/bench-tts-engines.ts): renders per second for espeak, the
 * command engine with a stand-in program and the http engine against the simulated
 * service; time to first audio of a personalised prompt cold and pre-rendered; cache
 * bytes per 10,000 contacts. And time to first audio of a call with recorded prompts
 * against the engine alone (scripts/bench-tts-recordings.ts).
 *   node --import tsx scripts/bench-tts.ts [--engine espeak|silent] [--debtors 40] [--cache-files 200000]
 *     [--renders 60] [--http-latency-ms 250] [--contacts 200] [--only engines|recordings]
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EspeakTts } from '../src/tts/espeak.ts';
import { SilentTts } from '../src/tts/silent.ts';
import { loadPrompts } from '../src/tts/prompts.ts';
import { prewarmPrompts } from '../src/tts/prewarm.ts';
import type { TtsEngine } from '../src/tts/types.ts';
import { pruneTtsCache } from '../src/tts/prune.ts';
import { benchEngines } from './bench-tts-engines.ts';
import { benchRecordings } from './bench-tts-recordings.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'espeak' },
    debtors: { type: 'string', default: '40' },
    'cache-files': { type: 'string', default: '200000' },
    renders: { type: 'string', default: '60' },
    'http-latency-ms': { type: 'string', default: '250' },
    contacts: { type: 'string', default: '200' },
    only: { type: 'string', default: '' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-tts-'));
const media = { cacheDir: dir, delivery: 'file' as const, asteriskPath: '', publicUrl: '' };
const tts: TtsEngine = values.engine === 'silent' ? new SilentTts(media) : new EspeakTts({ ...media, voices: { nl: 'nl', en: 'en-gb' } });
const catalog = loadPrompts();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

try {
  if (values.only !== 'engines' && values.only !== 'recordings') await classic();
  if (values.only !== 'engines') await benchRecordings({ dir, catalog, tts, engineName: values.engine, debtors: Number(values.debtors) });
  if (values.only !== 'recordings') await benchEngines({ dir, catalog, renders: Number(values.renders), httpLatencyMs: Number(values['http-latency-ms']), contacts: Number(values.contacts) });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function classic(): Promise<void> {
  let t = performance.now();
  const warm = await prewarmPrompts(tts, {
    lang: 'nl',
    vars: { callerName: 'Bereik', callbackNumber: '+31201234567' },
    menus: [['paylink', 'repeat'], ['paylink', 'agent', 'dispute', 'repeat'], ['agent', 'repeat']],
    catalog,
  });
  const prewarmMs = performance.now() - t;

  const cold: number[] = [];
  let audioMs = 0;
  const n = Number(values.debtors);
  for (let i = 0; i < n; i++) {
    const text = catalog.render('claim_message', 'nl', {
      creditor: 'Energie Zuid',
      invoiceRef: `F2026-${String(i).padStart(4, '0')}`,
      amountCents: 10_000 + i * 1_337,
      dueDate: '2026-12-31',
    });
    t = performance.now();
    const out = await tts.render(text, 'nl');
    cold.push(performance.now() - t);
    audioMs += out.durationMs;
  }
  const hits: number[] = [];
  const again = catalog.render('abandoned_info', 'nl', { callerName: 'Bereik', callbackNumber: '+31201234567' });
  for (let i = 0; i < 200; i++) {
    t = performance.now();
    await tts.render(again, 'nl');
    hits.push(performance.now() - t);
  }
  // The agent whisper as agents hear it (agent pace), for a typical amount.
  const whisperText = catalog.render('agent_whisper', 'nl', { debtorName: 'Jan de Vries', amountCents: 123_456, risk: 'medium', pressed: 'menukeuze' });
  const whisper = await tts.render(whisperText, 'nl', { listener: 'agent' });
  const coldTotal = cold.reduce((a, b) => a + b, 0);
  console.log(`engine ${values.engine}`);
  console.log(`prewarm (nl, ${warm.rendered.length} prompts + ${warm.menus} menus): ${ms(prewarmMs)}, failed ${warm.failed.length}`);
  console.log(`claim message cold render (${n}): p50 ${ms(pct(cold, 50))}, p95 ${ms(pct(cold, 95))}, ${(audioMs / coldTotal).toFixed(1)} s of audio per s of rendering`);
  console.log(`cache hit (200): p50 ${ms(pct(hits, 50))}, p95 ${ms(pct(hits, 95))}`);
  console.log(`agent whisper "${whisperText}": ${(whisper.durationMs / 1000).toFixed(1)} s of audio`);

  // Pruning: files of 40 KB (≈ 5 s of 8 kHz audio) last used over the past 6 days; keep 3 days and 2 GB.
  const files = Number(values['cache-files']);
  const pdir = join(dir, 'prune');
  mkdirSync(pdir);
  const now = Date.now();
  const body = Buffer.alloc(40_000);
  for (let i = 0; i < files; i++) {
    const f = join(pdir, `${i.toString(16).padStart(64, '0')}.wav`);
    writeFileSync(f, body);
    const used = new Date(now - (i / files) * 6 * 86_400_000);
    utimesSync(f, used, used);
  }
  const rss0 = process.memoryUsage().rss;
  t = performance.now();
  const r = await pruneTtsCache({ dir: pdir, maxAgeMs: 3 * 86_400_000, maxBytes: 2 * 1024 ** 3, now });
  const pruneMs = performance.now() - t;
  console.log(
    `prune ${files.toLocaleString('en')} files (${((files * body.length) / 1e9).toFixed(1)} GB): ${(pruneMs / 1000).toFixed(2)} s, ` +
      `deleted ${r.removed.toLocaleString('en')}, kept ${r.kept.toLocaleString('en')} (${(r.keptBytes / 1e9).toFixed(2)} GB), RSS +${((process.memoryUsage().rss - rss0) / 1e6).toFixed(0)} MB`,
  );
}
