/** The reports bucket UTC-stored calls by the Amsterdam clock: summer and winter time, the autumn hour that happens twice, weekdays. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerRateBuckets, dayRange, toCsv } from '../../src/reports/buckets.ts';

test('a range of Amsterdam days is the UTC instants of its local midnights, across the change to winter time', () => {
  assert.deepEqual(dayRange('2026-07-01', '2026-07-01'), { fromIso: '2026-06-30T22:00:00.000Z', toIso: '2026-07-01T22:00:00.000Z' });
  // 25 Oct 2026 has 25 hours in Amsterdam.
  assert.deepEqual(dayRange('2026-10-25', '2026-10-25'), { fromIso: '2026-10-24T22:00:00.000Z', toIso: '2026-10-25T23:00:00.000Z' });
});

test('UTC hours fold into local hours and ISO weekdays; every bucket is present', () => {
  const b = answerRateBuckets([
    { hour: '2026-07-06T08', dialled: 10, answered: 4 }, // Monday 10:00 summer time
    { hour: '2026-11-23T09', dialled: 10, answered: 6 }, // Monday 10:00 winter time
    { hour: '2026-10-25T00', dialled: 1, answered: 1 }, // Sunday 02:00 (summer time, the first 02:00)
    { hour: '2026-10-25T01', dialled: 1, answered: 0 }, // Sunday 02:00 again (winter time)
    { hour: '2026-11-28T22', dialled: 5, answered: 0 }, // Saturday 23:00
  ]);
  assert.equal(b.byHour.length, 24);
  assert.equal(b.byWeekday.length, 7);
  assert.deepEqual(b.byHour[10], { hour: 10, dialled: 20, answered: 10, rate: 0.5 });
  assert.deepEqual(b.byHour[2], { hour: 2, dialled: 2, answered: 1, rate: 0.5 });
  assert.deepEqual(b.byHour[23], { hour: 23, dialled: 5, answered: 0, rate: 0 });
  assert.deepEqual(b.byHour[3], { hour: 3, dialled: 0, answered: 0, rate: null });
  assert.deepEqual(b.byWeekday[0], { weekday: 1, dialled: 20, answered: 10, rate: 0.5 });
  assert.deepEqual(b.byWeekday[5], { weekday: 6, dialled: 5, answered: 0, rate: 0 });
  assert.deepEqual(b.byWeekday[6], { weekday: 7, dialled: 2, answered: 1, rate: 0.5 });
});

test('the CSV export quotes only what needs it and ends each row with CRLF', () => {
  assert.equal(toCsv(['step', 'count'], [['dialled', 3], ['a "b", c', null]]), 'step,count\r\ndialled,3\r\n"a ""b"", c",\r\n');
});
