/**
 * The API documentation in the browser: the page is public, the description it loads is
 * not. The page asks for a token once, then shows every route and sends the token with
 * "Try it out" requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor } from './chromium.ts';
import { startTestApp } from '../helpers/app.ts';

test('/docs asks for a token, loads the API description with it, and Try it out is authorised', { timeout: 60_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp({ telephony: false });
  t.after(() => h.close());
  const page = await browser.newPage();
  const prompts: string[] = [];
  page.on('dialog', (d) => {
    prompts.push(d.message());
    void d.accept(h.tokens.operator);
  });
  const specAnswers: number[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/docs/json')) specAnswers.push(r.status());
  });
  await page.goto(`${h.url}/docs/`);
  await page.getByText('/campaigns/{id}/imports').first().waitFor({ timeout: 20_000 });
  assert.equal(prompts.length, 1, 'asked once');
  assert.match(prompts[0]!, /Bereik API token/);
  assert.deepEqual(specAnswers, [200]);

  // Try it out: GET /campaigns goes out with the token and is answered 200.
  await page.locator('#operations-campaigns-get_campaigns').click();
  await page.getByRole('button', { name: 'Try it out' }).click();
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/campaigns' && r.request().method() === 'GET');
  await page.getByRole('button', { name: 'Execute', exact: true }).click();
  const res = await answer;
  assert.equal(res.status(), 200);
  assert.equal(await res.request().headerValue('authorization'), `Bearer ${h.tokens.operator}`);
  assert.equal(prompts.length, 1, 'not asked again');
});
