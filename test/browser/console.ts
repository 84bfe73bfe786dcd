/** The operator console in Chromium at 1280×800: a running service, a logged-in page, and screenshots for docs/console/. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { byId } from './chromium.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { ScaledClock } from '../../src/lib/clock.ts';
import { SilentTts } from '../../src/tts/silent.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'console');

/** A new page on /console, logged in with the given role's token (English UI unless told). */
export async function openConsole(browser: Browser, h: TestApp, opts: { role?: 'operator' | 'admin'; lang?: 'en' | 'nl' } = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(h.url + '/console');
  await byId(page, 'lang').selectOption(opts.lang ?? 'en');
  await byId(page, 'token').fill(h.tokens[opts.role ?? 'operator']);
  await byId(page, 'login-button').click();
  await byId(page, 'nav-campaigns').waitFor();
  return page;
}

/**
 * The page as the operator sees it, as docs/console/<name>.png: taken on every run (so the
 * page can be drawn), written into docs/ only with BEREIK_SCREENSHOTS=1, so running the
 * tests leaves the checkout as it was. `BEREIK_SCREENSHOTS=1 node scripts/run-tests.mjs test/browser`
 * renews them. A page longer than a few screens is shown as far as the viewport reaches (fullPage: false).
 */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  const shot = await page.screenshot({ fullPage: opts.fullPage ?? true });
  if (process.env.BEREIK_SCREENSHOTS === '1') writeFileSync(join(SHOTS, `${name}.png`), shot);
}

/** The cells of a table's body, row by row. */
export function tableRows(page: Page, testId: string): Promise<string[][]> {
  return page.$$eval(`[data-testid="${testId}"] tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
}

/** Monday 23 Nov 2026 10:00 in Amsterdam: inside the default calling window. */
const MONDAY_10_AMSTERDAM = Date.parse('2026-11-23T09:00:00Z');

/** The whole service on the simulated Asterisk, its time running `scale`× from a Monday morning, with silent prompts. */
export async function startOnSimulator(t: { after(fn: () => unknown): void }, scale: number): Promise<TestApp> {
  const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
  t.after(() => rmSync(ttsDir, { recursive: true, force: true }));
  const tts = new SilentTts({ cacheDir: ttsDir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const h = await startTestApp({ clock: new ScaledClock(scale, MONDAY_10_AMSTERDAM), config: { dialer: { tickMs: 1000 } }, telephony: { tts } });
  t.after(() => h.close());
  return h;
}
