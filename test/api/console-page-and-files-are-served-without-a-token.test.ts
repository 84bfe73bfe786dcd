/**
 * /console is a page without data, served like /desktop: the page, its own files and the
 * vendor modules (from node_modules, by a fixed table) need no token; anything else under
 * it is 404, and the data the page shows still needs an operator token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';

test('the console page, its files and the vendor modules are served with their types; other names are 404', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const get = (path: string) => app.api(path, { role: null });

  const page = await get('/console');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type')!, /text\/html/);
  assert.match(await page.text(), /importmap/);
  const main = await get('/console/app/main.js');
  assert.equal(main.status, 200);
  assert.match(main.headers.get('content-type')!, /text\/javascript/);
  for (const file of ['preact.mjs', 'hooks.mjs', 'htm.mjs', 'uplot.mjs', 'uplot.css']) {
    const res = await get(`/console/vendor/${file}`);
    assert.equal(res.status, 200, file);
    assert.match(res.headers.get('cache-control')!, /max-age=86400/, file);
    assert.ok((await res.text()).length > 1000, `${file} has content`);
  }
  assert.equal((await get('/console/vendor/react.mjs')).status, 404);
  assert.equal((await get('/console/app/nothing.js')).status, 404);
  assert.equal((await get('/console/app/..%2Fdesktop.js')).status, 400, 'a path is not a file name');
  assert.equal((await get('/campaigns')).status, 401, 'the data behind the page needs a token');
});
