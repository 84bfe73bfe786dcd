import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { startServe } from '../helpers/serve.ts';

// `npm start` is `node bin/bereik.mjs serve`: start it on a free port with a temp database,
// ask /healthz, then send SIGTERM and expect a clean exit with the database closed.
test('bereik serve answers /healthz and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-serve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'bereik.sqlite');
  const { child, address, output } = await startServe(t, dbPath);
  const res = await fetch(`${address}/healthz`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string };
  assert.ok(['ok', 'degraded'].includes(body.status), `health status ${body.status}`);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, `clean exit; output:\n${output()}`);
  assert.match(output(), /shutting down/);
  assert.match(output(), /"msg":"stopped"/);
  assert.ok(existsSync(dbPath), 'the SQLite file was created under the configured path');
  // SQLite removes the -wal file when the last connection closes cleanly: proof the store was closed.
  assert.ok(!existsSync(`${dbPath}-wal`), 'database closed (WAL checkpointed and removed)');
});
