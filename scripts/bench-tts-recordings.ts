/**
 * Time to first audio of a call with recorded prompts vs synthesised ones: the identity
 * question (the first thing a debtor hears) and the claim message, for debtors whose
 * names, amounts and invoices the cache has never seen. Synthesised: the engine renders
 * the whole sentence. Recorded: the fixed pieces and the number words are files already;
 * only the values that change (name, invoice, date when its month is not recorded) are
 * rendered, in parallel, and the takes in a row joined into one file. Takes are sox tones standing in for a speaker.
 *   node --import tsx scripts/bench-tts.ts --only recordings [--debtors 40]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../src/lib/clock.ts';
import { openDb } from '../src/store/db.ts';
import { createSqliteStore } from '../src/store/sqlite.ts';
import type { PromptCatalog } from '../src/tts/prompts.ts';
import type { PromptKey, PromptVars, TtsEngine } from '../src/tts/types.ts';
import { RecordingLibrary } from '../src/recordings/library.ts';
import { planPrompt, realise } from '../src/recordings/compose.ts';
import { WORD_KEYS } from '../src/recordings/number-words.ts';

export interface RecordingBenchOptions {
  dir: string;
  catalog: PromptCatalog;
  tts: TtsEngine;
  engineName: string;
  debtors: number;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function benchRecordings(o: RecordingBenchOptions): Promise<void> {
  const store = createSqliteStore(openDb(':memory:'));
  const lib = new RecordingLibrary({ store: store.recordings, catalog: o.catalog, clock: new SystemClock(), dir: join(o.dir, 'recordings'), delivery: 'file', asteriskDir: '', publicUrl: '', maxSeconds: 60, cache: { cacheDir: join(o.dir, 'joined'), delivery: 'file', asteriskPath: '', publicUrl: '' } });
  const takes = join(o.dir, 'takes');
  mkdirSync(takes, { recursive: true });
  const keys = [...lib.slots('nl').filter((s) => s.kind === 'prompt' && /^(identity_check|claim_message)\./.test(s.key)).map((s) => s.key), ...WORD_KEYS.keys()];
  for (const [i, key] of keys.entries()) {
    const path = join(takes, `${i}.wav`);
    execFileSync('sox', ['-n', '-r', '44100', '-c', '1', '-b', '16', path, 'synth', '0.5', 'sine', String(200 + i * 7), 'gain', '-6']);
    await lib.upload('nl', key, path, 'bench');
  }
  const set = lib.set('nl', lib.versions().nl);
  const base: PromptVars = { callerName: 'Bereik', callbackNumber: '+31201234567' };
  const varsOf = (i: number): PromptVars => ({
    ...base,
    debtorName: `Debiteur ${['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit'][i % 5]} ${i}`,
    creditor: 'Energie Zuid',
    invoiceRef: `F2026-${String(i).padStart(4, '0')}`,
    amountCents: 10_000 + i * 1_337,
    dueDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
  });
  const time = async (work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    return performance.now() - t;
  };
  const rows: Array<[string, PromptKey, 'tts' | 'recorded']> = [
    ['identity question (first audio)', 'identity_check', 'tts'],
    ['identity question (first audio)', 'identity_check', 'recorded'],
    ['claim message', 'claim_message', 'tts'],
    ['claim message', 'claim_message', 'recorded'],
  ];
  console.log(`\nrecorded prompts vs ${o.engineName}, ${o.debtors} debtors, cold cache for every name, amount and invoice:`);
  for (const [label, key, how] of rows) {
    const times: number[] = [];
    let rendered = 0;
    for (let i = 0; i < o.debtors; i++) {
      // A debtor number per row: every row meets values the cache has not seen.
      const vars = varsOf(i + (how === 'tts' ? 0 : 100_000) + (key === 'claim_message' ? 200_000 : 0));
      if (how === 'tts') times.push(await time(() => o.tts.render(o.catalog.render(key, 'nl', vars), 'nl')));
      else {
        const parts = planPrompt(o.catalog, key, 'nl', vars, set);
        rendered += parts.filter((p) => p.source === 'tts').length;
        times.push(await time(() => realise(parts, o.tts, 'nl', (g) => lib.join(g))));
      }
    }
    const what = how === 'tts' ? 'whole sentence synthesised' : `recordings + ${(rendered / o.debtors).toFixed(1)} synthesised values`;
    console.log(`  ${label}, ${what}: p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}`);
  }
  store.close();
}
