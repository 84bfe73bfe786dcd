/**
 * The reports' time arithmetic, pure: a range of local days as UTC instants, and UTC-hour
 * counts folded into local hour of day and ISO weekday. Times are stored UTC and bucketed
 * in the operator's zone (Europe/Amsterdam): the question is "when do people answer",
 * which is a local-clock question. Every zone offset Bereik serves is a whole number of
 * hours in Europe, so a UTC hour falls in exactly one local hour.
 */
import { addDays, localParts, localToUtc } from '../dialer/policy/local-time.ts';
import type { HourBucket } from '../store/console-reports.ts';

export const REPORT_TIME_ZONE = 'Europe/Amsterdam';

export interface Rate {
  dialled: number;
  answered: number;
  /** answered / dialled; null when nothing was dialled. */
  rate: number | null;
}

/** Local days from..to (inclusive, YYYY-MM-DD) as the UTC instants [fromIso, toIso). */
export function dayRange(from: string, to: string, timeZone = REPORT_TIME_ZONE): { fromIso: string; toIso: string } {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const next = addDays(ty, tm, td, 1);
  return {
    fromIso: new Date(localToUtc(timeZone, fy, fm, fd, 0)).toISOString(),
    toIso: new Date(localToUtc(timeZone, next.year, next.month, next.day, 0)).toISOString(),
  };
}

/** How many days from..to covers, inclusive (for the range limit). */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

const rate = (dialled: number, answered: number): Rate => ({ dialled, answered, rate: dialled > 0 ? answered / dialled : null });

/** UTC-hour counts → 24 local hours (0–23) and 7 ISO weekdays (1 = Monday … 7 = Sunday), every bucket present. */
export function answerRateBuckets(hours: HourBucket[], timeZone = REPORT_TIME_ZONE): { byHour: (Rate & { hour: number })[]; byWeekday: (Rate & { weekday: number })[] } {
  const h = Array.from({ length: 24 }, () => [0, 0] as [number, number]);
  const w = Array.from({ length: 7 }, () => [0, 0] as [number, number]);
  for (const b of hours) {
    const p = localParts(Date.parse(`${b.hour}:00:00Z`), timeZone);
    h[p.hour]![0] += b.dialled, h[p.hour]![1] += b.answered;
    w[p.isoWeekday - 1]![0] += b.dialled, w[p.isoWeekday - 1]![1] += b.answered;
  }
  return {
    byHour: h.map(([d, a], hour) => ({ hour, ...rate(d, a) })),
    byWeekday: w.map(([d, a], i) => ({ weekday: i + 1, ...rate(d, a) })),
  };
}

/** RFC 4180 CSV: a header and rows, fields quoted when they hold a comma, quote or newline. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
