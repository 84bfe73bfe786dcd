import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBereikError } from '../../src/lib/errors.ts';
import { ariBase, ariHttpError, ariStatus, ariUnreachable, buildQuery } from '../../src/telephony/ari-rest.ts';

test('a 404 keeps Asterisk\'s message and its status', () => {
  const err = ariHttpError('DELETE', '/channels/x', 404, { message: 'Channel not found' });
  assert.ok(isBereikError(err, 'ARI_HTTP'));
  assert.equal(ariStatus(err), 404);
  assert.match(err.message, /404.*DELETE \/channels\/x: Channel not found/);
  assert.deepEqual(err.details, { method: 'DELETE', path: '/channels/x', status: 404, ariMessage: 'Channel not found' });
});

test('500 "Allocation failed" arrives as {"error": …} and is reported with those words', () => {
  const err = ariHttpError('POST', '/channels', 500, { error: 'Allocation failed' });
  assert.equal(ariStatus(err), 500);
  assert.match(err.message, /Allocation failed/);
});

test('an error without a body still names the request and status', () => {
  const err = ariHttpError('POST', '/bridges', 503, undefined);
  assert.equal(err.message, 'Asterisk answered 503 to POST /bridges');
  assert.equal(ariHttpError('GET', '/x', 502, ' Bad gateway ').message, 'Asterisk answered 502 to GET /x: Bad gateway');
});

test('connection failures and deadlines are ARI_UNREACHABLE, with the reason', () => {
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const a = ariUnreachable('GET', '/channels', refused, 'http://127.0.0.1:8088/ari');
  assert.ok(isBereikError(a, 'ARI_UNREACHABLE'));
  assert.match(a.message, /127\.0\.0\.1:8088.*ECONNREFUSED/);
  const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
  assert.match(ariUnreachable('GET', '/channels', timeout, 'b').message, /deadline/);
  assert.equal(ariStatus(a), undefined);
});

test('the ARI base and query strings are built as Asterisk expects', () => {
  assert.equal(ariBase('http://127.0.0.1:8088'), 'http://127.0.0.1:8088/ari');
  assert.equal(ariBase('http://127.0.0.1:8088/ari/'), 'http://127.0.0.1:8088/ari');
  assert.equal(buildQuery({ media: ['sound:a', 'sound:b'], lang: undefined, timeout: 30 }), '?media=sound%3Aa%2Csound%3Ab&timeout=30');
  assert.equal(buildQuery({}), '');
});
