/**
 * The audio cache every engine shares: one WAV per sha256(engine + voice + text) in
 * tts.cacheDir, written atomically (temp file + rename) so Asterisk never opens half a
 * file, and one render in flight per text so a campaign start with many calls saying the
 * same prompt costs one espeak-ng run. Each use touches the file, so its mtime is its
 * last use: src/tts/prune.ts deletes by that.
 */
import { createHash, randomBytes } from 'node:crypto';
import { renameSync, statSync, utimesSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BereikError, isBereikError } from '../lib/errors.ts';
import type { Language } from '../campaigns/settings.ts';
import type { AudioOwners, Listener, RenderOptions, RenderedPrompt, TtsEngine } from './types.ts';
import { readWavInfo, type WavInfo } from './wav.ts';

export interface MediaOptions {
  cacheDir: string;
  /** 'file': sound:<dir>/<hash>; 'http': sound:<publicUrl>/media/tts/<hash>.wav */
  delivery: 'file' | 'http';
  /** The cache directory as Asterisk sees it; empty = the same path as cacheDir. */
  asteriskPath: string;
  publicUrl: string;
  /** The owner ledger; renders with an owner are noted there. */
  owners?: AudioOwners | undefined;
}

/** Cache file names: only these are ever served or trusted. */
export const CACHE_FILE = /^[0-9a-f]{64}\.wav$/;

export function cacheHash(engine: string, voice: string, text: string): string {
  return createHash('sha256').update(`${engine}\0${voice}\0${text}`).digest('hex');
}

/** What Asterisk is told to play: a path without the extension (it picks the format), or a URL. */
export function mediaFor(hash: string, opts: MediaOptions): string {
  if (opts.delivery === 'http') return `sound:${opts.publicUrl.replace(/\/+$/, '')}/media/tts/${hash}.wav`;
  const dir = (opts.asteriskPath || resolve(opts.cacheDir)).replace(/\/+$/, '');
  return `sound:${dir}/${hash}`;
}

/** Lengths remembered at most (a campaign's shared prompts, and recent personalised ones). */
const KNOWN_MAX = 10_000;

export abstract class CachedTts implements TtsEngine {
  protected abstract readonly engine: string;
  private readonly inflight = new Map<string, Promise<RenderedPrompt>>();
  /**
   * Lengths of the files this process rendered or read, so a prompt said again costs one
   * utimes (the touch prune.ts needs) instead of open, read, close and utimes. The touch
   * also proves the file is still there: a pruned one is rendered again.
   */
  private readonly known = new Map<string, number>();
  private dirReady: Promise<unknown> | undefined;

  constructor(protected readonly media: MediaOptions) {}

  /** The voice used for a language (part of the cache key). */
  protected abstract voiceFor(lang: Language): string;
  /**
   * Writes an 8 kHz mono 16-bit WAV of the spoken text, at the listener's pace, to outPath.
   * An engine that built the audio in memory returns its header, which saves reading the
   * file back (open, stat, read, close) on every personalised render.
   */
  protected abstract produce(text: string, voice: string, outPath: string, listener: Listener): Promise<WavInfo | void>;

  render(rawText: string, lang: Language, opts: RenderOptions = {}): Promise<RenderedPrompt> {
    const text = rawText.replace(/\s+/g, ' ').trim();
    if (!text) return Promise.reject(new BereikError('TTS_FAILED', 'tts: nothing to say (empty text)'));
    const voice = this.voiceFor(lang);
    const listener = opts.listener ?? 'debtor';
    // The debtor's pace keeps the key it always had, so existing cache files stay valid.
    const hash = cacheHash(this.engine, listener === 'debtor' ? voice : `${voice}@${listener}`, text);
    // Noted before the render: a render a fallback stopped waiting for still lands in the cache.
    if (opts.owner !== undefined) this.media.owners?.own(hash, opts.owner);
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = this.renderOnce(hash, text, voice, listener).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    return pending;
  }

  private remember(hash: string, durationMs: number): void {
    this.known.set(hash, durationMs);
    if (this.known.size > KNOWN_MAX) this.known.delete(this.known.keys().next().value!);
  }

  /** Where the cached file for a hash lives on this machine. */
  pathOf(hash: string): string {
    return join(this.media.cacheDir, `${hash}.wav`);
  }

  /*
   * The stat, touch and rename below are synchronous on purpose: on a local cache folder
   * each costs microseconds, less than the trip through libuv's thread pool an async call
   * takes (the store writes SQLite synchronously for the same reason). A personalised
   * prompt is new every call, so this is per-call work.
   */
  private async renderOnce(hash: string, text: string, voice: string, listener: Listener): Promise<RenderedPrompt> {
    const final = this.pathOf(hash);
    const known = this.known.get(hash);
    if (known !== undefined) {
      if (touch(final)) return { media: mediaFor(hash, this.media), durationMs: known, text };
      this.known.delete(hash);
    }
    // Rendered before this process started (or by another one): read its length once.
    const cached = statSync(final, { throwIfNoEntry: false }) ? await readWavInfo(final).catch(() => undefined) : undefined;
    if (cached && cached.durationMs > 0) {
      touch(final);
      this.remember(hash, cached.durationMs);
      return { media: mediaFor(hash, this.media), durationMs: cached.durationMs, text };
    }
    await (this.dirReady ??= mkdir(this.media.cacheDir, { recursive: true }));
    const tmp = join(this.media.cacheDir, `.${hash}.${process.pid}.${randomBytes(4).toString('hex')}.tmp.wav`);
    try {
      const info = (await this.produce(text, voice, tmp, listener)) ?? (await readWavInfo(tmp));
      // The first use is stamped by this process's clock like every later one, not by the
      // kernel's write time: the two differ under a shifted clock (faketime in CI).
      touch(tmp);
      renameSync(tmp, final);
      this.remember(hash, info.durationMs);
      return { media: mediaFor(hash, this.media), durationMs: info.durationMs, text };
    } catch (err) {
      await rm(tmp, { force: true });
      if (isBereikError(err)) throw err;
      // The text is left out of the message: it holds names and amounts.
      throw new BereikError('TTS_FAILED', `tts (${this.engine}, voice ${voice}): ${(err as Error).message}`);
    }
  }
}

/** The file's mtime is its last use: what src/tts/prune.ts keeps or deletes by. False when it is gone. */
function touch(path: string): boolean {
  const now = new Date();
  try {
    utimesSync(path, now, now);
    return true;
  } catch {
    return false;
  }
}
