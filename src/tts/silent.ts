/**
 * An engine for machines without espeak-ng (CI without apt, the demo in a slim
 * container): it writes silence as long as the text would take to say, so flows,
 * timeouts and the simulator behave as with real audio.
 */
import { writeFile } from 'node:fs/promises';
import type { Language } from '../campaigns/settings.ts';
import { CachedTts } from './cache.ts';
import { silentWav } from './wav.ts';

/** Roughly how fast a TTS voice speaks, in characters per second. */
const CHARS_PER_SECOND = 14;

export function estimateDurationMs(text: string): number {
  return Math.max(500, Math.round((text.length / CHARS_PER_SECOND) * 1000));
}

export class SilentTts extends CachedTts {
  protected readonly engine = 'silent';

  protected voiceFor(lang: Language): string {
    return lang;
  }

  protected async produce(text: string, _voice: string, outPath: string): Promise<void> {
    await writeFile(outPath, silentWav(estimateDurationMs(text)));
  }
}
