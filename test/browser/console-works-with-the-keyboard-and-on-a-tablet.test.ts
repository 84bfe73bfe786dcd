/**
 * The console without a mouse and on a tablet: the log-in and the navigation work with
 * Tab and Enter, the focused control shows an outline, and no page is wider than an
 * 820-pixel tablet screen (wide tables scroll inside their own box), the recordings page too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { startTestApp } from '../helpers/app.ts';

test('log-in and navigation by keyboard, with a visible focus; every page fits a tablet', { timeout: 60_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp();
  t.after(() => h.close());
  await h.api('/campaigns', { method: 'POST', json: { name: 'Tablet', mode: 'agentless', callerId: '+31201234567' } });
  const page = await (await browser.newContext({ viewport: { width: 820, height: 1180 } })).newPage();
  await page.goto(h.url + '/console');

  await byId(page, 'token').focus();
  // An admin: the admin page shows its tables and the configuration too.
  await page.keyboard.type(h.tokens.admin);
  await page.keyboard.press('Enter');
  await byId(page, 'nav-campaigns').waitFor();
  // Tab to the Upload link and follow it with Enter.
  for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'nav-upload'; i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'nav-upload');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused link shows an outline');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/upload$/);

  for (const hash of ['#/campaigns', '#/campaigns/new', '#/upload', '#/debtors?q=nobody', '#/live', '#/reports/1?from=2026-11-23&to=2026-11-29', '#/recordings', '#/admin']) {
    await page.goto(`${h.url}/console${hash}`);
    await page.waitForLoadState('networkidle');
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= inner, `${hash} is ${scroll} px wide on an ${inner} px screen`);
  }
});
