import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const repo = join(import.meta.dirname, '..', '..');

// `npm start` is `node bin/bereik.mjs serve`: start it on a free port with a temp database,
// ask /healthz, then send SIGTERM and expect a clean exit with the database closed.
test('bereik serve answers /healthz and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-serve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'bereik.sqlite');
  const child = spawn(process.execPath, [join(repo, 'bin', 'bereik.mjs'), 'serve'], {
    cwd: repo,
    env: { ...process.env, BEREIK_HTTP_PORT: '0', BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'info', BEREIK_ARI_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
  const res = await fetch(`${address}/healthz`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string };
  assert.ok(['ok', 'degraded'].includes(body.status), `health status ${body.status}`);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, `clean exit; output:\n${out}`);
  assert.match(out, /shutting down/);
  assert.match(out, /"msg":"stopped"/);
  assert.ok(existsSync(dbPath), 'the SQLite file was created under the configured path');
  // SQLite removes the -wal file when the last connection closes cleanly: proof the store was closed.
  assert.ok(!existsSync(`${dbPath}-wal`), 'database closed (WAL checkpointed and removed)');
});
