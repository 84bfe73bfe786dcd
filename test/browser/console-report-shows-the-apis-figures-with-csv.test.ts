/**
 * The console's reports page in Chromium: the funnel and the answer rate by hour and
 * weekday show exactly the API's figures for a known day of calls, and the CSV it
 * downloads is the API's CSV.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot, tableRows } from './console.ts';
import { startTestApp } from '../helpers/app.ts';
import { EXPECTED, REPORT_DAY, seedReportCampaign } from '../helpers/report-seed.ts';

test('a report shows the API’s funnel and answer rates, and downloads the API’s CSV', { timeout: 120_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startTestApp();
  t.after(() => h.close());
  const { campaignId } = await seedReportCampaign(h);
  const q = `campaign=${campaignId}&from=${REPORT_DAY}&to=${REPORT_DAY}`;
  const funnel = (await (await h.api(`/reports/funnel?${q}`)).json()) as { steps: { step: string; count: number }[] };
  const rate = (await (await h.api(`/reports/answer-rate?${q}`)).json()) as { byHour: { dialled: number; answered: number }[]; byWeekday: { dialled: number; answered: number }[] };

  const page = await openConsole(browser, h);
  await byId(page, 'nav-reports').click();
  await byId(page, 'r-campaign').selectOption(String(campaignId));
  await byId(page, 'r-from').fill(REPORT_DAY);
  await byId(page, 'r-to').fill(REPORT_DAY);
  await byId(page, 'r-show').click();
  await byId(page, 'r-funnel').waitFor();

  const shown = (await tableRows(page, 'r-funnel')).map((r) => Number(r[1]!.replace(/\D/g, '')));
  assert.deepEqual(shown, funnel.steps.map((s) => s.count));
  assert.deepEqual(shown, Object.values(EXPECTED.funnel));
  const hours = await tableRows(page, 'r-by-hour');
  assert.equal(hours.length, 24);
  assert.deepEqual(hours.map((r) => [Number(r[1]), Number(r[2])]), rate.byHour.map((r) => [r.dialled, r.answered]));
  assert.deepEqual(hours[10], ['10', '4', '3', '75.0 %']);
  const days = await tableRows(page, 'r-by-weekday');
  assert.deepEqual(days.map((r) => [Number(r[1]), Number(r[2])]), rate.byWeekday.map((r) => [r.dialled, r.answered]));
  assert.deepEqual(days[0], ['Mon', '6', '4', '66.7 %']);
  // Three uPlot charts were drawn (funnel, hour, weekday).
  assert.equal(await page.locator('.uplot canvas').count(), 3);
  // The score per action needs GET /reports/actions (the strategy work): until then the page says so.
  await byId(page, 'r-actions-missing').waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), byId(page, 'r-funnel-csv').click()]);
  assert.equal(readFileSync((await download.path())!, 'utf8'), await (await h.api(`/reports/funnel?${q}&format=csv`)).text());

  // The score per action, in the shape GET /reports/actions will answer (the route is built
  // elsewhere): served here by the browser, to show the page renders that shape.
  const row = (action: string, n: number) => ({
    action, executed: 10 * n, withResult: 4 * n, scorePct: 40, results: { paidFull: n, paidPartial: n, promise: n, arrangement: n }, contactsReached: 8 * n,
    collectedCents: { lastTouch: 12_345 * n, anyTouch: 20_000 * n }, costCents: 500 * n, costPerEuroCollectedCents: 4, costPerInvoiceCents: 50,
  });
  const actions = { from: REPORT_DAY, to: '2026-11-24', attributionDays: 14, rows: [row('sms', 1), row('call', 2)], total: { ...row('total', 3), action: undefined } };
  await page.route('**/reports/actions?*', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify(actions) }));
  await byId(page, 'r-to').fill('2026-11-24');
  await byId(page, 'r-show').click();
  await byId(page, 'r-actions').waitFor();
  const scores = await tableRows(page, 'r-actions');
  assert.deepEqual(scores.map((r) => [r[0], r[1], r[3], r[9]]), [['sms', '10', '40 %', '€123.45'], ['call', '20', '40 %', '€246.90']]);
  assert.match((await page.locator('[data-testid="r-actions"] tfoot').textContent())!, /Total30/);
  await screenshot(page, 'reports');
});
