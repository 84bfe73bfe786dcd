/**
 * How long a media URI would play on a real Asterisk, or why it would fail.
 * sound:/abs/path plays a file from disk (Asterisk picks the format by extension);
 * stock sounds use measured durations; sound:http://… failed on the recorded Asterisk
 * (trace 01), so it fails here too; tone: plays until stopped.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Durations of Asterisk's stock English prompts, measured in the traces or from the core sounds package. */
const STOCK_MS: Record<string, number> = {
  'hello-world': 1400,
  goodbye: 930,
  beep: 250,
  'vm-goodbye': 1000,
  'demo-congrats': 11000,
  'tt-weasels': 3500,
  'tt-monkeys': 6000,
  'pls-hold-while-try': 2100,
  'queue-thankyou': 1600,
  'auth-thankyou': 1000,
  'silence/1': 1000,
  'silence/2': 2000,
  'silence/3': 3000,
  'silence/5': 5000,
  'silence/10': 10000,
};
/** A stock sound not in the table: a typical short prompt. */
const STOCK_ESTIMATE_MS = 2000;

export type MediaPlan = { kind: 'timed'; ms: number } | { kind: 'endless' } | { kind: 'fail'; why: string };

/** Raw formats Asterisk reads, in bytes per second of audio (8 kHz unless named). */
const RAW_BYTES_PER_SEC: Record<string, number> = {
  '.sln': 16000,
  '.raw': 16000,
  '.sln16': 32000,
  '.ulaw': 8000,
  '.alaw': 8000,
  '.gsm': 1650, // 33-byte frames every 20 ms
  '.g722': 8000,
};
const TRY_EXTENSIONS = ['.wav', '.sln', '.sln16', '.gsm', '.ulaw', '.alaw', '.raw', '.g722'];

interface CacheEntry {
  mtimeMs: number;
  size: number;
  ms: number | null;
}
const fileCache = new Map<string, CacheEntry>();

/** Length in ms of a WAV file from its header (fmt byte rate, data size); null if unreadable. */
export function wavDurationMs(path: string): number | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') return null;
    let off = 12;
    let byteRate = 0;
    while (off + 8 <= n) {
      const id = head.toString('ascii', off, off + 4);
      let size = head.readUInt32LE(off + 4);
      if (id === 'fmt ') byteRate = head.readUInt32LE(off + 16);
      if (id === 'data') {
        // Streaming writers leave 0 or 0xFFFFFFFF: the data then runs to the end of the file.
        const total = statSync(path).size;
        if (size === 0 || size === 0xffffffff || off + 8 + size > total) size = total - off - 8;
        return byteRate > 0 ? Math.round((size / byteRate) * 1000) : null;
      }
      off += 8 + size + (size % 2);
    }
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fileDurationMs(path: string, ext: string): number | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const hit = fileCache.get(path);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.ms;
  const bps = RAW_BYTES_PER_SEC[ext];
  const ms = ext === '.wav' ? wavDurationMs(path) : bps ? Math.round((st.size / bps) * 1000) : null;
  fileCache.set(path, { mtimeMs: st.mtimeMs, size: st.size, ms });
  return ms;
}

/** What playing one media URI would do. */
export function planMedia(uri: string): MediaPlan {
  const colon = uri.indexOf(':');
  const scheme = colon > 0 ? uri.slice(0, colon) : '';
  const rest = colon > 0 ? uri.slice(colon + 1) : uri;
  switch (scheme) {
    case 'sound':
      return planSound(rest);
    case 'tone':
      return { kind: 'endless' };
    case 'digits':
      return rest ? { kind: 'timed', ms: 600 * rest.length } : { kind: 'fail', why: 'no digits' };
    case 'number':
      return /^-?\d+$/.test(rest) ? { kind: 'timed', ms: 700 * Math.max(1, rest.replace('-', '').length) } : { kind: 'fail', why: 'not a number' };
    case 'characters':
      return rest ? { kind: 'timed', ms: 500 * rest.length } : { kind: 'fail', why: 'no characters' };
    case 'recording':
      return { kind: 'fail', why: 'no stored recordings in the simulator' };
    default:
      return { kind: 'fail', why: `unknown media scheme '${scheme}'` };
  }
}

function planSound(name: string): MediaPlan {
  if (/^https?:\/\//i.test(name)) return { kind: 'fail', why: 'HTTP media did not play on the recorded Asterisk' };
  if (name.startsWith('/')) {
    const dot = name.lastIndexOf('.');
    const slash = name.lastIndexOf('/');
    if (dot > slash) {
      const ms = fileDurationMs(name, name.slice(dot));
      if (ms !== null) return { kind: 'timed', ms };
    }
    for (const ext of TRY_EXTENSIONS) {
      const ms = fileDurationMs(name + ext, ext);
      if (ms !== null) return { kind: 'timed', ms };
    }
    return { kind: 'fail', why: `no playable file at ${name}` };
  }
  if (!name) return { kind: 'fail', why: 'empty sound name' };
  return { kind: 'timed', ms: STOCK_MS[name] ?? STOCK_ESTIMATE_MS };
}
