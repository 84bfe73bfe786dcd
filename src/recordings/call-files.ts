/**
 * The files of agent-conversation recordings (docs/call-recordings.md): one WAV per
 * recording under one directory, named by the recording (never by a person). Rows in
 * call_recordings decide which files may stay: after the retention pass and after an
 * erasure, sweep() removes every file no row names any more. Writing a file and marking its
 * row stored happen in one synchronous step (recorder.ts), so a sweep never sees a finished
 * file without its row; the part file of a write starts with a dot and is never swept.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../lib/log.ts';
import type { CallRecordingRepository } from '../store/repositories.ts';
import type { Config } from '../config/schema.ts';

const SAFE = /^[A-Za-z0-9._-]+$/;

export class CallRecordingFiles {
  constructor(
    readonly dir: string,
    private readonly rows: Pick<CallRecordingRepository, 'files'>,
    private readonly log: Logger,
  ) {}

  /** Writes a recording's audio; returns the file name (under dir) and its size. */
  write(name: string, data: Buffer, ext = 'wav'): { file: string; bytes: number } {
    const file = `${name}.${ext}`;
    if (!SAFE.test(file)) throw new Error(`recordings: unsafe file name ${file}`);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.${file}.part`);
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, join(this.dir, file));
    return { file, bytes: data.length };
  }

  /** The full path of a stored file, or undefined if it is not (or no longer) on disk. */
  path(file: string): string | undefined {
    if (!SAFE.test(file)) return undefined;
    const p = join(this.dir, file);
    try {
      return statSync(p).isFile() ? p : undefined;
    } catch {
      return undefined;
    }
  }

  remove(file: string): void {
    if (SAFE.test(file)) rmSync(join(this.dir, file), { force: true });
  }

  /** Removes every file no row names (retention, erasure); returns how many went. */
  sweep(): number {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    const keep = this.rows.files();
    let removed = 0;
    for (const n of names) {
      if (n.startsWith('.') || keep.has(n)) continue;
      rmSync(join(this.dir, n), { force: true });
      removed++;
    }
    if (removed) this.log.info({ removed }, 'recordings: files of deleted recordings removed');
    return removed;
  }
}

export function recordingsDir(config: Pick<Config, 'agents' | 'tts'>): string {
  return config.agents.recordingsDir ? resolve(config.agents.recordingsDir) : resolve(config.tts.cacheDir, '..', 'call-recordings');
}
