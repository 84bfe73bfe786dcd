/**
 * The README's "Try it", word for word, against `bereik serve` whose system clock is moved
 * to Sunday 29 November 2026, 23:30 in Amsterdam by libfaketime (Debian `faketime`), when
 * Dutch rules forbid calling a debtor: its commands are run by bash as written (only the
 * port and the folder differ), and the call to the simulated debtor is placed and answered.
 * The service decides when to dial, so it is the one on the moved clock; the commands run
 * on the real one. (They ran under libfaketime too until a clean-clone CI run failed once
 * in libfaketime itself: a short-lived process's shared-memory semaphore was gone before a
 * child opened it — "ft_shm_init(), sem_open failed". None of the commands reads the date.) That the call then runs to the pay link is proven in
 * test/e2e/try-it-demo-campaign-calls-on-a-sunday-night.test.ts, on a faster clock; here
 * real time would make it a minute.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../helpers/serve.ts';

const repo = join(import.meta.dirname, '..', '..');
const LIBFAKETIME = ['x86_64-linux-gnu', 'aarch64-linux-gnu', '']
  .map((arch) => join('/usr/lib', arch, 'faketime', 'libfaketime.so.1'))
  .find((p) => existsSync(p));

/** The shell block of README.md's "Try it" section. */
function tryItBlock(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'README "Try it" has a sh block');
  return block[1]!;
}

test('the README Try-it, run as written on a Sunday at 23:30 in Amsterdam, places a call that is answered', { timeout: 90_000, skip: LIBFAKETIME ? false : 'libfaketime is not installed (apt-get install faketime)' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-try-it-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The service starts its clock at 22:30 UTC (23:30 CET); timers stay on real time.
  const env = {
    LD_PRELOAD: LIBFAKETIME!,
    FAKETIME: '@2026-11-29 22:30:00',
    DONT_FAKE_MONOTONIC: '1',
    TZ: 'UTC',
    BEREIK_DB_PATH: join(dir, 'bereik.sqlite'),
    BEREIK_TTS_ENGINE: 'silent',
    BEREIK_TTS_CACHE_DIR: join(dir, 'tts'),
    BEREIK_ARI_URL: '',
  };
  const { address } = await startServe(t, env.BEREIK_DB_PATH, { env });
  const port = new URL(address).port;

  // As written, except: the port, demo.csv in the temporary folder, and no minute's wait at the end.
  const script = tryItBlock()
    .replaceAll('localhost:3000', `localhost:${port}`)
    .replaceAll('demo.csv', join(dir, 'demo.csv'))
    .replace(/sleep 60;/, 'sleep 0;');
  assert.match(script, /"demo":true/);
  const out = await new Promise<string>((resolve, reject) => {
    // Also when this test itself runs under libfaketime (scripts/test-shifted-clock.sh).
    const blockEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const name of ['LD_PRELOAD', 'FAKETIME', 'FAKETIME_SHARED', 'DONT_FAKE_MONOTONIC']) delete blockEnv[name];
    const sh = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: repo, env: blockEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    sh.stdout.on('data', (d) => (text += d));
    sh.stderr.on('data', (d) => (text += d));
    sh.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the Try-it block failed (${code}):\n${text}`))));
  });
  assert.match(out, /campaign 1 \(Demo\): draft → running/, out);
  // The /calls answer 5 s after the start: the call to Jan Jansen, placed on Sunday night.
  // curl prints no newline: the /calls answer runs into the stats answer.
  const calls = /\{"items":.*?"nextCursor":(?:null|"[^"]*")\}/.exec(out)?.[0];
  assert.ok(calls, `the script printed /calls: ${out}`);
  const [call] = (JSON.parse(calls) as { items: Array<{ toNumber: string; state: string; createdAt: string }> }).items;
  assert.ok(call, `a call was placed: ${calls}`);
  assert.equal(call.toNumber, '+31612345001');
  assert.match(call.createdAt, /^2026-11-29T22:3/, 'placed on Sunday at 23:3x in Amsterdam');
  assert.ok(['ringing', 'up'].includes(call.state), `ringing or answered: ${call.state}`);
  assert.doesNotMatch(out, /"dialling"|contact_deferred/);
});
