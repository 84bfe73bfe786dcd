/**
 * The recorded prompts of every language: uploads checked and converted (audio.ts), stored
 * as versions (src/store/recordings.ts), and read back as immutable sets. A call takes a
 * snapshot of the version numbers when it starts and reads its sets at those versions, so
 * a new upload during the call is heard from the next call on, never halfway through one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { renameSync, utimesSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { mediaFor, type MediaOptions } from '../tts/cache.ts';
import { mediaOptions } from '../tts/create.ts';
import { pcmWav } from '../tts/wav.ts';
import type { RenderedPrompt } from '../tts/types.ts';
import type { Clock } from '../lib/clock.ts';
import { isoUtc } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Language } from '../campaigns/settings.ts';
import type { RecordingRepository, Store } from '../store/repositories.ts';
import type { Config } from '../config/schema.ts';
import type { RecordingRow } from '../store/recordings.ts';
import { PROMPT_KEYS, type PromptKey } from '../tts/types.ts';
import type { PromptCatalog } from '../tts/prompts.ts';
import { LANGUAGES } from '../tts/prompts.ts';
import { prepareRecording } from './audio.ts';
import { pieceKey, type PlannedPart, type RecordedItem, type RecordingSet } from './compose.ts';
import { WORD_KEYS } from './number-words.ts';

export interface RecordingLibraryOptions {
  store: RecordingRepository;
  catalog: PromptCatalog;
  clock: Clock;
  /** Where converted recordings live (tts.recordingsDir; by default <tts.cacheDir>/recordings). */
  dir: string;
  /** 'file': sound:<dir>/<sha>; 'http': sound:<publicUrl>/media/recordings/<sha>.wav */
  delivery: 'file' | 'http';
  /** The recordings directory as Asterisk sees it; empty = the same path. */
  asteriskDir: string;
  publicUrl: string;
  maxSeconds: number;
  /** The TTS cache: joined takes (which hold amounts and dates) live and are pruned there. */
  cache: MediaOptions;
}

/** The version of each language's set a call started with. */
export type RecordingVersions = Readonly<Record<Language, number>>;

/** A key an admin may record, what it says, and what is recorded for it now. */
export interface RecordingSlot {
  key: string;
  /** The words to say: the prompt piece as the prompt file has it now, or the number word. */
  text: string;
  kind: 'prompt' | 'word';
  recorded: { version: number; durationMs: number; uploadedAt: string; uploadedBy: string | null; file: string; current: boolean } | null;
}

/** Sets kept in memory: a few versions per language are in use at a time. */
const SETS_KEPT = 16;

export class RecordingLibrary {
  private readonly sets = new Map<string, RecordingSet>();
  private readonly joined = new Map<string, string[]>();
  readonly dir: string;

  constructor(private readonly o: RecordingLibraryOptions) {
    this.dir = resolve(o.dir);
  }

  /** The current version per language: what a call starting now keeps until it ends. */
  versions(): RecordingVersions {
    return Object.fromEntries(LANGUAGES.map((l) => [l, this.o.store.currentVersion(l)])) as Record<Language, number>;
  }

  /** A language's set at a version (cached: versions never change). */
  set(lang: Language, version: number): RecordingSet {
    if (version === 0) return EMPTY;
    const id = `${lang}@${version}`;
    let set = this.sets.get(id);
    if (!set) {
      set = new Map(this.o.store.setAt(lang, version).map((r) => [r.key, this.item(r)]));
      if (this.sets.size >= SETS_KEPT) this.sets.delete(this.sets.keys().next().value!);
      this.sets.set(id, set);
    }
    return set;
  }

  /** What Asterisk is told to play for a recording file. */
  mediaFor(file: string): string {
    const sha = file.replace(/\.wav$/, '');
    if (this.o.delivery === 'http') return `sound:${this.o.publicUrl.replace(/\/+$/, '')}/media/recordings/${file}`;
    return `sound:${(this.o.asteriskDir || this.dir).replace(/\/+$/, '')}/${sha}`;
  }

  pathOf(file: string): string {
    return join(this.dir, file);
  }

  /**
   * Recorded parts in a row as one WAV in the TTS cache (all takes are 8 kHz 16-bit mono,
   * so their samples are simply appended). It holds an amount or a date, so it is pruned
   * like any personalised audio; named by its takes, so the same words are one file.
   */
  async join(parts: ReadonlyArray<Extract<PlannedPart, { source: 'recording' }>>): Promise<RenderedPrompt> {
    const hash = createHash('sha256').update(`recordings\0${parts.map((p) => p.file).join('\0')}`).digest('hex');
    const path = join(this.o.cache.cacheDir, `${hash}.wav`);
    const durationMs = parts.reduce((sum, p) => sum + p.durationMs, 0);
    const text = parts.map((p) => p.text).join(' ');
    this.joined.set(mediaFor(hash, this.o.cache), parts.map((p) => p.key));
    if (this.joined.size > JOINED_KEPT) this.joined.delete(this.joined.keys().next().value!);
    try {
      const now = new Date();
      utimesSync(path, now, now); // the touch pruning reads as "last used"
      return { media: mediaFor(hash, this.o.cache), durationMs, text };
    } catch {
      // not there yet (or pruned): made below
    }
    const pcm = await Promise.all(parts.map(async (p) => pcmOf(await readFile(this.pathOf(p.file)))));
    await mkdir(this.o.cache.cacheDir, { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, pcmWav(Buffer.concat(pcm)));
    renameSync(tmp, path);
    return { media: mediaFor(hash, this.o.cache), durationMs, text };
  }

  /** The keys behind a joined file's media, while this process remembers it (tests, the preview). */
  keysOf(media: string): string[] | undefined {
    return this.joined.get(media);
  }

  /** Every key of a language an admin may record: each prompt's fixed pieces, then the number words. */
  slots(lang: Language): RecordingSlot[] {
    const version = this.o.store.currentVersion(lang);
    const current = new Map(this.o.store.setAt(lang, version).map((r) => [r.key, r]));
    const slot = (key: string, text: string, kind: RecordingSlot['kind']): RecordingSlot => {
      const r = current.get(key);
      return {
        key,
        text,
        kind,
        recorded: r ? { version: r.version, durationMs: r.durationMs ?? 0, uploadedAt: r.uploadedAt, uploadedBy: r.uploadedBy, file: r.file!, current: kind === 'word' || r.text === text } : null,
      };
    };
    const out: RecordingSlot[] = [];
    for (const key of PROMPT_KEYS) for (const [k, text] of this.pieceTexts(key, lang)) out.push(slot(k, text, 'prompt'));
    for (const [key, say] of WORD_KEYS) out.push(slot(key, say[lang], 'word'));
    return out;
  }

  /** Checks, converts and stores an upload as the language's next version. */
  async upload(lang: Language, key: string, path: string, by: string | null): Promise<RecordingRow> {
    const text = this.textOf(lang, key);
    const prepared = await prepareRecording(path, this.dir, { key, maxSeconds: this.o.maxSeconds });
    return this.o.store.add({ lang, key, text: text.kind === 'prompt' ? text.text : null, file: prepared.file, durationMs: prepared.durationMs, uploadedAt: isoUtc(this.o.clock.now()), uploadedBy: by });
  }

  /** The file of the take a call starting now would play for a key (GET /recordings/:lang/:key/audio). */
  currentTake(lang: Language, key: string): string {
    this.textOf(lang, key);
    const item = this.set(lang, this.o.store.currentVersion(lang)).get(key);
    if (!item) throw new BereikError('NOT_FOUND', `recording ${lang}/${key}: nothing is recorded for it`);
    return this.pathOf(item.file);
  }

  /** Removes a key from the next version on (calls that started before keep hearing it). */
  remove(lang: Language, key: string, by: string | null): RecordingRow {
    this.textOf(lang, key);
    if (!this.o.store.setAt(lang, this.o.store.currentVersion(lang)).some((r) => r.key === key)) {
      throw new BereikError('NOT_FOUND', `recording ${lang}/${key}: nothing is recorded for it`);
    }
    return this.o.store.add({ lang, key, text: null, file: null, durationMs: null, uploadedAt: isoUtc(this.o.clock.now()), uploadedBy: by });
  }

  private textOf(lang: Language, key: string): { kind: 'prompt' | 'word'; text: string } {
    const word = WORD_KEYS.get(key);
    if (word) return { kind: 'word', text: word[lang] };
    const prompt = key.slice(0, key.lastIndexOf('.')) as PromptKey;
    const text = (PROMPT_KEYS as readonly string[]).includes(prompt) ? this.pieceTexts(prompt, lang).get(key) : undefined;
    if (text !== undefined) return { kind: 'prompt', text };
    throw new BereikError(
      'RECORDING_KEY_UNKNOWN',
      `recording ${lang}/${key}: not a key to record. Prompt pieces are <prompt>.<n> as GET /recordings/${lang} lists them (e.g. claim_message.0); ` +
        `words are ${[...WORD_KEYS.keys()].slice(0, 3).join(', ')} … word.month-12`,
      { key },
    );
  }

  /** A prompt's fixed pieces with words in them, by key, as the prompt file has them now. */
  private pieceTexts(key: PromptKey, lang: Language): Map<string, string> {
    const out = new Map<string, string>();
    for (const part of this.o.catalog.template(key, lang).parts) {
      if (typeof part !== 'string' || !/[\p{L}\p{N}]/u.test(part)) continue;
      out.set(pieceKey(key, out.size), part.replace(/\s+/g, ' ').trim());
    }
    return out;
  }

  private item(r: RecordingRow): RecordedItem {
    return { key: r.key, text: r.text, file: r.file!, media: this.mediaFor(r.file!), durationMs: r.durationMs ?? 0 };
  }
}

const EMPTY: RecordingSet = new Map();
const JOINED_KEPT = 10_000;

/** The samples of a WAV's data chunk. */
function pcmOf(wav: Buffer): Buffer {
  let pos = 12;
  while (pos + 8 <= wav.length) {
    const size = wav.readUInt32LE(pos + 4);
    if (wav.toString('ascii', pos, pos + 4) === 'data') return wav.subarray(pos + 8, Math.min(wav.length, pos + 8 + size));
    pos += 8 + size + (size % 2);
  }
  throw new Error('recording: no data chunk');
}

/** The library as configured: tts.recordingsDir (default <tts.cacheDir>/recordings), delivered like the TTS cache. */
export function createRecordingLibrary(config: Config, store: Pick<Store, 'recordings'>, catalog: PromptCatalog, clock: Clock): RecordingLibrary {
  const t = config.tts;
  const dir = t.recordingsDir || join(t.cacheDir, 'recordings');
  return new RecordingLibrary({
    store: store.recordings,
    catalog,
    clock,
    dir,
    delivery: t.delivery,
    // With shared storage the cache's Asterisk path holds the default directory too.
    asteriskDir: t.recordingsDir ? '' : t.asteriskPath ? `${t.asteriskPath.replace(/\/+$/, '')}/recordings` : '',
    publicUrl: config.http.publicUrl,
    maxSeconds: t.recordingMaxSeconds ?? DEFAULT_MAX_SECONDS,
    cache: mediaOptions(config),
  });
}

export const DEFAULT_MAX_SECONDS = 60;
