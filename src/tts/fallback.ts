/**
 * Engines in order (tts.engine: ["http", "espeak"]): a call never waits in silence for a
 * service that is down or slow. Every engine but the last gets tts.renderTimeoutMs; when
 * it fails or runs out of time the next one speaks. The last one is not cut short: it is
 * the one that must say something (put a local engine there). A patient render (the
 * pre-render: nobody listens yet) waits for each engine, falling through only on failure.
 *
 * A render that ran out of time is left to finish in the background: its audio lands in
 * the cache, so the same text (the campaign's next call) is that engine's cache hit.
 *
 * An engine that failed or ran out of time DEGRADE_AFTER times in a row is degraded for
 * DEGRADE_MS: it keeps a short DEGRADED_TIMEOUT_MS, enough for its cache hits (pre-rendered
 * prompts keep their voice) but not for a service that hangs, so during an outage each
 * prompt does not wait the full timeout before the next engine speaks. One success ends it.
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

export const DEGRADE_AFTER = 3;
export const DEGRADE_MS = 30_000;
export const DEGRADED_TIMEOUT_MS = 100;

interface LinkHealth {
  failuresInARow: number;
  degradedUntil: number;
}

export class FallbackTts implements TtsEngine {
  private readonly counts = new Map<string, FallbackCount>();
  private readonly health: LinkHealth[];

  constructor(
    readonly links: readonly ChainLink[],
    private readonly renderTimeoutMs: number,
    private readonly log?: Logger,
    /** Wall time (the outage is the network's, not the call's clock). */
    private readonly now: () => number = Date.now,
  ) {
    if (links.length === 0) throw new RangeError('FallbackTts: no engines');
    this.health = links.map(() => ({ failuresInARow: 0, degradedUntil: 0 }));
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
      const health = this.health[i]!;
      const degraded = health.degradedUntil > this.now();
      try {
        const work = link.engine.render(text, lang, opts);
        const out = opts?.patient ? await work : await withinTime(work, degraded ? Math.min(DEGRADED_TIMEOUT_MS, this.renderTimeoutMs) : this.renderTimeoutMs, link.name);
        health.failuresInARow = 0;
        health.degradedUntil = 0;
        return out;
      } catch (err) {
        const reason: FallbackReason = err instanceof RenderTimeout ? 'timeout' : 'error';
        if (++health.failuresInARow >= DEGRADE_AFTER && !degraded) {
          health.degradedUntil = this.now() + DEGRADE_MS;
          this.log?.warn({ engine: link.name, failuresInARow: health.failuresInARow, forMs: DEGRADE_MS }, 'tts: engine degraded, given only time for its cache hits');
        }
        this.count(link.name, next.name, reason);
        // The message names the engine and why; the text (names, amounts) stays out. While the
        // engine is degraded every prompt falls through: the degrading was the warning.
        this.log?.[degraded ? 'debug' : 'warn']({ from: link.name, to: next.name, reason, err: (err as Error).message }, 'tts: falling back to the next engine');
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
