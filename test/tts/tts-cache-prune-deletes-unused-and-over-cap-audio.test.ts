import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneTtsCache, startCachePruning } from '../../src/tts/prune.ts';
import { SilentTts } from '../../src/tts/silent.ts';

const root = mkdtempSync(join(tmpdir(), 'bereik-prune-'));
after(() => rmSync(root, { recursive: true, force: true }));

const HOUR = 3600_000;
const DAY = 24 * HOUR;
// One reference time for every test: now. The service and the CLI read the wall clock, and
// the pruner's own tests pass this as its `now`, so no test depends on a fixed date.
const NOW = Date.now();
let seq = 0;

/** A cache file of `size` bytes last used `ago` ms before NOW; returns its name. */
function cached(dir: string, ago: number, size = 1000): string {
  const name = (seq++).toString(16).padStart(64, '0') + '.wav';
  writeFileSync(join(dir, name), Buffer.alloc(size));
  const t = new Date(NOW - ago);
  utimesSync(join(dir, name), t, t);
  return name;
}

function freshDir(): string {
  const d = join(root, `c${seq++}`);
  mkdirSync(d);
  return d;
}

test('audio unused for longer than the maximum age is deleted; recently used audio stays', async () => {
  const dir = freshDir();
  const old = [cached(dir, 4 * DAY), cached(dir, 3 * DAY + 1000)];
  const recent = [cached(dir, 2 * DAY), cached(dir, 10_000)];
  const r = await pruneTtsCache({ dir, maxAgeMs: 3 * DAY, maxBytes: 1e9, now: NOW });
  assert.deepEqual(readdirSync(dir).sort(), recent.sort());
  assert.deepEqual({ removed: r.removed, freedBytes: r.freedBytes, kept: r.kept, keptBytes: r.keptBytes, overCap: r.overCap }, { removed: 2, freedBytes: 2000, kept: 2, keptBytes: 2000, overCap: false });
  for (const f of old) assert.equal(existsSync(join(dir, f)), false, `${f} deleted`);
});

test('over the size cap the least recently used go first, until it fits', async () => {
  const dir = freshDir();
  const oldest = cached(dir, 2 * DAY, 4000);
  const older = cached(dir, DAY, 4000);
  const newer = cached(dir, 5 * HOUR, 4000);
  const newest = cached(dir, 2 * HOUR, 4000);
  const r = await pruneTtsCache({ dir, maxAgeMs: 7 * DAY, maxBytes: 9000, now: NOW });
  assert.deepEqual(readdirSync(dir).sort(), [newer, newest].sort(), `${oldest} and ${older} deleted`);
  assert.equal(r.removed, 2);
  assert.equal(r.keptBytes, 8000);
  assert.equal(r.overCap, false);
});

test('a file used within the last hour is never deleted, even over the cap (a call may be playing it)', async () => {
  const dir = freshDir();
  const stale = cached(dir, 3 * HOUR, 5000);
  const playing = [cached(dir, 30 * 60_000, 5000), cached(dir, 1000, 5000)];
  const r = await pruneTtsCache({ dir, maxAgeMs: 7 * DAY, maxBytes: 6000, now: NOW });
  assert.equal(existsSync(join(dir, stale)), false);
  assert.deepEqual(readdirSync(dir).sort(), playing.sort());
  assert.equal(r.overCap, true, 'still over the cap, and says so');
});

test("left-over temporary files of a crashed render go after an hour; other people's files are never touched", async () => {
  const dir = freshDir();
  const hash = 'a'.repeat(64);
  const leftover = `.${hash}.4242.deadbeef.tmp.wav`;
  const rendering = `.${hash}.4243.cafebabe.tmp.wav`;
  for (const [name, ago] of [[leftover, 2 * HOUR], [rendering, 60_000]] as const) {
    writeFileSync(join(dir, name), 'x');
    utimesSync(join(dir, name), new Date(NOW - ago), new Date(NOW - ago));
  }
  const foreign = ['notes.txt', 'abc.wav', `${hash}.mp3`];
  for (const name of foreign) {
    writeFileSync(join(dir, name), 'keep me');
    utimesSync(join(dir, name), new Date(NOW - 30 * DAY), new Date(NOW - 30 * DAY));
  }
  mkdirSync(join(dir, `${'b'.repeat(64)}.wav`));
  const r = await pruneTtsCache({ dir, maxAgeMs: DAY, maxBytes: 1, now: NOW });
  assert.equal(r.tempRemoved, 1);
  assert.deepEqual(readdirSync(dir).sort(), [...foreign, rendering, `${'b'.repeat(64)}.wav`].sort());
});

test('a cache directory that does not exist yet is nothing to prune', async () => {
  const r = await pruneTtsCache({ dir: join(root, 'never-made'), maxAgeMs: DAY, maxBytes: 1, now: NOW });
  assert.deepEqual(r, { removed: 0, freedBytes: 0, kept: 0, keptBytes: 0, tempRemoved: 0, overCap: false });
});

test('rendering a prompt again counts as a use: its file outlives an unused one of the same age', async () => {
  const dir = freshDir();
  const tts = new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const used = await tts.render('Er staat nog honderd euro open.', 'nl');
  const unused = await tts.render('Wij bellen namens Energie Noord.', 'nl');
  const file = (m: string) => m.slice('sound:'.length) + '.wav';
  const fourDaysAgo = new Date(NOW - 4 * DAY);
  for (const m of [used.media, unused.media]) utimesSync(file(m), fourDaysAgo, fourDaysAgo);
  const inode = statSync(file(used.media)).ino;
  assert.deepEqual(await tts.render('Er staat nog honderd euro open.', 'nl'), used, 'from the cache');
  assert.equal(statSync(file(used.media)).ino, inode, 'not rewritten, only touched');
  await pruneTtsCache({ dir, maxAgeMs: 3 * DAY, maxBytes: 1e9 });
  assert.equal(existsSync(file(used.media)), true, 'used just now: kept');
  assert.equal(existsSync(file(unused.media)), false, 'unused for four days: deleted');
});

test('the service prunes at start, logs counts only, and stops cleanly', async () => {
  const dir = freshDir();
  cached(dir, 10 * DAY);
  const keep = cached(dir, 0);
  const lines: { level: string; obj: object; msg: string }[] = [];
  const log = {
    info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg: string) => lines.push({ level: 'error', obj, msg }),
  };
  const pruner = startCachePruning({ dir, maxAgeMs: 3 * DAY, maxBytes: 1e9, intervalMs: HOUR, log });
  const r = await pruner.run();
  await pruner.stop();
  assert.deepEqual(readdirSync(dir), [keep]);
  assert.equal(r?.kept, 1);
  assert.equal(pruner.removedTotal, 1);
  assert.deepEqual(lines.map((l) => [l.level, l.msg]), [['info', 'tts cache pruned']]);
  assert.deepEqual(Object.keys(lines[0]!.obj).sort(), ['freedMb', 'kept', 'keptMb', 'removed', 'tempRemoved']);
});

test('bereik tts prune deletes by the configured limits and says what it did', async () => {
  const dir = freshDir();
  cached(dir, 5 * DAY, 2 * 1024 * 1024);
  const keep = cached(dir, DAY, 1024 * 1024);
  const bin = join(import.meta.dirname, '../../bin/bereik.mjs');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'tts', 'prune'], {
    env: { ...process.env, BEREIK_TTS_CACHE_DIR: dir, BEREIK_TTS_CACHE_MAX_AGE_DAYS: '3' },
  });
  assert.deepEqual(readdirSync(dir), [keep]);
  assert.match(stdout, /deleted 1 files \(2\.0 MB\) and 0 left-over temporary files; kept 1 files \(1\.0 MB\)/);
  await assert.rejects(promisify(execFile)(process.execPath, [bin, 'tts', 'purge']), (err: { code?: number; stderr?: string }) => err.code === 2 && /usage: bereik tts prune/.test(err.stderr ?? ''));
});

test('a started service prunes its configured cache at once and reports it on /metrics', async (t) => {
  const { startTestApp } = await import('../helpers/app.ts');
  const dir = freshDir();
  const stale = cached(dir, 4 * DAY);
  const h = await startTestApp({ telephony: {}, config: { tts: { engine: 'silent', cacheDir: dir, cacheMaxAgeDays: 3 } } });
  t.after(() => h.close());
  let metrics = '';
  for (let i = 0; i < 50 && !/bereik_tts_cache_pruned_total/.test(metrics); i++) {
    metrics = await (await h.api('/metrics', { role: 'admin' })).text();
    if (!/bereik_tts_cache_pruned_total/.test(metrics)) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(existsSync(join(dir, stale)), false, 'four days unused: deleted at start');
  assert.match(metrics, /bereik_tts_cache_pruned_total 1\n/);
  assert.match(metrics, /bereik_tts_cache_files 0\n/);
});
