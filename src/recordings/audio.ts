/**
 * An uploaded recording → what Asterisk plays: 8 kHz, 16-bit, mono WAV, peak-normalised to
 * −3 dBFS, leading and trailing silence trimmed, by sox with -R (the same upload gives the
 * same bytes, so the same file name). Before converting, sox's `stats` on the original
 * tells a silent or clipped take, so the admin hears why it was refused instead of the
 * debtor hearing it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BereikError } from '../lib/errors.ts';
import { parseWavHeader } from '../tts/wav.ts';

const run = promisify(execFile);

/** Peak below this: nothing was said (a muted microphone, a file of dither). */
export const SILENT_BELOW_DB = -50;
/** Peak at full scale with a flat factor this high: samples sat at the rail, the take clipped. */
const CLIPPED_PEAK_DB = -0.1;
const CLIPPED_FLAT_FACTOR = 1;
/** Trimmed from both ends: quieter than this (relative to full scale, after normalising) for 20 ms. */
const TRIM_THRESHOLD = '-45d';
const NORMALISE_TO_DB = -3;
const SOX_TIMEOUT_MS = 60_000;

export type UploadKind = 'wav' | 'mp3';

export interface PreparedRecording {
  /** <sha256 of the converted bytes>.wav, in the recordings directory. */
  file: string;
  durationMs: number;
}

export interface PrepareOptions {
  /** The key, named in every refusal. */
  key: string;
  maxSeconds: number;
}

/** WAV or MP3 by its first bytes; anything else is not what an admin should upload. */
export async function sniff(path: string): Promise<UploadKind | 'empty' | 'other'> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await fh.read(head, 0, 12, 0);
    if (bytesRead === 0) return 'empty';
    if (head.toString('ascii', 0, 4) === 'RIFF' && head.toString('ascii', 8, 12) === 'WAVE') return 'wav';
    if (head.toString('ascii', 0, 3) === 'ID3' || (head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)) return 'mp3';
    return 'other';
  } finally {
    await fh.close();
  }
}

let mp3Support: Promise<boolean> | undefined;
/** Debian's sox reads MP3 only with libsox-fmt-mp3 installed. */
export function soxReadsMp3(): Promise<boolean> {
  mp3Support ??= run('sox', ['-h'], { timeout: 10_000 }).then(({ stdout }) => /AUDIO FILE FORMATS:.*\bmp3\b/.test(stdout), () => false);
  return mp3Support;
}

export interface SoxStats {
  peakDb: number;
  flatFactor: number;
  seconds: number;
}

/** sox's `stats` of a file (the overall column), or RECORDING_NOT_AUDIO with sox's own words. */
export async function soxStats(path: string, kind: UploadKind, key: string): Promise<SoxStats> {
  let stderr: string;
  try {
    ({ stderr } = await run('sox', ['-t', kind, path, '-n', 'stats'], { timeout: SOX_TIMEOUT_MS }));
  } catch (err) {
    throw notAudio(key, err);
  }
  const field = (name: string): number => {
    const m = new RegExp(`^${name}\\s+(-?[\\d.]+|-?inf)`, 'm').exec(stderr);
    if (!m) throw new BereikError('RECORDING_NOT_AUDIO', `recording ${key}: sox read the file but reported no "${name}"`, { key });
    return m[1]!.endsWith('inf') ? -Infinity : Number(m[1]);
  };
  return { peakDb: field('Pk lev dB'), flatFactor: field('Flat factor'), seconds: field('Length s') };
}

function notAudio(key: string, err: unknown): BereikError {
  // sox names the file by its temporary path (`/tmp/…/upload.csv'): that says nothing to the admin and differs per upload.
  const said = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n').at(-1)?.replace(/^sox FAIL \w+: /, '').replace(/\s*`[^`']*'/g, '') ?? '';
  return new BereikError('RECORDING_NOT_AUDIO', `recording ${key}: not audio sox can read${said ? ` (${said.slice(0, 200)})` : ''}`, { key });
}

/**
 * Checks and converts the upload at `inPath` into `dir` (content-named, so an identical
 * take is one file). Refusals: RECORDING_NOT_AUDIO, RECORDING_FORMAT_UNSUPPORTED,
 * RECORDING_SILENT, RECORDING_CLIPPED, RECORDING_TOO_LONG, each naming the key and why.
 */
export async function prepareRecording(inPath: string, dir: string, opts: PrepareOptions): Promise<PreparedRecording> {
  const { key } = opts;
  const kind = await sniff(inPath);
  if (kind === 'empty') throw new BereikError('RECORDING_NOT_AUDIO', `recording ${key}: the upload is empty (0 bytes)`, { key });
  if (kind === 'other') throw new BereikError('RECORDING_NOT_AUDIO', `recording ${key}: not a WAV (RIFF/WAVE) or MP3 file: upload the take as WAV or MP3`, { key });
  if (kind === 'mp3' && !(await soxReadsMp3())) {
    throw new BereikError('RECORDING_FORMAT_UNSUPPORTED', `recording ${key}: an MP3, and this machine's sox cannot read MP3: install libsox-fmt-mp3 (apt-get install libsox-fmt-mp3) or upload WAV`, { key });
  }
  const stats = await soxStats(inPath, kind, key);
  if (!(stats.peakDb >= SILENT_BELOW_DB)) {
    throw new BereikError('RECORDING_SILENT', `recording ${key}: silent (loudest sample ${fmtDb(stats.peakDb)} dBFS, below ${SILENT_BELOW_DB})`, { key, peakDb: stats.peakDb });
  }
  if (stats.peakDb >= CLIPPED_PEAK_DB && stats.flatFactor >= CLIPPED_FLAT_FACTOR) {
    throw new BereikError('RECORDING_CLIPPED', `recording ${key}: clipped (peak ${fmtDb(stats.peakDb)} dBFS with runs of samples at full scale, flat factor ${stats.flatFactor}): record it again at a lower level`, { key, peakDb: stats.peakDb, flatFactor: stats.flatFactor });
  }
  // Long beyond any doubt before converting a whole hour of audio.
  if (stats.seconds > opts.maxSeconds * 4) throw tooLong(key, stats.seconds, opts.maxSeconds);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.upload-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.wav`);
  try {
    try {
      await run('sox', ['-R', '-t', kind, inPath, '-t', 'wav', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', tmp,
        'norm', String(NORMALISE_TO_DB), 'silence', '1', '0.02', TRIM_THRESHOLD, 'reverse', 'silence', '1', '0.02', TRIM_THRESHOLD, 'reverse'], { timeout: SOX_TIMEOUT_MS });
    } catch (err) {
      throw notAudio(key, err);
    }
    const bytes = await readFile(tmp);
    const { durationMs } = parseWavHeader(bytes);
    // Trimming left nothing of it: only a click or a breath was above the silence floor.
    if (durationMs < 50) throw new BereikError('RECORDING_SILENT', `recording ${key}: nothing left after trimming the silence (${durationMs} ms of sound)`, { key, peakDb: stats.peakDb });
    if (durationMs > opts.maxSeconds * 1000) throw tooLong(key, durationMs / 1000, opts.maxSeconds);
    const file = `${createHash('sha256').update(bytes).digest('hex')}.wav`;
    await rename(tmp, join(dir, file));
    return { file, durationMs };
  } finally {
    await rm(tmp, { force: true });
  }
}

function tooLong(key: string, seconds: number, limit: number): BereikError {
  return new BereikError('RECORDING_TOO_LONG', `recording ${key}: ${seconds.toFixed(1)} s of sound after trimming the silence; at most ${limit} s (tts.recordingMaxSeconds)`, { key, seconds: Math.round(seconds * 10) / 10, limit });
}

const fmtDb = (db: number) => (Number.isFinite(db) ? db.toFixed(1) : '-inf');
