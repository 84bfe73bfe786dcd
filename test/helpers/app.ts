/**
 * Starts Bereik on 127.0.0.1, port 0, with a temporary SQLite file, and hands out a
 * token per role. Call close() (t.after) to stop the server and remove the files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { createApp, type App, type CreateAppOptions } from '../../src/app.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createToken } from '../../src/http/tokens.ts';
import type { Clock } from '../../src/lib/clock.ts';

export interface TestApp {
  app: App;
  url: string;
  dir: string;
  dbPath: string;
  tokens: { admin: string; operator: string; agent: string; supervisor: string };
  /** fetch with the given role's token (default operator); path is relative to the base URL. */
  api(path: string, init?: RequestInit & { role?: keyof TestApp['tokens'] | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApp(opts: { clock?: Clock; config?: Record<string, unknown>; telephony?: CreateAppOptions['telephony']; messaging?: CreateAppOptions['messaging'] } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-test-'));
  const dbPath = join(dir, 'bereik.sqlite');
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, db: { path: dbPath }, log: { level: 'silent' }, tts: { cacheDir: join(dir, 'tts') }, ...opts.config });
  const app = await createApp({ config, clock: opts.clock, log: silentLogger(), ...(opts.telephony !== undefined ? { telephony: opts.telephony } : {}), ...(opts.messaging !== undefined ? { messaging: opts.messaging } : {}) });
  const url = await app.listen();
  const make = (role: 'admin' | 'operator' | 'agent' | 'supervisor') => createToken(app.deps.store.tokens, app.deps.clock, { name: `test-${role}`, role }).token;
  const tokens = { admin: make('admin'), operator: make('operator'), agent: make('agent'), supervisor: make('supervisor') };
  return {
    app,
    url,
    dir,
    dbPath,
    tokens,
    api(path, init = {}) {
      const { role = 'operator', json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (role) headers.set('authorization', `Bearer ${tokens[role]}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request with this bearer token; the body (if any) as JSON. Status and text, for walks over every route. */
export async function sendAs(app: Pick<TestApp, 'url'>, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(app.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: await res.text() };
}
