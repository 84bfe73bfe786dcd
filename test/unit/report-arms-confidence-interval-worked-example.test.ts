import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Moments, welchDifference } from '../../src/reports/stats.ts';

const moments = (xs: number[]) => xs.reduce((m, x) => (m.add(x), m), new Moments());

test('the 95 % interval of a difference in means matches the worked example by hand', () => {
  // Champion, collected per debtor (cents): 0, 0, 100, 200.
  //   mean 75; deviations −75, −75, 25, 125; squares 5625 + 5625 + 625 + 15625 = 27500; variance 27500 / 3 = 9166.67
  // Challenger: 100, 200, 300, 400.
  //   mean 250; deviations −150, −50, 50, 150; squares 22500 + 2500 + 2500 + 22500 = 50000; variance 50000 / 3 = 16666.67
  // Difference 250 − 75 = 175. Welch's standard error √(9166.67/4 + 16666.67/4) = √6458.33 = 80.364.
  // 95 %: 175 ± 1.96 × 80.364 = 175 ± 157.51 → [17.49, 332.51]: leaves out 0.
  const a = moments([0, 0, 100, 200]);
  const b = moments([100, 200, 300, 400]);
  assert.equal(a.mean, 75);
  assert.ok(Math.abs(a.variance - 9166.667) < 0.001);
  const d = welchDifference(a, b);
  assert.equal(d.difference, 175);
  assert.ok(Math.abs(d.low! - 17.49) < 0.01, `low ${d.low}`);
  assert.ok(Math.abs(d.high! - 332.51) < 0.01, `high ${d.high}`);
  assert.equal(d.enoughData, false, 'four debtors per arm is too few to call it');
  assert.equal(d.significant, false);
});

test('with enough debtors the same spread is significant; an interval over 0 is not', () => {
  const rep = (xs: number[], k: number) => Array.from({ length: k }, () => xs).flat();
  const d = welchDifference(moments(rep([0, 0, 100, 200], 10)), moments(rep([100, 200, 300, 400], 10)));
  assert.equal(d.enoughData, true);
  assert.equal(d.significant, true);
  const same = welchDifference(moments(rep([0, 100, 200, 300], 10)), moments(rep([10, 90, 210, 300], 10)));
  assert.ok(same.low! < 0 && same.high! > 0);
  assert.equal(same.significant, false);
});

test('an arm without debtors gives no interval (null), not NaN: the API serialises the report', () => {
  const d = welchDifference(moments([100, 200]), moments([]));
  assert.deepEqual([d.low, d.high, d.significant, d.enoughData], [null, null, false, false]);
});
