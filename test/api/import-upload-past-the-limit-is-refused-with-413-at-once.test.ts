/**
 * The upload limit (imports.maxUploadBytes) holds for the raw text/csv body as for
 * multipart, and the answer is 413 as soon as the upload passes it: the client is not
 * left to send (and the server to spool) the rest. Proved by counting what the client had
 * sent when the answer came, not by timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createCampaign, uploadMultipart, uploadRaw } from '../helpers/imports.ts';

const LIMIT = 1_000_000;
const MESSAGE = 'the file is larger than the upload limit of 1,000,000 bytes (imports.maxUploadBytes)';
const ROW = 'D1;Naam;0612345678;12,50;F1\n';

/**
 * POSTs a raw CSV body of up to `total` bytes in 64 KiB pieces (chunked unless a length is
 * declared), stopping when the answer arrives; resolves with the answer and the bytes sent by then.
 */
async function sendRaw(app: TestApp, campaignId: number, total: number, declaredLength?: number) {
  const url = new URL(`/campaigns/${campaignId}/imports`, app.url);
  const headers: Record<string, string | number> = { authorization: `Bearer ${app.tokens.operator}`, 'content-type': 'text/csv' };
  if (declaredLength !== undefined) headers['content-length'] = declaredLength;
  const req = request(url, { method: 'POST', headers });
  req.on('error', () => {}); // the server may close while we still write: that is the point
  let answered = false;
  // Not events.once: it rejects on the EPIPE of a write the server refused to read, while
  // the 413 it sent first still arrives as the response.
  const answer = new Promise<IncomingMessage>((resolve) => req.once('response', resolve)).then(async (res) => {
    answered = true;
    let text = '';
    for await (const c of res) text += c;
    return { status: res.statusCode as number, connection: res.headers.connection, body: JSON.parse(text) as { error: { code: string; message: string } } };
  });
  const piece = Buffer.from(('debiteurnummer;naam;telefoon;bedrag;factuurnummer\n' + ROW.repeat(2500)).slice(0, 65_536));
  const closed = once(req, 'close');
  let sent = 0;
  let sentWhenAnswered = -1;
  void answer.then(() => (sentWhenAnswered = sent));
  if (total === 0) req.flushHeaders();
  else {
    while (sent < total && !answered && !req.destroyed) {
      const ok = req.write(piece);
      sent += piece.length;
      if (!ok) await Promise.race([once(req, 'drain'), answer, closed]);
    }
  }
  const res = await answer;
  req.destroy();
  return { ...res, sent: sentWhenAnswered };
}

test('a raw text/csv body past the limit is answered 413 while the client is still sending, and no import is recorded', { timeout: 60_000 }, async (t) => {
  const app = await startTestApp({ config: { imports: { maxUploadBytes: LIMIT } } });
  t.after(() => app.close());
  const campaignId = await createCampaign(app);

  const total = 64 * 1024 * 1024;
  const r = await sendRaw(app, campaignId, total);
  assert.equal(r.status, 413);
  assert.deepEqual(r.body.error, { code: 'IMPORT_TOO_LARGE', message: MESSAGE, details: { limit: LIMIT } });
  assert.equal(r.connection, 'close');
  assert.ok(r.sent < total / 4, `the client had sent ${r.sent} of ${total} bytes when refused`);
  const list = (await (await app.api(`/campaigns/${campaignId}/imports`)).json()) as { total: number };
  assert.equal(list.total, 0);
});

test('a declared Content-Length past the limit is refused before any of the body is sent', { timeout: 30_000 }, async (t) => {
  const app = await startTestApp({ config: { imports: { maxUploadBytes: LIMIT } } });
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const r = await sendRaw(app, campaignId, 0, 50 * 1024 * 1024);
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'IMPORT_TOO_LARGE');
  assert.equal(r.sent, 0);
});

test('a multipart upload past the limit is refused with the same 413; files within it still import', async (t) => {
  const app = await startTestApp({ config: { imports: { maxUploadBytes: LIMIT } } });
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const big = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\n' + ROW.repeat(Math.ceil((LIMIT * 2) / ROW.length));
  const res = await uploadMultipart(app, campaignId, big, 'big.csv');
  assert.equal(res.status, 413);
  assert.deepEqual(((await res.json()) as { error: unknown }).error, { code: 'IMPORT_TOO_LARGE', message: MESSAGE, details: { limit: LIMIT } });

  const small = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\n' + ROW;
  assert.equal((await uploadRaw(app, campaignId, small)).status, 201);
  assert.equal((await uploadMultipart(app, campaignId, small, 'small.csv')).status, 201);
});
