/**
 * kill -9 in the middle of sending: Bereik's outbox worker and SMPP channel run in a child
 * process that is killed with SIGKILL once half the messages reached the simulated SMSC,
 * then started again on the same database. Every message must be accounted for (arrived,
 * failed, cancelled, or left `uncertain` for an operator) and none may arrive twice.
 * The scenario is the benchmark's (scripts/bench-sms-restart.ts), at a test's size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));

test('kill -9 halfway through 600 SMS and a restart: none arrives twice, none is lost, the ones in flight are uncertain', { timeout: 180_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-sms-restart.ts', '--messages', '600', '--window', '10'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const figure = (label: string) => Number(new RegExp(`${label}[^│]*│\\s*(\\d+)`).exec(out)?.[1]);
  assert.match(out, /kill -9 after \d+ reached the SMSC/, out);
  assert.equal(figure('arrived twice'), 0, out);
  assert.equal(figure('lost'), 0, out);
  // The restarted worker marked what the killed one had in flight (at most its window × 2).
  const uncertain = figure('uncertain after the restart');
  assert.ok(uncertain >= 0 && uncertain <= 20, `uncertain ${uncertain}`);
  assert.ok(figure('arrived at the handset') >= 600 - 20 - 20, out);
  assert.equal(code, 0, out);
});
