/**
 * The database holds debtors' names, numbers and amounts, and token hashes: only the
 * service's own user may read it. SQLite creates files with 0644 and its -wal/-shm files
 * copy the database file's mode, so the file is narrowed before WAL mode makes them.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

export const OWNER_ONLY_FILE = 0o600;
export const OWNER_ONLY_DIR = 0o700;
/** Others may pass through (to a TTS cache inside that Asterisk reads) but not list or read. */
export const PASS_THROUGH_DIR = 0o711;

/** Creates the database's folder owner-only; an existing one loses group/other read and write. */
export function prepareDbFolder(dbPath: string): void {
  const dir = resolve(dirname(dbPath));
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
    return;
  }
  // Never the folder Bereik runs in (a database next to the code) or one above it.
  const cwd = resolve(process.cwd());
  if (cwd === dir || cwd.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return;
  // Nor a shared folder such as /tmp (sticky bit): narrowing it would break every other user
  // of the machine; the database files themselves are still made owner-only.
  if (isShared(dir)) return;
  tighten(dir, statSync(dir).mode & ~0o066);
}

/** The database file and its WAL companions, owner-only. */
export function protectDbFiles(dbPath: string): void {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`]) if (existsSync(f)) tighten(f, OWNER_ONLY_FILE);
}

/**
 * With tts.delivery 'file' and the cache inside the database's folder, Asterisk (another
 * user) must pass through that folder to the audio: owner-only would silence every prompt.
 */
export function letAsteriskThrough(dbPath: string, ttsCacheDir: string): void {
  const dir = resolve(dirname(dbPath));
  const cache = resolve(ttsCacheDir);
  if (!cache.startsWith(dir + sep) || !existsSync(dir)) return;
  if (isShared(dir)) return;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o011) !== 0o011) tighten(dir, (mode & ~0o066) | 0o011);
}

/** A folder everyone may write in with the sticky bit set (/tmp, /var/tmp): not ours to narrow. */
function isShared(dir: string): boolean {
  const mode = statSync(dir).mode;
  return (mode & 0o1000) !== 0 && (mode & 0o002) !== 0;
}

/** Sets the permission bits (rwx for owner, group, others) and keeps setgid and the like. */
function tighten(path: string, mode: number): void {
  try {
    const now = statSync(path).mode;
    if ((now & 0o777) !== (mode & 0o777)) chmodSync(path, (now & 0o7000) | (mode & 0o777));
  } catch {
    // Not ours to change (another owner, a read-only mount): the operator's choice stands.
  }
}
