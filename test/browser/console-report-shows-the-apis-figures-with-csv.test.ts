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
  // Four uPlot charts were drawn (funnel, hour, weekday, score per action).
  await byId(page, 'r-actions').waitFor();
  assert.equal(await page.locator('.uplot canvas').count(), 4);

  const [download] = await Promise.all([page.waitForEvent('download'), byId(page, 'r-funnel-csv').click()]);
  assert.equal(readFileSync((await download.path())!, 'utf8'), await (await h.api(`/reports/funnel?${q}&format=csv`)).text());

  // The score per action: letters sent elsewhere come in as an import; the page shows the
  // API's rows for the campaign and the day, and downloads the API's CSV.
  const letters = await h.api('/reports/actions/imports', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: `debtor_ref;date;kind;cost_cents;campaign_id\r\nR1;${REPORT_DAY};letter;135;${campaignId}\r\nR2;${REPORT_DAY};letter;135;${campaignId}\r\n`,
  });
  assert.equal(letters.status, 201, await letters.text());
  const aq = `campaignId=${campaignId}&from=${REPORT_DAY}&to=${REPORT_DAY}`;
  const actions = (await (await h.api(`/reports/actions?${aq}`)).json()) as { rows: { action: string; executed: number; withResult: number; costCents: number }[] };
  const letterRow = actions.rows.find((r) => r.action === 'external:letter');
  assert.deepEqual([letterRow?.executed, letterRow?.costCents], [2, 270], 'the API counts both imported letters and their cost');
  await byId(page, 'r-show').click();
  await page.locator('[data-testid="r-actions"] tr[data-action="external:letter"]').waitFor();
  const scores = await tableRows(page, 'r-actions');
  assert.deepEqual(scores.map((r) => [r[0], Number(r[1]!.replace(/\D/g, '')), Number(r[2]!.replace(/\D/g, ''))]), actions.rows.map((r) => [r.action, r.executed, r.withResult]));
  const [scoreCsv] = await Promise.all([page.waitForEvent('download'), byId(page, 'r-actions-csv').click()]);
  assert.equal(readFileSync((await scoreCsv.path())!, 'utf8'), await (await h.api(`/reports/actions?${aq}&format=csv`)).text());
  await screenshot(page, 'reports');
});
