/**
 * Engines in order (tts.engine: ["http", "espeak"]): a call never waits in silence for a
 * service that is down or slow. Every engine but the last gets tts.renderTimeoutMs; when
 * it fails or runs out of time the next one speaks. The last one is not cut short: it is
 * the one that must say something (put a local engine there).
 *
 * A render that ran out of time is left to finish in the background: its audio lands in
 * the cache, so the same text (the campaign's next call) is that engine's cache hit.
 */
import type { Language } from '../campaigns/settings.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { RenderOptions, RenderedPrompt, TtsEngine } from './types.ts';

export interface ChainLink {
  /** As in tts.engine: 'http', 'command', 'espeak', 'silent'. */
  name: string;
  engine: TtsEngine;
}

export type FallbackReason = 'timeout' | 'error';

export interface FallbackCount {
  from: string;
  to: string;
  reason: FallbackReason;
  count: number;
}

export class FallbackTts implements TtsEngine {
  private readonly counts = new Map<string, FallbackCount>();

  constructor(
    readonly links: readonly ChainLink[],
    private readonly renderTimeoutMs: number,
    private readonly log?: Logger,
  ) {
    if (links.length === 0) throw new RangeError('FallbackTts: no engines');
  }

  /** Fallbacks since start, by engine pair and reason (for /metrics). */
  fallbacks(): FallbackCount[] {
    return [...this.counts.values()];
  }

  async render(text: string, lang: Language, opts?: RenderOptions): Promise<RenderedPrompt> {
    for (let i = 0; ; i++) {
      const link = this.links[i]!;
      const next = this.links[i + 1];
      if (!next) return link.engine.render(text, lang, opts);
      try {
        return await withinTime(link.engine.render(text, lang, opts), this.renderTimeoutMs, link.name);
      } catch (err) {
        const reason: FallbackReason = err instanceof RenderTimeout ? 'timeout' : 'error';
        this.count(link.name, next.name, reason);
        // The message names the engine and why; the text (names, amounts) stays out.
        this.log?.warn({ from: link.name, to: next.name, reason, err: (err as Error).message }, 'tts: falling back to the next engine');
      }
    }
  }

  private count(from: string, to: string, reason: FallbackReason): void {
    const key = `${from}\0${to}\0${reason}`;
    const c = this.counts.get(key);
    if (c) c.count++;
    else this.counts.set(key, { from, to, reason, count: 1 });
  }
}

class RenderTimeout extends BereikError {}

function withinTime<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RenderTimeout('TTS_FAILED', `tts: ${name} gave no audio within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a render given up on may still fail: nobody waits for it
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
