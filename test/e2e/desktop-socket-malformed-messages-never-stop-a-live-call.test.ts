/**
 * An agent's desktop (or anyone holding an agent token) sends garbage over the desktop
 * socket while a debtor is on the line: each message is answered with an error, the
 * service keeps answering /healthz, and the debtor's call goes on to its end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ScaledClock } from '../../src/lib/clock.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { handlerErrors } from '../../src/lib/handler-errors.ts';
import { startTestApp } from '../helpers/app.ts';

type Msg = { type: string; code?: string; message?: string; [k: string]: unknown };

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Text frames: each must be answered with exactly one error, and nothing else. */
const TEXT_CORPUS: string[] = [
  'null', 'true', '42', '"__proto__"', '"toString"', '"constructor"', '[]', '[{"type":"ping"}]', '{}', '', 'not json', '{"type":', '\u0000',
  '{"type":null}', '{"type":42}', '{"type":["state"]}', '{"type":{"toString":"ping"}}', '{"type":"__proto__"}', '{"type":"constructor"}',
  '{"type":"toString"}', '{"type":"hasOwnProperty"}', '{"__proto__":{"type":"ping"}}', '{"type":"ping","__proto__":{"x":1}}',
  '{"type":"state","state":"constructor"}', '{"type":"state","state":"__proto__"}', '{"type":"state","state":"toString"}',
  '{"type":"state","state":"valueOf"}', '{"type":"state"}', '{"type":"state","state":null}', '{"type":"state","state":1}',
  '{"type":"state","state":["available"]}', '{"type":"state","state":{"valueOf":"available"}}', '{"type":"state","state":"available","extra":1}',
  '{"type":"state","state":"talking"}', '{"type":"ping","type":"state"}', '{"type":"auth","token":"brk_again"}',
  `{"type":"state","state":"${'a'.repeat(3000)}"}`, 'x'.repeat(60_000), `{"type":"auth","token":"${'t'.repeat(50_000)}"}`,
  nested(30_000), nestedObject(10_000),
];
/** Binary frames: refused with an error, whatever they hold. */
const BINARY_CORPUS: Buffer[] = [Buffer.from('{"type":"ping"}'), Buffer.from([0, 1, 2, 255, 254]), Buffer.alloc(0), Buffer.alloc(60_000, 7)];

function open(url: string) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/agent/ws');
  const msgs: Msg[] = [];
  const waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as Msg;
    msgs.push(m);
    for (const w of waiters.splice(0)) (w.pred(m) ? w.resolve(m) : waiters.push(w));
  });
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  return {
    ws,
    msgs,
    closed,
    opened: new Promise((r) => ws.once('open', r)),
    next: (pred: (m: Msg) => boolean) =>
      msgs.find(pred) ? Promise.resolve(msgs.find(pred)!) : new Promise<Msg>((resolve) => waiters.push({ pred, resolve })),
  };
}

test('a corpus of malformed desktop messages is answered with errors while a debtor call goes on to its end', { timeout: 120_000 }, async (t) => {
  const clock = new ScaledClock(20);
  const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
  t.after(() => rmSync(ttsDir, { recursive: true, force: true }));
  const tts = new SilentTts({ cacheDir: ttsDir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const h = await startTestApp({ clock, telephony: { tts } });
  t.after(() => h.close());
  const engine = h.app.deps.engine!;
  const wsErrorsBefore = handlerErrors.count('ws');

  const agent = (await (await h.api('/agents', { method: 'POST', json: { name: 'Anna', endpoint: 'PJSIP/agent1' } })).json()) as { id: number };
  const agentToken = ((await (await h.api(`/agents/${agent.id}/token`, { method: 'POST', role: 'admin' })).json()) as { token: string }).token;

  // A caller with a withheld number keys a debtor number that does not exist, three times.
  const channel = await engine.sim!.asterisk.callIn({
    from: '',
    exten: '0201234567',
    behaviour: { outcome: 'answer', keys: [2, 4, 6].map((n) => ({ afterPrompt: n, on: 'end' as const, delayMs: 600, keys: '404#' })), hangup: { idleMs: 60_000 } },
  });
  while (engine.calls.live.size === 0) await clock.delay(50);

  const desk = open(h.url);
  await desk.opened;
  desk.ws.send(JSON.stringify({ type: 'auth', token: agentToken }));
  await desk.next((m) => m.type === 'hello');
  for (const frame of TEXT_CORPUS) desk.ws.send(frame);
  for (const frame of BINARY_CORPUS) desk.ws.send(frame, { binary: true });
  desk.ws.send(JSON.stringify({ type: 'ping' }));
  await desk.next((m) => m.type === 'pong');

  const errors = desk.msgs.filter((m) => m.type === 'error');
  assert.ok(TEXT_CORPUS.length + BINARY_CORPUS.length >= 30);
  assert.equal(errors.length, TEXT_CORPUS.length + BINARY_CORPUS.length, 'one error per malformed message');
  assert.deepEqual(new Set(errors.map((e) => e.code)), new Set(['VALIDATION']));
  for (const e of errors) assert.ok(e.message!.length < 300, `a short message, never the value echoed back: ${e.message!.slice(0, 80)}…`);
  assert.match(errors[TEXT_CORPUS.indexOf('{"type":"state","state":"constructor"}')]!.message!, /state must be one of available, paused, offline/);
  assert.match(errors.at(-1)!.message!, /binary frames are not accepted/);
  assert.equal(desk.msgs.filter((m) => m.type === 'agent').length, 0, 'no message changed the agent state');

  // Frames the socket itself refuses close that socket only.
  const big = open(h.url);
  await big.opened;
  big.ws.send(JSON.stringify({ type: 'auth', token: agentToken }));
  await big.next((m) => m.type === 'hello');
  big.ws.send('x'.repeat(200_000));
  assert.equal(await big.closed, 1009, 'a frame past the size limit closes its socket (message too big)');
  const garbled = open(h.url);
  await garbled.opened;
  garbled.ws.send(JSON.stringify({ type: 'auth', token: agentToken }));
  await garbled.next((m) => m.type === 'hello');
  garbled.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  assert.equal(await garbled.closed, 1007, 'a text frame that is not UTF-8 closes its socket (invalid data)');
  const stranger = open(h.url);
  await stranger.opened;
  stranger.ws.send('null');
  assert.equal(await stranger.closed, 4401);
  assert.equal(stranger.msgs[0]?.code, 'AUTH_INVALID');

  // The desktop still works, the service still answers, and the call is still up.
  // (paused, not available: an available agent would take the caller when the flow queues them)
  desk.ws.send(JSON.stringify({ type: 'state', state: 'paused' }));
  const changed = await desk.next((m) => m.type === 'agent');
  assert.equal((changed.agent as { state: string }).state, 'paused');
  const health = await fetch(h.url + '/healthz');
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  assert.equal(engine.calls.live.size, 1, 'the debtor is still on the line');

  // …and goes on to its end: every prompt heard, the result stored and listed.
  while (engine.calls.live.size > 0) await clock.delay(100);
  const phoneCall = engine.sim!.asterisk.calls().find((c) => c.channelId === channel)!;
  assert.ok(phoneCall.heard.length >= 8, `welcome, three times asked and not found, then the end: ${phoneCall.heard.length} prompts`);
  assert.ok(phoneCall.endedAt);
  const calls = (await (await h.api('/calls')).json()) as { items: { result: string | null }[] };
  assert.deepEqual(calls.items.map((c) => c.result), ['debtor_not_found']);
  assert.equal(handlerErrors.count('ws') - wsErrorsBefore, 0, 'no message reached a bug of ours');
  desk.ws.close();
});
