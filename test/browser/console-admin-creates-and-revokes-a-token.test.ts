/**
 * The console's admin page in Chromium: an admin creates an operator token (shown once,
 * and it works), revokes it (it stops working at once); an operator is refused the page's
 * token list; the configuration is shown without its secrets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot } from './console.ts';
import { startTestApp } from '../helpers/app.ts';

test('an admin creates an operator token, sees it once, and revokes it', { timeout: 120_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp({ config: { payments: { webhookSecret: 'do-not-show-this-secret' } } });
  t.after(() => h.close());

  const page = await openConsole(browser, h, { role: 'admin' });
  await byId(page, 'nav-admin').click();
  await byId(page, 'a-tokens').waitFor();
  await byId(page, 'a-health').waitFor();
  await screenshot(page, 'admin'); // before a token is shown: no token in docs/
  await byId(page, 'a-token-name').fill('Night shift');
  await byId(page, 'a-token-role').selectOption('operator');
  await byId(page, 'a-token-create').click();
  const token = (await byId(page, 'a-new-token').textContent())!;
  assert.match(token, /^brk_/);
  const row = page.locator('[data-testid="a-tokens"] tbody tr', { hasText: 'Night shift' });
  await row.waitFor();
  const id = Number(await row.getAttribute('data-id'));
  assert.equal((await fetch(`${h.url}/campaigns?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status, 200, 'the new token works');
  const listed = (await (await h.api('/tokens', { role: 'admin' })).json()) as { id: number; name: string; role: string }[];
  assert.deepEqual(listed.filter((k) => k.id === id).map((k) => [k.name, k.role]), [['Night shift', 'operator']]);
  assert.ok(!JSON.stringify(listed).includes(token), 'the list never holds the token');

  const config = (await byId(page, 'a-config').textContent())!;
  assert.ok(!config.includes('do-not-show-this-secret'), 'the secret is hidden');
  assert.match(config, /"webhookSecret": "\(set\)"/);

  await byId(page, `a-revoke-${id}`).click();
  await page.waitForSelector(`[data-testid="a-tokens"] tr[data-id="${id}"][data-revoked="true"]`);
  assert.equal((await fetch(`${h.url}/campaigns?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'the revoked token stops working');

  // An operator opens the page and is told the token list is for admins.
  const op = await openConsole(browser, h, { role: 'operator' });
  await byId(op, 'nav-admin').click();
  await op.waitForFunction(() => /\S/.test(document.querySelector('[data-testid="a-tokens-error"]')?.textContent ?? ''));
});
