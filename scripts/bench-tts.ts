/**
 * TTS figures: how long a campaign's prewarm takes, how long a per-debtor claim message
 * takes to render cold (espeak-ng + sox), and a cache hit.
 *   node --import tsx scripts/bench-tts.ts [--engine espeak|silent] [--debtors 40]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EspeakTts } from '../src/tts/espeak.ts';
import { SilentTts } from '../src/tts/silent.ts';
import { loadPrompts } from '../src/tts/prompts.ts';
import { prewarmPrompts } from '../src/tts/prewarm.ts';
import type { TtsEngine } from '../src/tts/types.ts';

const { values } = parseArgs({ options: { engine: { type: 'string', default: 'espeak' }, debtors: { type: 'string', default: '40' } } });
const dir = mkdtempSync(join(tmpdir(), 'bereik-bench-tts-'));
const media = { cacheDir: dir, delivery: 'file' as const, asteriskPath: '', publicUrl: '' };
const tts: TtsEngine = values.engine === 'silent' ? new SilentTts(media) : new EspeakTts({ ...media, voices: { nl: 'nl', en: 'en-gb' } });
const catalog = loadPrompts();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

try {
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
  const coldTotal = cold.reduce((a, b) => a + b, 0);
  console.log(`engine ${values.engine}`);
  console.log(`prewarm (nl, ${warm.rendered.length} prompts + ${warm.menus} menus): ${ms(prewarmMs)}, failed ${warm.failed.length}`);
  console.log(`claim message cold render (${n}): p50 ${ms(pct(cold, 50))}, p95 ${ms(pct(cold, 95))}, ${(audioMs / coldTotal).toFixed(1)} s of audio per s of rendering`);
  console.log(`cache hit (200): p50 ${ms(pct(hits, 50))}, p95 ${ms(pct(hits, 95))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
