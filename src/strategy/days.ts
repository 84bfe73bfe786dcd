/**
 * The debtor's "today" and whether anything may be sent or called on it: the calling
 * windows of src/dialer/policy/windows.ts (Sundays, public holidays, the legal hours), read
 * per local date. A date with no callable minute is not an action day; the planner waits.
 */
import { DEFAULT_SETTINGS } from '../campaigns/settings.ts';
import { localParts, localToUtc } from '../dialer/policy/local-time.ts';
import { publicHoliday } from '../dialer/policy/holidays.ts';
import { nextCallableTime, type DebtorPlace, type WindowSettings } from '../dialer/policy/windows.ts';
import type { DayVerdict } from './plan.ts';

/** Mon–Sat 08:00–20:00, no public holidays: the campaigns' default, which strategies send and call in. */
export const STRATEGY_WINDOWS: WindowSettings = {
  callingWindows: DEFAULT_SETTINGS.callingWindows,
  skipPublicHolidays: DEFAULT_SETTINGS.skipPublicHolidays,
  allowLooserThanLegal: false,
};

function iso(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The local calendar date (YYYY-MM-DD) at this instant in the zone. */
export function localDate(nowMs: number, timeZone: string): string {
  const p = localParts(nowMs, timeZone);
  return iso(p.year, p.month, p.day);
}

/** Whether `date` (local, in place's zone) has a minute in which the debtor may be contacted. */
export function actionDay(date: string, place: DebtorPlace, settings: WindowSettings = STRATEGY_WINDOWS): DayVerdict {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = nextCallableTime(localToUtc(place.timeZone, y, m, d, 0), place, settings);
  const nextDay = next === null ? null : localDate(next, place.timeZone);
  if (nextDay === date) return { ok: true };
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const reason = weekday === 0 ? 'sunday' : publicHoliday(place.country, y, m, d) ? 'public_holiday' : 'no_window';
  return { ok: false, reason, nextDay };
}
