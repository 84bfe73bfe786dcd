/**
 * Keeps the TTS cache from growing for ever. Its personalised files say a debtor's
 * creditor, invoice, amount and due date, and the agent whisper says the debtor's name:
 * personal data that must not outlive its use. Every render touches the file it uses
 * (src/tts/cache.ts), so a file's mtime is its last use; a prune then
 *   1. removes files unused for longer than tts.cacheMaxAgeDays,
 *   2. if the rest is over tts.cacheMaxMb, removes the least recently used until it fits,
 *      but never a file used within the last hour (a call may be playing it),
 *   3. removes temporary files a crashed render left behind.
 * Only file names the cache itself writes are touched. Two streaming passes over the
 * directory (mtimes and sizes kept in typed arrays), so a cache of a million files costs
 * a few megabytes, not a list of names. The engine runs it at start and every hour;
 * `bereik tts prune` runs it by hand.
 */
import { opendir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FILE } from './cache.ts';
import { handlerErrors } from '../lib/handler-errors.ts';

/** A render's temporary file: .<hash>.<pid>.<random>.tmp.wav (src/tts/cache.ts). */
const TEMP_FILE = /^\.[0-9a-f]{64}\.\d+\.[0-9a-f]+\.tmp\.wav$/;
export const IN_USE_MS = 3600_000;

export interface PruneOptions {
  dir: string;
  /** Files not used for longer than this are removed. */
  maxAgeMs: number;
  /** Above this many bytes, the least recently used files are removed first. */
  maxBytes: number;
  /** Files used more recently than this are never removed (default one hour). */
  inUseMs?: number;
  /** Wall-clock now in ms (file times are wall-clock). */
  now?: number;
}

export interface PruneResult {
  removed: number;
  freedBytes: number;
  kept: number;
  keptBytes: number;
  tempRemoved: number;
  /** Still over maxBytes after pruning: everything left was used within the last hour. */
  overCap: boolean;
}

export async function pruneTtsCache(o: PruneOptions): Promise<PruneResult> {
  const now = o.now ?? Date.now();
  const inUse = o.inUseMs ?? IN_USE_MS;
  const result: PruneResult = { removed: 0, freedBytes: 0, kept: 0, keptBytes: 0, tempRemoved: 0, overCap: false };
  const remove = async (name: string, size: number) => {
    if (await unlinkIfThere(join(o.dir, name))) {
      result.removed++;
      result.freedBytes += size;
    }
  };

  // Pass 1: drop what is too old; note when and how big the rest is.
  let mtimes = new Float64Array(1024);
  let sizes = new Float64Array(1024);
  let n = 0;
  for await (const { name, size, mtimeMs } of cacheFiles(o.dir)) {
    if (TEMP_FILE.test(name)) {
      if (now - mtimeMs > inUse && (await unlinkIfThere(join(o.dir, name)))) result.tempRemoved++;
      continue;
    }
    if (now - mtimeMs > o.maxAgeMs) {
      await remove(name, size);
      continue;
    }
    if (n === mtimes.length) {
      mtimes = grow(mtimes);
      sizes = grow(sizes);
    }
    mtimes[n] = mtimeMs;
    sizes[n] = size;
    n++;
    result.keptBytes += size;
  }
  result.kept = n;
  if (result.keptBytes <= o.maxBytes) return result;

  // Over the size cap: find the last-use time at or before which everything must go.
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => mtimes[a]! - mtimes[b]!);
  let excess = result.keptBytes - o.maxBytes;
  let cutoff = -Infinity;
  for (const i of order) {
    if (excess <= 0 || now - mtimes[i]! <= inUse) break;
    cutoff = mtimes[i]!;
    excess -= sizes[i]!;
  }
  // Pass 2: remove those (a file used since pass 1 has a newer mtime and stays).
  if (cutoff > -Infinity) {
    for await (const { name, size, mtimeMs } of cacheFiles(o.dir)) {
      if (!TEMP_FILE.test(name) && mtimeMs <= cutoff) {
        await remove(name, size);
        result.kept--;
        result.keptBytes -= size;
      }
    }
  }
  result.overCap = result.keptBytes > o.maxBytes;
  return result;
}

/** The cache's own files (finished and temporary) with size and last use; nothing else in the directory. */
async function* cacheFiles(dir: string): AsyncGenerator<{ name: string; size: number; mtimeMs: number }> {
  let handle;
  try {
    handle = await opendir(dir, { bufferSize: 256 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for await (const entry of handle) {
    if (!entry.isFile() || !(CACHE_FILE.test(entry.name) || TEMP_FILE.test(entry.name))) continue;
    const s = await stat(join(dir, entry.name)).catch(() => undefined);
    if (s) yield { name: entry.name, size: s.size, mtimeMs: s.mtimeMs };
  }
}

async function unlinkIfThere(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

export interface CachePruner {
  /** The last prune's result (undefined before the first has finished). */
  readonly last: PruneResult | undefined;
  /** Files removed since start, for /metrics. */
  readonly removedTotal: number;
  /** Runs a prune now (or joins the one running). */
  run(): Promise<PruneResult | undefined>;
  /** Stops the timer and waits for a running prune. */
  stop(): Promise<void>;
}

export interface PrunerOptions extends Omit<PruneOptions, 'now'> {
  intervalMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** Prunes at once and then every intervalMs (wall time; timers unref'd so they never hold the process). */
export function startCachePruning(o: PrunerOptions): CachePruner {
  let last: PruneResult | undefined;
  let removedTotal = 0;
  let running: Promise<PruneResult | undefined> | undefined;
  const mb = (b: number) => Math.round(b / 1e5) / 10;
  const run = () =>
    (running ??= pruneTtsCache(o)
      .then((r) => {
        last = r;
        removedTotal += r.removed;
        if (r.removed || r.tempRemoved) o.log.info({ removed: r.removed, freedMb: mb(r.freedBytes), kept: r.kept, keptMb: mb(r.keptBytes), tempRemoved: r.tempRemoved }, 'tts cache pruned');
        if (r.overCap) o.log.warn({ keptMb: mb(r.keptBytes), maxMb: mb(o.maxBytes) }, 'tts cache is over tts.cacheMaxMb with files used in the last hour: raise the cap');
        return r;
      })
      .catch((err: unknown) => {
        handlerErrors.report(o.log, 'timer', err, { timer: 'tts prune', dir: o.dir }, 'tts cache prune failed');
        return undefined;
      })
      .finally(() => (running = undefined)));
  void run();
  const timer = setInterval(() => void run(), o.intervalMs);
  timer.unref();
  return {
    get last() {
      return last;
    },
    get removedTotal() {
      return removedTotal;
    },
    run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
