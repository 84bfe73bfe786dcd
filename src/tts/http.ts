/**
 * A cloud TTS service over HTTPS behind the one interface. The request shape comes from a
 * preset (src/tts/http-presets.ts: Google, Azure, Amazon Polly, generic); the answer, whatever audio the provider sends, is converted by
 * sox to the cache's 8 kHz 16-bit mono WAV, so a cached file is the same for every engine.
 *
 * A provider's limits are respected twice: a per-second budget (token bucket) paces the
 * requests before they leave, and a 429 or 5xx is retried with exponential backoff (or
 * the Retry-After it names). What the service cannot do in time is the fallback chain's
 * business (src/tts/fallback.ts): this engine only reports failure.
 */
import { rm, writeFile } from 'node:fs/promises';
import type { Language } from '../campaigns/settings.ts';
import { BereikError } from '../lib/errors.ts';
import { TokenBucket } from '../dialer/token-bucket.ts';
import { CachedTts, type MediaOptions } from './cache.ts';
import type { Listener } from './types.ts';
import { toCacheWav } from './process.ts';
import { HTTP_PRESETS, type HttpPresetName } from './http-presets.ts';

export { HTTP_PRESETS, HTTP_PRESET_NAMES, type HttpPresetName } from './http-presets.ts';

export interface HttpTtsOptions extends MediaOptions {
  preset: HttpPresetName;
  /** The endpoint; empty = the preset's own. */
  url: string;
  voices: Record<Language, string>;
  key: string;
  /** One attempt may take this long. */
  timeoutMs: number;
  /** Further attempts after a 429, a 5xx or a network error. */
  retries: number;
  /** Requests per second at most (the provider's quota). */
  perSecond: number;
  /** First backoff; doubled each retry (default 200 ms). */
  retryBaseMs?: number;
  /** Wall time for the budget (tests may step it). */
  now?: () => number;
}

/** A Retry-After longer than this is not waited for: the fallback chain does better. */
const MAX_RETRY_AFTER_MS = 10_000;

export class HttpTts extends CachedTts {
  protected readonly engine: string;
  private readonly bucket: TokenBucket;
  private readonly url: string;

  constructor(private readonly opts: HttpTtsOptions) {
    super(opts);
    this.url = opts.url || HTTP_PRESETS[opts.preset].defaultUrl;
    if (!this.url) throw new RangeError(`tts.http.url: the ${opts.preset} preset has no default endpoint; set one`);
    this.engine = `http:${opts.preset}`;
    // A burst of one: requests leave evenly spaced, never more than the quota in any second.
    this.bucket = new TokenBucket({ now: opts.now ?? Date.now }, opts.perSecond, 1);
  }

  protected voiceFor(lang: Language): string {
    return this.opts.voices[lang] ?? this.opts.voices.nl;
  }

  protected async produce(text: string, voice: string, outPath: string, _listener: Listener): Promise<void> {
    const raw = `${outPath}.http.wav`;
    try {
      const body = await this.fetchAudio(text, voice);
      let wav: Buffer;
      try {
        wav = HTTP_PRESETS[this.opts.preset].audio(body);
      } catch (err) {
        throw new BereikError('TTS_FAILED', `tts (http ${this.opts.preset}): unreadable answer: ${(err as Error).message}`);
      }
      await writeFile(raw, wav);
      await toCacheWav(raw, outPath, this.opts.timeoutMs, 'wav');
    } finally {
      await rm(raw, { force: true });
    }
  }

  private async fetchAudio(text: string, voice: string): Promise<Buffer> {
    const base = this.opts.retryBaseMs ?? 200;
    let last = '';
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      await this.withinBudget();
      // Built per attempt: a signed request (Polly) carries its time and expires.
      const shape = HTTP_PRESETS[this.opts.preset].request(text, voice, this.opts.key, new URL(this.url), new Date());
      let wait = base * 2 ** attempt;
      try {
        const res = await fetch(this.url, { method: 'POST', headers: shape.headers, body: shape.body, signal: AbortSignal.timeout(this.opts.timeoutMs) });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.ok) return body;
        last = `HTTP ${res.status}${res.status < 500 ? `: ${body.toString('utf8').slice(0, 200)}` : ''}`;
        if (res.status !== 429 && res.status < 500) break; // a bad key or request does not get better by asking again
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after >= 0) wait = Math.max(wait, after * 1000);
        if (wait > MAX_RETRY_AFTER_MS) break;
      } catch (err) {
        const e = err as Error;
        last = e.name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`;
      }
      if (attempt < this.opts.retries) await sleep(wait);
    }
    throw new BereikError('TTS_FAILED', `tts (http ${this.opts.preset}, ${new URL(this.url).host}): ${last}`);
  }

  /** Waits for a token of the per-second budget. */
  private async withinBudget(): Promise<void> {
    while (!this.bucket.take()) await sleep(Math.max(1, this.bucket.msUntilNext()));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
