/**
 * An engine for machines without espeak-ng (CI without apt, the demo in a slim
 * container): it writes silence as long as the text would take to say, so flows,
 * timeouts and the simulator behave as with real audio.
 */
import { writeFileSync } from 'node:fs';
import type { Language } from '../campaigns/settings.ts';
import { CachedTts } from './cache.ts';
import { parseWavHeader, silentWav, type WavInfo } from './wav.ts';
import type { Listener } from './types.ts';

/** Roughly how fast a TTS voice speaks, in characters per second: for debtors, and for agents (espeak.ts: 150 and 210 words a minute). */
const CHARS_PER_SECOND: Record<Listener, number> = { debtor: 14, agent: 14 * (210 / 150) };

export function estimateDurationMs(text: string, listener: Listener = 'debtor'): number {
  return Math.max(500, Math.round((text.length / CHARS_PER_SECOND[listener]) * 1000));
}

export class SilentTts extends CachedTts {
  protected readonly engine = 'silent';

  protected voiceFor(lang: Language): string {
    return lang;
  }

  protected async produce(text: string, _voice: string, outPath: string, listener: Listener): Promise<WavInfo> {
    const wav = silentWav(estimateDurationMs(text, listener));
    // A few hundred KB to the page cache: synchronous, like the cache's other file calls (cache.ts).
    writeFileSync(outPath, wav);
    return parseWavHeader(wav);
  }
}
