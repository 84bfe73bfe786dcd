/**
 * May this debtor be called now, and if not, when next? Evaluated in the debtor's own
 * time zone. Order of the checks, strictest first:
 *  1. Sunday — never (Dutch rules), unless the campaign loosens and the debtor's country
 *     allows Sundays (US Regulation F does).
 *  2. Public holiday of the debtor's country, when skipPublicHolidays.
 *  3. One of the campaign's calling windows for that weekday…
 *  4. …clipped to the legal hours: 07:00–20:00 (Dutch rules) intersected with the
 *     country's own hours (US Regulation F 08:00–21:00). So a misconfigured 06:00 window
 *     still starts at 07:00. With allowLooserThanLegal the country's own hours apply
 *     alone (the logged way to call a US debtor until 21:00).
 */
import type { CampaignSettings } from '../../campaigns/settings.ts';
import { addDays, isoWeekdayOf, localParts, localToUtc, parseHhmm } from './local-time.ts';
import { publicHoliday } from './holidays.ts';

export interface DebtorPlace {
  /** IANA zone, e.g. Europe/Amsterdam. */
  timeZone: string;
  /** ISO 3166 alpha-2, e.g. NL, US. */
  country: string;
}

export type WindowSettings = Pick<CampaignSettings, 'callingWindows' | 'skipPublicHolidays' | 'allowLooserThanLegal'>;

export type NotCallableReason = 'sunday' | 'public_holiday' | 'outside_window' | 'legal_hours' | 'no_window';

export type Callability =
  | { ok: true; /** UTC ms when the current window closes. */ until: number }
  | { ok: false; reason: NotCallableReason; detail?: string; /** null: no callable time within a year. */ nextAt: number | null };

interface CountryRules {
  startMin: number;
  endMin: number;
  sundaysAllowed: boolean;
}

/** Statutory hours by country; the Dutch ones also serve as Bereik's strict default. */
const DUTCH: CountryRules = { startMin: 7 * 60, endMin: 20 * 60, sundaysAllowed: false };
const COUNTRY_RULES: Record<string, CountryRules> = {
  NL: DUTCH,
  US: { startMin: 8 * 60, endMin: 21 * 60, sundaysAllowed: true },
};

function legalRules(country: string, loosen: boolean): CountryRules {
  const own = COUNTRY_RULES[country.toUpperCase()] ?? DUTCH;
  if (loosen) return own;
  return {
    startMin: Math.max(own.startMin, DUTCH.startMin),
    endMin: Math.min(own.endMin, DUTCH.endMin),
    sundaysAllowed: false,
  };
}

interface DayCheck {
  blocked?: { reason: 'sunday' | 'public_holiday'; detail?: string };
  /** Callable spans of that local day, in minutes since midnight, after legal clipping. */
  spans: Array<[number, number]>;
}

function checkDay(year: number, month: number, day: number, place: DebtorPlace, s: WindowSettings): DayCheck {
  const rules = legalRules(place.country, s.allowLooserThanLegal);
  const wd = isoWeekdayOf(year, month, day);
  if (wd === 7 && !rules.sundaysAllowed) return { blocked: { reason: 'sunday' }, spans: [] };
  if (s.skipPublicHolidays) {
    const name = publicHoliday(place.country, year, month, day);
    if (name) return { blocked: { reason: 'public_holiday', detail: name }, spans: [] };
  }
  const spans: Array<[number, number]> = [];
  for (const w of s.callingWindows) {
    if (!w.days.includes(wd)) continue;
    const start = Math.max(parseHhmm(w.start), rules.startMin);
    const end = Math.min(parseHhmm(w.end), rules.endMin);
    if (end > start) spans.push([start, end]);
  }
  return { spans: spans.sort((a, b) => a[0] - b[0]) };
}

/** Whether the configured windows (before legal clipping) cover this minute. */
function inConfiguredWindow(minute: number, wd: number, s: WindowSettings): boolean {
  return s.callingWindows.some((w) => w.days.includes(wd) && parseHhmm(w.start) <= minute && minute < parseHhmm(w.end));
}

export function isCallable(nowMs: number, place: DebtorPlace, settings: WindowSettings): Callability {
  const p = localParts(nowMs, place.timeZone);
  const check = checkDay(p.year, p.month, p.day, place, settings);
  const minute = p.hour * 60 + p.minute;
  if (!check.blocked) {
    for (const [start, end] of check.spans) {
      if (start <= minute && minute < end) {
        return { ok: true, until: localToUtc(place.timeZone, p.year, p.month, p.day, end) };
      }
    }
  }
  const nextAt = nextCallableTime(nowMs, place, settings);
  if (check.blocked) return { ok: false, ...check.blocked, nextAt };
  if (inConfiguredWindow(minute, p.isoWeekday, settings)) return { ok: false, reason: 'legal_hours', nextAt };
  if (nextAt === null) return { ok: false, reason: 'no_window', nextAt };
  return { ok: false, reason: 'outside_window', nextAt };
}

/** A calling-window rule: isCallable (the law's), or anyTime. Which one a campaign follows is chosen in src/engine.ts. */
export type WindowRule = (nowMs: number, place: DebtorPlace, settings: WindowSettings) => Callability;

/**
 * Every instant is callable: for the demo campaign on the built-in simulated Asterisk only,
 * whose phones are nobody's (README, "Try it"). src/engine.ts chooses it for nothing else,
 * and never when a real Asterisk is configured.
 */
export const anyTime: WindowRule = (nowMs) => ({ ok: true, until: nowMs + 24 * 3600_000 });

/** Looks this far ahead before declaring the windows unusable (e.g. only Sundays configured). */
const MAX_DAYS_AHEAD = 370;

/** The first instant at or after nowMs when the debtor may be called; null if none within a year. */
export function nextCallableTime(nowMs: number, place: DebtorPlace, settings: WindowSettings): number | null {
  const p = localParts(nowMs, place.timeZone);
  for (let i = 0; i <= MAX_DAYS_AHEAD; i++) {
    const d = addDays(p.year, p.month, p.day, i);
    const check = checkDay(d.year, d.month, d.day, place, settings);
    if (check.blocked) continue;
    for (const [start, end] of check.spans) {
      const from = Math.max(nowMs, localToUtc(place.timeZone, d.year, d.month, d.day, start));
      if (from < localToUtc(place.timeZone, d.year, d.month, d.day, end)) return from;
    }
  }
  return null;
}
