/**
 * Temporary directories of imports: the upload spool, the checked rows (spill.ts) and
 * the duplicate buckets (dedupe.ts). Each is named bereik-<kind>-<pid>-<random> so that a
 * later start can tell ours from anyone else's and a dead process's from a live one's: a
 * kill -9 mid-import leaves them behind (289 MB for a 110,000-row file), and nothing else
 * would ever remove them.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempKind = 'import' | 'upload';

/** mkdtemp's six random characters after our prefix: nothing else we do not own matches. */
const OURS = /^bereik-(import|upload)-(\d+)-[A-Za-z0-9]{6}$/;

export function makeTempDir(kind: TempKind, parent = tmpdir()): string {
  return mkdtempSync(join(parent, `bereik-${kind}-${process.pid}-`));
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the import directories in `parent` whose process is gone; returns their names.
 * A directory of a live process (a `bereik import` beside the service) is left alone, and
 * so is one whose pid was reused since: it goes at a later start.
 */
export function removeStaleTempDirs(parent = tmpdir(), isAlive: (pid: number) => boolean = alive): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = OURS.exec(name);
    if (!m || isAlive(Number(m[2]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
