/**
 * The default engine: espeak-ng speaks the text to a WAV, sox turns it into what
 * Asterisk plays natively (8 kHz, mono, 16-bit). `sox -R` makes the output repeatable,
 * so the same text always gives the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { Language } from '../campaigns/settings.ts';
import { CachedTts, type MediaOptions } from './cache.ts';
import type { Listener } from './types.ts';
import { runProcess, toCacheWav } from './process.ts';

export interface EspeakOptions extends MediaOptions {
  voices: Record<Language, string>;
  /** Words per minute for debtors (default 150); espeak-ng's own 175 is quick for a B1 listener on a phone line. */
  wordsPerMinute?: number;
  /** Words per minute for agents (the whisper; default 210): they hear one every call and read the screen pop too. */
  agentWordsPerMinute?: number;
}

/** A subprocess may not hang a render for ever. */
const PROCESS_TIMEOUT_MS = 30_000;

export class EspeakTts extends CachedTts {
  protected readonly engine = 'espeak';

  constructor(private readonly opts: EspeakOptions) {
    super(opts);
  }

  protected voiceFor(lang: Language): string {
    return this.opts.voices[lang] ?? this.opts.voices.nl;
  }

  protected async produce(text: string, voice: string, outPath: string, listener: Listener): Promise<void> {
    const raw = `${outPath}.espeak.wav`;
    try {
      const speed = String(listener === 'agent' ? (this.opts.agentWordsPerMinute ?? 210) : (this.opts.wordsPerMinute ?? 150));
      // The text goes in on stdin as UTF-8 (-b 1): no argument parsing, no length limit.
      await runProcess('espeak-ng', ['-v', voice, '-s', speed, '-b', '1', '-w', raw, '--stdin'], { input: text, timeoutMs: PROCESS_TIMEOUT_MS });
      await toCacheWav(raw, outPath, PROCESS_TIMEOUT_MS);
    } finally {
      await rm(raw, { force: true });
    }
  }
}

/** The programs the espeak engine needs that are not installed. */
export function missingEspeakTools(): string[] {
  return ['espeak-ng', 'sox'].filter((cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error !== undefined);
}
