/** GET /reports/funnel and /reports/answer-rate count one campaign's calls of the asked Amsterdam days, as JSON and as CSV. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { EXPECTED, REPORT_DAY, seedReportCampaign } from '../helpers/report-seed.ts';

test('the funnel and the answer rate by hour and weekday count the campaign’s calls of those days, in JSON and CSV', async (t) => {
  const h = await startTestApp();
  t.after(() => h.close());
  const { campaignId } = await seedReportCampaign(h);
  const q = `campaign=${campaignId}&from=${REPORT_DAY}&to=${REPORT_DAY}`;

  const funnel = (await (await h.api(`/reports/funnel?${q}`)).json()) as { steps: { step: string; count: number }[] };
  assert.deepEqual(Object.fromEntries(funnel.steps.map((s) => [s.step, s.count])), EXPECTED.funnel);
  const csv = await h.api(`/reports/funnel?${q}&format=csv`);
  assert.match(csv.headers.get('content-type')!, /^text\/csv/);
  assert.equal(await csv.text(), 'step,count\r\n' + Object.entries(EXPECTED.funnel).map(([k, v]) => `${k},${v}`).join('\r\n') + '\r\n');

  const rate = (await (await h.api(`/reports/answer-rate?${q}`)).json()) as { byHour: unknown[]; byWeekday: { weekday: number; dialled: number }[] };
  assert.deepEqual(rate.byHour[10], EXPECTED.hour10);
  assert.deepEqual(rate.byHour[11], EXPECTED.hour11);
  assert.deepEqual(rate.byWeekday.map((w) => w.dialled), [6, 0, 0, 0, 0, 0, 0]);
  const rateCsv = (await (await h.api(`/reports/answer-rate?${q}&format=csv`)).text()).split('\r\n');
  assert.equal(rateCsv[0], 'bucket,value,dialled,answered,rate');
  assert.equal(rateCsv[11], 'hour,10,4,3,0.75');
  assert.equal(rateCsv[25], 'weekday,1,6,4,0.6666666666666666');

  // The day before holds only the 23:59 call.
  const before = (await (await h.api(`/reports/funnel?campaign=${campaignId}&from=2026-11-22&to=2026-11-22`)).json()) as { steps: { count: number }[] };
  assert.equal(before.steps[0]!.count, 1);
  const bad = await h.api(`/reports/funnel?campaign=${campaignId}&from=2026-11-23&to=2026-11-01`);
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /to 2026-11-01 is before from 2026-11-23/);
  assert.equal((await h.api(`/reports/funnel?campaign=999&from=${REPORT_DAY}&to=${REPORT_DAY}`)).status, 404);
});
