/**
 * A bug behind one event never takes down the process and the calls in it: it is logged
 * with context, counted on /metrics (bereik_handler_errors_total{edge}), and the service
 * keeps serving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { startTestApp } from '../helpers/app.ts';

const repo = join(import.meta.dirname, '..', '..');

function metric(text: string, edge: string): number {
  const m = new RegExp(`^bereik_handler_errors_total\\{edge="${edge}"\\} (\\d+)$`, 'm').exec(text);
  assert.ok(m, `bereik_handler_errors_total{edge="${edge}"} is on /metrics`);
  return Number(m[1]);
}

test('an ARI event listener that throws is counted on /metrics and the caller still gets the whole call', { timeout: 60_000 }, async (t) => {
  const clock = new ScaledClock(20);
  const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
  t.after(() => rmSync(ttsDir, { recursive: true, force: true }));
  const h = await startTestApp({ clock, telephony: { tts: new SilentTts({ cacheDir: ttsDir, delivery: 'file', asteriskPath: '', publicUrl: '' }) } });
  t.after(() => h.close());
  const engine = h.app.deps.engine!;
  const before = metric(await (await h.api('/metrics', { role: 'admin' })).text(), 'ari');

  // After the inbound flow took the call, a second listener has a bug.
  engine.telephony.on('inbound', () => {
    throw new Error('a listener bug');
  });
  const channel = await engine.sim!.asterisk.callIn({
    from: '',
    exten: '0201234567',
    behaviour: { outcome: 'answer', keys: [2, 4, 6].map((n) => ({ afterPrompt: n, on: 'end' as const, delayMs: 600, keys: '404#' })), hangup: { idleMs: 60_000 } },
  });
  while (engine.calls.live.size === 0) await clock.delay(50);
  while (engine.calls.live.size > 0) await clock.delay(100);

  const metrics = await (await h.api('/metrics', { role: 'admin' })).text();
  assert.equal(metric(metrics, 'ari') - before, 1);
  assert.ok(engine.sim!.asterisk.calls().find((c) => c.channelId === channel)!.heard.length >= 8, 'the caller heard the whole flow');
  const calls = (await (await h.api('/calls')).json()) as { items: { result: string | null }[] };
  assert.deepEqual(calls.items.map((c) => c.result), ['debtor_not_found']);
  assert.equal((await fetch(h.url + '/healthz')).status, 200);
});

test("bereik serve's last resort logs and counts an uncaught exception and an unhandled rejection, and the process goes on", () => {
  const script = `
    import { catchStrayErrors, handlerErrors } from ${JSON.stringify(join(repo, 'src/lib/handler-errors.ts'))};
    const log = { error: (obj, msg) => console.log(JSON.stringify({ msg, edge: obj.edge, err: String(obj.err) })) };
    catchStrayErrors(log);
    setTimeout(() => { throw new Error('timer bug'); }, 1);
    Promise.reject(new Error('forgotten promise'));
    setTimeout(() => console.log(JSON.stringify({ alive: true, counts: handlerErrors.snapshot() })), 50);
  `;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
  assert.equal(res.status, 0, res.stderr);
  const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    lines.filter((l) => l.msg).map((l) => [l.edge, l.err]).sort(),
    [['process', 'Error: forgotten promise'], ['process', 'Error: timer bug']],
  );
  const last = lines.at(-1) as { alive: boolean; counts: Record<string, number> };
  assert.equal(last.alive, true);
  assert.equal(last.counts.process, 2);
});
