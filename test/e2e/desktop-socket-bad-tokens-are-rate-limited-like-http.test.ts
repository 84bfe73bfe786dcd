/**
 * Guessing agent tokens over the desktop socket is as slow as over HTTP: the same
 * per-address budget (auth.maxFailedPerMinute), shared by both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startTestApp } from '../helpers/app.ts';

/** Opens a desktop socket, sends one auth message, resolves with the first answer and the close code. */
async function tryToken(url: string, token: string): Promise<{ first: { type: string; code?: string; message?: string }; code: number }> {
  const ws = new WebSocket(url.replace('http', 'ws') + '/agent/ws');
  const first = new Promise<{ type: string; code?: string }>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'auth', token }));
  const answer = await first;
  if (answer.type === 'hello') ws.close();
  return { first: answer, code: await closed };
}

test('after auth.maxFailedPerMinute bad desktop tokens, the address gets AUTH_RATE_LIMITED on the socket and 429 over HTTP, good token or not', async (t) => {
  const h = await startTestApp({ config: { auth: { maxFailedPerMinute: 3 } } });
  t.after(() => h.close());
  const agent = (await (await h.api('/agents', { method: 'POST', json: { name: 'Anna', endpoint: 'PJSIP/agent1' } })).json()) as { id: number };
  const good = ((await (await h.api(`/agents/${agent.id}/token`, { method: 'POST', role: 'admin' })).json()) as { token: string }).token;
  assert.equal((await tryToken(h.url, good)).first.type, 'hello', 'a good token works before any failure');

  for (let i = 0; i < 3; i++) {
    const r = await tryToken(h.url, `brk_guess${i}`);
    assert.deepEqual([r.first.code, r.code], ['AUTH_INVALID', 4401]);
  }
  const limited = await tryToken(h.url, good);
  assert.equal(limited.first.code, 'AUTH_RATE_LIMITED');
  assert.match(limited.first.message!, /try again in \d+ s/);
  assert.equal(limited.code, 4429);
  const http = await h.api('/campaigns');
  assert.equal(http.status, 429, 'the socket failures count for HTTP too');
});
