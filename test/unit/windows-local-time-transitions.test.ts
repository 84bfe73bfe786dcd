import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localParts, localToUtc } from '../../src/dialer/policy/local-time.ts';

const iso = (ms: number) => new Date(ms).toISOString();

test('local 08:00 in Amsterdam is 07:00Z in winter and 06:00Z in summer', () => {
  assert.equal(iso(localToUtc('Europe/Amsterdam', 2026, 1, 12, 8 * 60)), '2026-01-12T07:00:00.000Z');
  assert.equal(iso(localToUtc('Europe/Amsterdam', 2026, 7, 13, 8 * 60)), '2026-07-13T06:00:00.000Z');
});

test('a skipped wall time (02:30 on the spring DST night) moves forward by the gap', () => {
  assert.equal(iso(localToUtc('Europe/Amsterdam', 2026, 3, 29, 2 * 60 + 30)), '2026-03-29T01:30:00.000Z'); // 03:30 CEST
});

test('a repeated wall time (02:30 on the autumn DST night) is the first of the two', () => {
  assert.equal(iso(localToUtc('Europe/Amsterdam', 2026, 10, 25, 2 * 60 + 30)), '2026-10-25T00:30:00.000Z'); // 02:30 CEST
});

test('local parts give the debtor\'s weekday and hour, not the server\'s', () => {
  const p = localParts(Date.parse('2026-11-23T03:30:00Z'), 'America/Los_Angeles');
  assert.deepEqual([p.year, p.month, p.day, p.hour, p.minute, p.isoWeekday], [2026, 11, 22, 19, 30, 7]);
  const tokyo = localParts(Date.parse('2026-11-22T20:00:00Z'), 'Asia/Tokyo');
  assert.deepEqual([tokyo.day, tokyo.hour, tokyo.isoWeekday], [23, 5, 1]);
});

test('an unknown time zone is an error, not silently UTC', () => {
  assert.throws(() => localParts(0, 'Europe/Nowhere'), RangeError);
});
