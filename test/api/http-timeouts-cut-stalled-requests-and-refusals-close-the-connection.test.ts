/**
 * A client cannot hold a connection without doing its part: stalled headers and stalled
 * bodies are cut, a slow upload that keeps moving still lands, and a refused request
 * (401/403) ends its connection without waiting for the body.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { handlerErrors } from '../../src/lib/handler-errors.ts';

const HEADERS_MS = 1000;
const BODY_IDLE_MS = 1500;
let h: TestApp;
let port: number;

before(async () => {
  h = await startTestApp({ telephony: false, config: { http: { host: '127.0.0.1', port: 0, headersTimeoutMs: HEADERS_MS, bodyIdleTimeoutMs: BODY_IDLE_MS } } });
  port = Number(new URL(h.url).port);
});
after(() => h.close());

/** A raw connection: what the server sent, and how long after `start` it closed the socket. */
function raw(): { socket: Socket; received: () => string; closed: Promise<number>; start: number } {
  const socket = connect(port, '127.0.0.1');
  const start = performance.now();
  let data = '';
  socket.on('data', (d) => (data += d));
  socket.on('error', () => {});
  const closed = new Promise<number>((r) => socket.on('close', () => r(performance.now() - start)));
  return { socket, received: () => data, closed, start };
}

test('headers that stop halfway are cut after http.headersTimeoutMs', async () => {
  const c = raw();
  c.socket.write('POST /campaigns HTTP/1.1\r\nHost: x\r\nContent-Type: applic');
  const ms = await c.closed;
  assert.ok(ms >= HEADERS_MS * 0.9 && ms < HEADERS_MS + 4000, `closed after ${Math.round(ms)} ms`);
});

test('a body that stalls after the headers is cut after http.bodyIdleTimeoutMs, authenticated or not', async () => {
  const c = raw();
  c.socket.write(`POST /campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.tokens.operator}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`);
  const ms = await c.closed;
  assert.ok(ms >= BODY_IDLE_MS * 0.9 && ms < BODY_IDLE_MS + 4000, `closed after ${Math.round(ms)} ms`);
  assert.doesNotMatch(c.received(), /HTTP\/1\.1 20/, 'nothing was created');
});

test('a CSV upload that stalls is cut the same way, and a cut upload is the client going away, not an error of ours', async () => {
  const created = await h.api('/campaigns', { method: 'POST', json: { name: 'Stalled upload', mode: 'agentless', callerId: '+31201234567' } });
  const { id } = (await created.json()) as { id: number };
  const before = handlerErrors.count('http');
  const c = raw();
  c.socket.write(`POST /campaigns/${id}/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.tokens.operator}\r\nContent-Type: text/csv\r\nContent-Length: 100000000\r\n\r\nDebiteurnummer;Naam`);
  const ms = await c.closed;
  assert.ok(ms >= BODY_IDLE_MS * 0.9 && ms < BODY_IDLE_MS + 4000, `closed after ${Math.round(ms)} ms`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(handlerErrors.count('http') - before, 0);
  const imports = (await (await h.api(`/campaigns/${id}/imports`)).json()) as { total: number };
  assert.equal(imports.total, 0, 'nothing recorded for an upload that never arrived');
});

test('a slow upload that keeps moving lands, though it takes longer than the idle timeout', async () => {
  const created = await h.api('/campaigns', { method: 'POST', json: { name: 'Slow upload', mode: 'agentless', callerId: '+31201234567' } });
  const { id } = (await created.json()) as { id: number };
  const rows = ['Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum'];
  for (let i = 1; i <= 6; i++) rows.push(`S${i};Debiteur ${i};06-1111110${i};€ 10${i},00;F-${i};31-12-2026`);
  const body = Buffer.from(rows.join('\r\n') + '\r\n');
  const c = raw();
  c.socket.write(`POST /campaigns/${id}/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.tokens.operator}\r\nContent-Type: text/csv\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
  const pieces = 6;
  const step = Math.ceil(body.length / pieces);
  for (let i = 0; i < pieces; i++) {
    await new Promise((r) => setTimeout(r, BODY_IDLE_MS / 3));
    c.socket.write(body.subarray(i * step, (i + 1) * step));
  }
  await c.closed;
  assert.ok(performance.now() - c.start > BODY_IDLE_MS, 'the upload took longer than one idle timeout');
  assert.match(c.received(), /^HTTP\/1\.1 201/, c.received().slice(0, 300));
  const contacts = (await (await h.api(`/campaigns/${id}/contacts`)).json()) as { items: unknown[] };
  assert.equal(contacts.items.length, 6);
});

for (const [status, auth] of [[401, ''], [401, 'Authorization: Bearer brk_wrong\r\n'], [403, 'agent']] as const) {
  test(`a ${status} (${auth ? (auth === 'agent' ? 'agent token on an operator route' : 'unknown token') : 'no token'}) answers at once, says connection: close and ends the connection without reading the upload`, async () => {
    const header = auth === 'agent' ? `Authorization: Bearer ${h.tokens.agent}\r\n` : auth;
    const c = raw();
    c.socket.write(`POST /campaigns/1/imports HTTP/1.1\r\nHost: x\r\n${header}Content-Type: text/csv\r\nContent-Length: 100000000\r\n\r\nDebiteurnummer;Naam`);
    const ms = await c.closed;
    assert.match(c.received(), new RegExp(`^HTTP/1\\.1 ${status}`));
    assert.match(c.received(), /\r\nconnection: close\r\n/i);
    assert.ok(ms < BODY_IDLE_MS, `closed after ${Math.round(ms)} ms, before any idle timeout`);
  });
}
