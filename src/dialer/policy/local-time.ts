/**
 * Wall-clock time in a debtor's IANA time zone, from Intl.DateTimeFormat only (no tz
 * database of our own). Calling windows are local rules, so every check converts the
 * UTC instant to local parts, and every "next allowed time" converts local back to UTC
 * — which is where DST bites: 08:00 local is 07:00Z in winter and 06:00Z in summer.
 */

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour: number; // 0-23
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone: a bad zone must not silently mean UTC.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (a debtor row may carry anything). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local minus UTC in ms at instant ms, straight from Intl (slow: ~10 µs). */
function intlOffset(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, (p.hour ?? 0) % 24, p.minute ?? 0, p.second ?? 0);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * Offsets are cached per zone and 15-minute slice: every zone's transitions fall on a
 * multiple of 15 minutes UTC, so the offset is constant inside a slice. This makes the
 * due-contact scan ~20× cheaper than asking Intl each time.
 */
const SLICE_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();
const MAX_CACHED = 200_000;

function offsetAt(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / SLICE_MS)}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    off = intlOffset(Math.floor(ms / SLICE_MS) * SLICE_MS, timeZone);
    if (offsetCache.size >= MAX_CACHED) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return off;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const d = new Date(ms + offsetAt(ms, timeZone));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return { year, month, day, hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isoWeekday: isoWeekdayOf(year, month, day) };
}

/** ISO weekday of a calendar date (no time zone involved). */
export function isoWeekdayOf(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * The UTC instant of a local wall time, resolved like Temporal's "compatible": an
 * ambiguous time (autumn, the hour that happens twice) maps to the earlier instant; a
 * time that does not exist (spring, the skipped hour) moves forward by the gap.
 */
export function localToUtc(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): number {
  const guess = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // Offsets well before and after any transition near this wall time (none is < 6 h apart).
  const before = offsetAt(guess - 6 * 3600_000, timeZone);
  const after = offsetAt(guess + 6 * 3600_000, timeZone);
  const roundTrips = (t: number) => {
    const p = localParts(t, timeZone);
    return p.day === day && p.hour * 60 + p.minute === minuteOfDay;
  };
  const candidates = [guess - before, guess - after].filter(roundTrips);
  if (candidates.length > 0) return Math.min(...candidates);
  return guess - before;
}

/** Minutes since local midnight for "HH:MM". */
export function parseHhmm(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The calendar date n days after the given one. */
export function addDays(year: number, month: number, day: number, n: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
