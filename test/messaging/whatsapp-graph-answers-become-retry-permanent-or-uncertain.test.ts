/** Graph answers the simulator does not produce: bodies that are not JSON, no id, Retry-After as a date. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyGraphAnswer } from '../../src/messaging/whatsapp/graph-outcome.ts';

const NOW = Date.parse('2026-11-23T09:00:00Z');

test('answers without a usable body are still decided, and Retry-After may be seconds or a date', () => {
  const rows: Array<[Parameters<typeof classifyGraphAnswer>[0], string, string, number?]> = [
    [{ status: 200, body: { messages: [{ id: 'wamid.X' }] }, nowMs: NOW }, 'ok', 'wamid.X'],
    [{ status: 200, body: { messages: [] }, nowMs: NOW }, 'uncertain', 'WA_NO_MESSAGE_ID'],
    [{ status: 200, body: undefined, nowMs: NOW }, 'uncertain', 'WA_NO_MESSAGE_ID'],
    [{ status: 502, body: undefined, nowMs: NOW }, 'retry', 'WA_HTTP_502'],
    [{ status: 429, body: undefined, retryAfter: '7', nowMs: NOW }, 'retry', 'WA_HTTP_429', 7000],
    [{ status: 429, body: undefined, retryAfter: 'Mon, 23 Nov 2026 09:00:30 GMT', nowMs: NOW }, 'retry', 'WA_HTTP_429', 30_000],
    [{ status: 400, body: { error: { code: 131056 } }, retryAfter: 'soon', nowMs: NOW }, 'retry', 'WA_131056'],
    [{ status: 400, body: { error: { code: 'x' } }, nowMs: NOW }, 'permanent', 'WA_HTTP_400'],
    [{ status: 403, body: { error: { code: 10, message: 'Application does not have permission' } }, nowMs: NOW }, 'permanent', 'WA_10'],
    [{ status: 500, body: { error: { code: 131026 } }, nowMs: NOW }, 'permanent', 'WA_131026'],
  ];
  for (const [answer, kind, code, retryAfterMs] of rows) {
    const r = classifyGraphAnswer(answer);
    const what = JSON.stringify(answer);
    if (r.ok) assert.deepEqual(['ok', r.providerId], [kind, code], what);
    else {
      assert.deepEqual([r.kind, r.code], [kind, code], what);
      assert.equal(r.retryAfterMs, retryAfterMs, what);
    }
  }
});
