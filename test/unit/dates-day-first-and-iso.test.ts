import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate } from '../../src/campaigns/import/dates.ts';

test('Dutch day-first and ISO dates become YYYY-MM-DD', () => {
  const cases: [string, string][] = [
    ['31-12-2026', '2026-12-31'], ['31/12/2026', '2026-12-31'], ['31.12.2026', '2026-12-31'], ['2026-12-31', '2026-12-31'],
    ['1-2-2027', '2027-02-01'], ['29-02-2028', '2028-02-29'], ['2026-12-31T00:00:00Z', '2026-12-31'],
  ];
  for (const [text, iso] of cases) assert.deepEqual(parseDate(text), { ok: true, value: iso }, text);
});

test('impossible and unreadable dates are refused', () => {
  const cases: [string, RegExp][] = [
    ['31-02-2026', /does not exist/], ['29-02-2026', /does not exist/], ['2026-13-01', /does not exist/], ['00-01-2026', /does not exist/],
    ['12/31/2026', /does not exist/], ['31 dec 2026', /known format/], ['2026', /known format/], ['31-12-26', /known format/],
  ];
  for (const [text, reason] of cases) {
    const r = parseDate(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.reason, reason, text);
  }
});
