import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dutchHolidays, easterSunday, publicHoliday, usFederalHolidays } from '../../src/dialer/policy/holidays.ts';

test('Easter Sunday is 5 April 2026 and 28 March 2027', () => {
  assert.deepEqual(easterSunday(2026), { month: 4, day: 5 });
  assert.deepEqual(easterSunday(2027), { month: 3, day: 28 });
  assert.deepEqual(easterSunday(2024), { month: 3, day: 31 });
});

const expected: Record<number, Record<string, string>> = {
  2026: {
    '2026-01-01': 'Nieuwjaarsdag',
    '2026-04-03': 'Goede Vrijdag',
    '2026-04-05': 'Eerste Paasdag',
    '2026-04-06': 'Tweede Paasdag',
    '2026-04-27': 'Koningsdag',
    '2026-05-05': 'Bevrijdingsdag',
    '2026-05-14': 'Hemelvaartsdag',
    '2026-05-24': 'Eerste Pinksterdag',
    '2026-05-25': 'Tweede Pinksterdag',
    '2026-12-25': 'Eerste Kerstdag',
    '2026-12-26': 'Tweede Kerstdag',
  },
  2027: {
    '2027-01-01': 'Nieuwjaarsdag',
    '2027-03-26': 'Goede Vrijdag',
    '2027-03-28': 'Eerste Paasdag',
    '2027-03-29': 'Tweede Paasdag',
    '2027-04-27': 'Koningsdag',
    '2027-05-05': 'Bevrijdingsdag',
    '2027-05-06': 'Hemelvaartsdag',
    '2027-05-16': 'Eerste Pinksterdag',
    '2027-05-17': 'Tweede Pinksterdag',
    '2027-12-25': 'Eerste Kerstdag',
    '2027-12-26': 'Tweede Kerstdag',
  },
};

for (const year of [2026, 2027]) {
  test(`every Dutch public holiday of ${year} is on its date, and no other day is`, () => {
    const got = Object.fromEntries(dutchHolidays(year).map((h) => [h.date, h.name]));
    assert.deepEqual(got, expected[year]);
    for (const [date, name] of Object.entries(expected[year]!)) {
      const [y, m, d] = date.split('-').map(Number);
      assert.equal(publicHoliday('NL', y!, m!, d!), name);
    }
    assert.equal(publicHoliday('NL', year, 4, 28), null);
  });
}

test('Koningsdag moves to 26 April when the 27th is a Sunday (2025, 2031)', () => {
  assert.equal(publicHoliday('NL', 2025, 4, 26), 'Koningsdag');
  assert.equal(publicHoliday('NL', 2025, 4, 27), null);
  assert.equal(publicHoliday('NL', 2031, 4, 26), 'Koningsdag');
});

test('US federal holidays include the observed weekday when the date is on a weekend', () => {
  const dates = new Map(usFederalHolidays(2026).map((h) => [h.date, h.name]));
  assert.equal(dates.get('2026-07-04'), 'Independence Day'); // a Saturday
  assert.equal(dates.get('2026-07-03'), 'Independence Day (observed)');
  assert.equal(dates.get('2026-11-26'), 'Thanksgiving Day');
  assert.equal(dates.get('2026-01-19'), 'Birthday of Martin Luther King, Jr.');
  assert.equal(dates.get('2026-05-25'), 'Memorial Day');
  assert.equal(dates.get('2026-09-07'), 'Labor Day');
  assert.equal(publicHoliday('US', 2026, 4, 27), null, 'Koningsdag is not a US holiday');
});

test('a country without its own table gets the Dutch holidays (the collector is bound by Dutch rules)', () => {
  assert.equal(publicHoliday('BE', 2026, 4, 27), 'Koningsdag');
});
