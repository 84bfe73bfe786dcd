/**
 * A token someone put in a query string (?access_token=brk_…) never reaches the request
 * log; the parameter names stay, to debug by.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.ts';
import { createApp } from '../../src/app.ts';
import { createLogger } from '../../src/lib/log.ts';

test('the request log shows the path and parameter names, never a query value', async (t) => {
  let out = '';
  const destination = new Writable({ write(chunk, _enc, cb) { out += chunk; cb(); } });
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, db: { path: ':memory:' } });
  const app = await createApp({ config, log: createLogger({ level: 'info', destination }), telephony: false });
  t.after(() => app.close());
  const url = await app.listen();
  assert.equal((await fetch(`${url}/calls?access_token=brk_SeCrEt1&live=true`)).status, 401);
  assert.equal((await fetch(`${url}/healthz?token=brk_SeCrEt2&phone=%2B31612345678`)).status, 200);
  const urls = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { req?: { url: string } }).flatMap((l) => (l.req ? [l.req.url] : []));
  assert.deepEqual(urls, ['/calls?access_token=[redacted]&live=[redacted]', '/healthz?token=[redacted]&phone=[redacted]']);
  assert.doesNotMatch(out, /SeCrEt|31612345678/);
});
