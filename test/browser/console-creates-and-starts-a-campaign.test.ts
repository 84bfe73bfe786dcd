/**
 * The console's campaigns page in Chromium: an agent token is refused with a clear
 * message; an operator creates a campaign from the form (the API's own message appears
 * next to the field it names), edits a setting, and starts it from the list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot } from './console.ts';
import { startTestApp } from '../helpers/app.ts';

test('an agent token is refused by the console, with where agents work instead', { timeout: 60_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp();
  t.after(() => h.close());
  const page = await (await browser.newContext()).newPage();
  await page.goto(h.url + '/console');
  await byId(page, 'lang').selectOption('en');
  await byId(page, 'token').fill(h.tokens.agent);
  await byId(page, 'login-button').click();
  await page.waitForFunction(() => /agent token.*\/desktop/.test(document.querySelector('[data-testid="login-error"]')?.textContent ?? ''));
  assert.equal(await byId(page, 'nav-campaigns').count(), 0, 'no navigation without an operator token');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the agent token is not kept');
});

test('an operator creates a campaign in the form, sees the API refuse a bad caller ID next to that field, and starts it', { timeout: 90_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp();
  t.after(() => h.close());
  const page = await openConsole(browser, h);

  await byId(page, 'new-campaign').click();
  await byId(page, 'f-name').fill('Energie december');
  await byId(page, 'f-callerId').fill('0201234567');
  await byId(page, 'f-settings-maxAttemptsPerDay').fill('2');
  await byId(page, 'save').click();
  // The API's message, next to the field it names; nothing was created.
  await byId(page, 'f-callerId-error').waitFor();
  assert.match((await byId(page, 'f-callerId-error').textContent()) ?? '', /callerId.*E\.164/);
  assert.equal(await byId(page, 'f-callerId').getAttribute('aria-invalid'), 'true');
  assert.equal(((await (await h.api('/campaigns')).json()) as { total: number }).total, 0);
  await screenshot(page, 'campaign-form');

  await byId(page, 'f-callerId').fill('+31201234567');
  await byId(page, 'save').click();
  await page.waitForURL(/#\/campaigns\/\d+\/edit$/);
  const id = Number(/campaigns\/(\d+)\/edit/.exec(page.url())![1]);
  const created = (await (await h.api(`/campaigns/${id}`)).json()) as { name: string; callerId: string; settings: { maxAttemptsPerDay: number; ringTimeoutSec: number } };
  assert.equal(created.name, 'Energie december');
  assert.equal(created.callerId, '+31201234567');
  assert.equal(created.settings.maxAttemptsPerDay, 2, 'a setting filled in is sent');

  // Editing sends only what changed; the form shows the stored value.
  await byId(page, 'f-settings-ringTimeoutSec').waitFor();
  assert.equal(await byId(page, 'f-settings-maxAttemptsPerDay').inputValue(), '2');
  await byId(page, 'f-settings-ringTimeoutSec').fill('500');
  await byId(page, 'save').click();
  await byId(page, 'f-settings-ringTimeoutSec-error').waitFor();
  assert.match((await byId(page, 'f-settings-ringTimeoutSec-error').textContent()) ?? '', /ringTimeoutSec/);
  await byId(page, 'f-settings-ringTimeoutSec').fill('25');
  await byId(page, 'save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="form-ok"]')?.textContent === 'Saved.');
  assert.equal(((await (await h.api(`/campaigns/${id}`)).json()) as typeof created).settings.ringTimeoutSec, 25);

  await byId(page, 'nav-campaigns').click();
  const row = page.locator(`[data-testid="campaign-row"][data-id="${id}"]`);
  await row.getByTestId('act-start').click();
  await page.waitForFunction((cid) => document.querySelector(`[data-testid="campaign-row"][data-id="${cid}"] [data-testid="campaign-state"]`)?.textContent === 'running', id);
  assert.equal(((await (await h.api(`/campaigns/${id}`)).json()) as { state: string }).state, 'running');
  assert.equal(await row.getByTestId('act-pause').count(), 1, 'a running campaign offers pause');
  await screenshot(page, 'campaigns');

  // The same page in Dutch, from the switch in the header; the choice survives a reload.
  await byId(page, 'lang').selectOption('nl');
  await page.reload();
  await page.waitForFunction((cid) => document.querySelector(`[data-testid="campaign-row"][data-id="${cid}"] [data-testid="campaign-state"]`)?.textContent === 'loopt', id);
  assert.equal(await byId(page, 'nav-campaigns').textContent(), 'Campagnes');
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  await screenshot(page, 'campaigns-nl');
});
