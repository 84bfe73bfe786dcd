/**
 * Public holidays per debtor country, computed (no tables to update each year).
 *
 * Netherlands — the days Dutch collectors keep free of calls (Besluit kwaliteit
 * incassodienstverlening forbids contact on public holidays):
 *   Nieuwjaarsdag (1 Jan), Goede Vrijdag, Eerste/Tweede Paasdag, Koningsdag (27 Apr, or
 *   26 Apr when the 27th is a Sunday), Bevrijdingsdag (5 May), Hemelvaartsdag (Easter+39),
 *   Eerste/Tweede Pinksterdag (Easter+49/50), Eerste/Tweede Kerstdag (25/26 Dec).
 *   Choices, both the strict reading: Goede Vrijdag is not a general day off by law but
 *   collectors treat it as a holiday, so we do; Bevrijdingsdag is an official day off only
 *   every fifth year (lustrum) for many employers, but it is a national holiday every
 *   year, so we skip it every year.
 *
 * United States — the eleven federal holidays (5 U.S.C. 6103). When one falls on a
 * weekend the federal "observed" day (Friday before / Monday after) is skipped too,
 * as well as the date itself: strict, never fewer days than either reading.
 *
 * Other countries have no table here; they get the Dutch list, because the collector
 * using Bereik is bound by the Dutch rules wherever the debtor lives.
 */
import { isoWeekdayOf } from './local-time.ts';

export interface Holiday {
  /** YYYY-MM-DD */
  date: string;
  name: string;
}

/** Easter Sunday (Gregorian), by the anonymous ("Meeus/Jones/Butcher") computus. */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function offsetFrom(year: number, month: number, day: number, n: number): string {
  const d = new Date(Date.UTC(year, month - 1, day + n));
  return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function dutchHolidays(year: number): Holiday[] {
  const e = easterSunday(year);
  const easter = (n: number) => offsetFrom(year, e.month, e.day, n);
  const kingsDay = isoWeekdayOf(year, 4, 27) === 7 ? 26 : 27;
  return [
    { date: iso(year, 1, 1), name: 'Nieuwjaarsdag' },
    { date: easter(-2), name: 'Goede Vrijdag' },
    { date: easter(0), name: 'Eerste Paasdag' },
    { date: easter(1), name: 'Tweede Paasdag' },
    { date: iso(year, 4, kingsDay), name: 'Koningsdag' },
    { date: iso(year, 5, 5), name: 'Bevrijdingsdag' },
    { date: easter(39), name: 'Hemelvaartsdag' },
    { date: easter(49), name: 'Eerste Pinksterdag' },
    { date: easter(50), name: 'Tweede Pinksterdag' },
    { date: iso(year, 12, 25), name: 'Eerste Kerstdag' },
    { date: iso(year, 12, 26), name: 'Tweede Kerstdag' },
  ];
}

/** The nth (1-based) given ISO weekday of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, isoWeekday: number, n: number): number {
  if (n > 0) {
    const first = isoWeekdayOf(year, month, 1);
    return 1 + ((isoWeekday - first + 7) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = isoWeekdayOf(year, month, lastDay);
  return lastDay - ((last - isoWeekday + 7) % 7);
}

export function usFederalHolidays(year: number): Holiday[] {
  const fixed: Array<[number, number, string]> = [
    [1, 1, "New Year's Day"],
    [6, 19, 'Juneteenth National Independence Day'],
    [7, 4, 'Independence Day'],
    [11, 11, 'Veterans Day'],
    [12, 25, 'Christmas Day'],
  ];
  const out: Holiday[] = [];
  for (const [m, d, name] of fixed) {
    out.push({ date: iso(year, m, d), name });
    const wd = isoWeekdayOf(year, m, d);
    if (wd === 6) out.push({ date: offsetFrom(year, m, d, -1), name: `${name} (observed)` });
    if (wd === 7) out.push({ date: offsetFrom(year, m, d, 1), name: `${name} (observed)` });
  }
  // New Year's Day of next year observed on 31 Dec of this one.
  if (isoWeekdayOf(year + 1, 1, 1) === 6) out.push({ date: iso(year, 12, 31), name: "New Year's Day (observed)" });
  out.push(
    { date: iso(year, 1, nthWeekday(year, 1, 1, 3)), name: 'Birthday of Martin Luther King, Jr.' },
    { date: iso(year, 2, nthWeekday(year, 2, 1, 3)), name: "Washington's Birthday" },
    { date: iso(year, 5, nthWeekday(year, 5, 1, -1)), name: 'Memorial Day' },
    { date: iso(year, 9, nthWeekday(year, 9, 1, 1)), name: 'Labor Day' },
    { date: iso(year, 10, nthWeekday(year, 10, 1, 2)), name: 'Columbus Day' },
    { date: iso(year, 11, nthWeekday(year, 11, 4, 4)), name: 'Thanksgiving Day' },
  );
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

const cache = new Map<string, Map<string, string>>();

/** Holidays of a country for a year, keyed by date. */
export function holidaysOf(country: string, year: number): Map<string, string> {
  const cc = country.toUpperCase() === 'US' ? 'US' : 'NL';
  const key = `${cc}:${year}`;
  let map = cache.get(key);
  if (!map) {
    const list = cc === 'US' ? usFederalHolidays(year) : dutchHolidays(year);
    map = new Map();
    for (const h of list) if (!map.has(h.date)) map.set(h.date, h.name);
    cache.set(key, map);
  }
  return map;
}

/** The holiday's name if the local date is a public holiday in the country, else null. */
export function publicHoliday(country: string, year: number, month: number, day: number): string | null {
  return holidaysOf(country, year).get(iso(year, month, day)) ?? null;
}
