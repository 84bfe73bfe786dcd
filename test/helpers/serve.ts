/**
 * `npm start` as a process: `node bin/bereik.mjs serve` on a free port with the given
 * database and the built-in simulator; resolves once it logs its address.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');

export interface ServeProcess {
  child: ChildProcess;
  address: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

export interface ServeOptions {
  /** More settings (BEREIK_ARI_URL to use an Asterisk instead of the built-in simulator; BEREIK_FROM_SOURCE: '0' runs dist/ as production does). */
  env?: Record<string, string>;
  /**
   * The wall clock the service starts at (UTC, "2026-11-23 09:00:00"), running on from
   * there: Debian's faketime, monotonic time left alone so timers stay real. For a service
   * that must dial inside the legal calling hours whatever the hour the test runs at.
   */
  startAtUtc?: string;
}

export async function startServe(t: { after(fn: () => void): void }, dbPath: string, opts: ServeOptions = {}): Promise<ServeProcess> {
  // libfaketime preloaded into node itself (the faketime command would fork, and a kill
  // of the wrapper would leave the service running).
  const faked = opts.startAtUtc ? { LD_PRELOAD: libfaketime(), FAKETIME: `@${opts.startAtUtc}`, DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' } : {};
  const child = spawn(process.execPath, [join(repo, 'bin', 'bereik.mjs'), 'serve'], {
    cwd: repo,
    env: { ...process.env, BEREIK_HTTP_PORT: '0', BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'info', BEREIK_ARI_URL: '', BEREIK_FROM_SOURCE: '1', ...faked, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
  return { child, address, output: () => out };
}

const LIBFAKETIME = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1'];

function libfaketime(): string {
  const lib = LIBFAKETIME.find((p) => existsSync(p));
  if (!lib) throw new Error(`startServe startAtUtc needs libfaketime (Debian package faketime); none of ${LIBFAKETIME.join(', ')} exists`);
  return lib;
}

/** A served API as one token (the first admin unless told otherwise): status and parsed JSON (or the text when it is not JSON). */
export type ServeApi = (path: string, init?: { method?: string; json?: unknown; csv?: string; token?: string }) => Promise<{ status: number; body: any }>;

export function serveApi(serve: Pick<ServeProcess, 'address'>, admin: string): ServeApi {
  return async (path, init = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? admin}` };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.csv !== undefined) headers['content-type'] = 'text/csv';
    const res = await fetch(serve.address + path, { method: init.method ?? (init.json || init.csv ? 'POST' : 'GET'), headers, body: init.csv ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined) });
    const text = await res.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : null; } catch { /* a file or plain text */ }
    return { status: res.status, body };
  };
}

/** Polls fn until it gives a value; on time-out fails with what serve logged (log()). */
export function pollUntil(log: () => string, defaultMs: number, everyMs = 200) {
  return async <R>(what: string, fn: () => Promise<R | undefined>, ms = defaultMs): Promise<R> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) assert.fail(`${what} did not happen within ${ms / 1000} s; serve said:\n${log()}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
}
