import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { startServe } from '../helpers/serve.ts';

const repo = join(import.meta.dirname, '..', '..');

// Production runs what `npm run build` wrote to dist/, not TypeScript through tsx: the
// build must produce a service that starts, migrates a new database (the SQL files are
// copied beside the code), serves the desktop page and stops cleanly.
test('npm run build writes dist/, and bereik serve runs from it without tsx', async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo });
  assert.match(stdout, /dist\/ compiled, \d+ asset files copied/);
  assert.ok(existsSync(join(repo, 'dist', 'cli', 'main.js')), 'dist/cli/main.js built');
  assert.ok(existsSync(join(repo, 'dist', 'store', 'migrations', '001_init.sql')), 'migrations copied');

  const dir = mkdtempSync(join(tmpdir(), 'bereik-dist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { child, address, output } = await startServe(t, join(dir, 'bereik.sqlite'), { env: { BEREIK_FROM_SOURCE: '0' } });
  assert.match(output(), /"runs":"dist"/, 'served by the compiled code');
  assert.equal((await fetch(`${address}/healthz`)).status, 200);
  const page = await fetch(`${address}/desktop`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i, 'static files found beside the compiled code');
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, `clean exit; output:\n${output()}`);
});

test('the tests run the sources, so a stale dist/ never hides a change', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-src-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { child, output } = await startServe(t, join(dir, 'bereik.sqlite'));
  assert.match(output(), /"runs":"source"/);
  child.kill('SIGTERM');
  await once(child, 'exit');
});
