/**
 * "Ik betaal vrijdag", "Wordt morgen betaald", "I will pay in 3 days": a reply that promises
 * payment on a date we can read without doubt. Pure: the clock's instant and the debtor's
 * time zone come in, a calendar date (YYYY-MM-DD, the debtor's local day) goes out.
 *
 * Decisions (docs/messaging-replies.md, "Promises by reply"):
 *  - A weekday is its next occurrence after today ("vrijdag" on a Wednesday: in 2 days). The
 *    weekday it is today ("vrijdag" on a Friday) may mean today or in a week: a person asks.
 *    "volgende vrijdag" / "next Friday" is read both ways by people too: a person asks.
 *  - "volgende week" / "next week": Friday of next week (weeks start on Monday). The
 *    confirmation says "uiterlijk" (at the latest): a debtor who pays on Thursday of next
 *    week kept the promise, so its date is the week's last working day, not its Monday.
 *  - "deze week" / "this week": this week's Friday (today on a Saturday or Sunday).
 *  - "eind van de maand" / "end of the month": the month's last day.
 *  - "15-12" / "15/12" is day-month (Dutch); in an English reply with both parts ≤ 12
 *    ("05/06") it is ambiguous. "12/15" (a month-day that cannot be day-month) is read as such.
 *  - A date without a year is this year's, unless that lies more than 60 days back: then
 *    next year's ("2 januari" on 30 December). A past date is not a promise.
 *  - Two different dates, an amount, a negation, a question, a part, a condition ("als",
 *    "misschien", "if", "try"), "na"/"after" (from a date on, not by it): a person reads it.
 */
import { localDate } from '../../strategy/days.ts';
import { daysBetween, plusDays } from '../../strategy/segment.ts';
import { NEGATIONS, PARTIAL_WORDS, QUESTION_WORDS, type ReplyLanguage } from './vocabulary.ts';

export const DEFAULT_PROMISE_MAX_DAYS = 30;

export type PromiseProblem =
  | 'no_date' | 'date_past' | 'date_too_far' | 'date_ambiguous' | 'date_invalid'
  | 'negation' | 'question' | 'partial' | 'conditional' | 'amount' | 'too_long';

export type PromiseReading = { ok: true; date: string; days: number } | { ok: false; reason: PromiseProblem };

export interface PromiseContext {
  /** The injected clock's instant (ms since the epoch). */
  now: number;
  /** The debtor's IANA time zone: "today" is theirs. */
  timeZone: string;
  /** Furthest promise date accepted, in days from today (default 30). */
  maxDays?: number;
  /** The reply's language as the parser read it (decides "05/06"). */
  language?: ReplyLanguage;
}

const WEEKDAYS: Record<string, number> = {
  maandag: 1, dinsdag: 2, woensdag: 3, donderdag: 4, vrijdag: 5, zaterdag: 6, zondag: 7,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};
const MONTHS: Record<string, number> = {
  januari: 1, februari: 2, maart: 3, april: 4, mei: 5, juni: 6, juli: 7, augustus: 8, september: 9, oktober: 10, november: 11, december: 12,
  january: 1, february: 2, march: 3, may: 5, june: 6, july: 7, august: 8, october: 10,
  jan: 1, feb: 2, mrt: 3, maa: 3, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, okt: 10, oct: 10, nov: 11, dec: 12,
};
const NUMBER_WORDS: Record<string, number> = {
  een: 1, twee: 2, drie: 3, vier: 4, vijf: 5, zes: 6, zeven: 7, acht: 8, negen: 9, tien: 10, veertien: 14,
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fourteen: 14,
};
/** A word that says the message is about paying (beside the parser's BETAALD). */
const PAY_STEMS = ['betaal', 'betalen', 'betaling', 'overmaken', 'overmaak', 'voldoen', 'voldoe', 'storten', 'stort'];
const PAY_WORDS = new Set(['pay', 'paid', 'pays', 'paying', 'payment', 'transfer', 'transferred', 'settle', 'settled']);
const CONDITIONS = new Set([
  'als', 'indien', 'misschien', 'hopelijk', 'hoop', 'proberen', 'probeer', 'denk', 'wellicht', 'mits', 'tenzij',
  'if', 'maybe', 'perhaps', 'hopefully', 'hope', 'try', 'think', 'unless', 'might',
]);
const FROM_ON = new Set(['na', 'vanaf', 'after', 'from']);
const AMOUNT_WORDS = new Set(['euro', 'eur', 'euros']);
const ORDINAL = /^(\d{1,2})(e|de|ste|st|nd|rd|th)?$/;
const MAX_WORDS = 14;
/** A date without a year further back than this is next year's. */
const PAST_YEAR_DAYS = 60;

/** Lower case, no accents; keeps digits with - and / between them ("15-12"), drops other punctuation. */
function tokens(text: string): string[] {
  return text
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/(\d)[-/](?=\d)/g, '$1\u0001')
    .replace(/[^a-z0-9\u0001€]+/g, ' ')
    .replace(/€/g, ' euro ')
    .trim().split(/\s+/).filter(Boolean)
    .map((w) => w.replace(/\u0001/g, '-'));
}

/** True when the reply speaks of paying at all: only then can it be a promise to pay. */
export function speaksOfPaying(text: string): boolean {
  const ws = tokens(text);
  return ws.some((w) => PAY_WORDS.has(w) || PAY_STEMS.some((s) => w.startsWith(s)) || w === 'betaald' || w === 'overgemaakt')
    || (ws.includes('maak') && ws.includes('over'));
}

interface Found { date?: string; problem?: PromiseProblem }

/** The promise a reply makes, or why a person must read it. Call it only for a reply that speaks of paying. */
export function readPromise(text: string, ctx: PromiseContext): PromiseReading {
  const ws = tokens(text);
  if (/\?/.test(text) || ws.some((w) => QUESTION_WORDS.has(w))) return { ok: false, reason: 'question' };
  if (ws.some((w) => NEGATIONS.has(w))) return { ok: false, reason: 'negation' };
  if (ws.some((w) => PARTIAL_WORDS.has(w))) return { ok: false, reason: 'partial' };
  // "may" is a month only before a day ("May 15"); else "I may pay".
  if (ws.some((w, i) => CONDITIONS.has(w) || (w === 'may' && !ORDINAL.test(ws[i + 1] ?? '')))) return { ok: false, reason: 'conditional' };
  if (ws.length > MAX_WORDS) return { ok: false, reason: 'too_long' };
  const today = localDate(ctx.now, ctx.timeZone);
  const found = findDates(ws, today, ctx.language);
  if (found.some((f) => f.problem === 'amount')) return { ok: false, reason: 'amount' };
  if (found.some((f) => f.problem)) return { ok: false, reason: found.find((f) => f.problem)!.problem! };
  const dates = [...new Set(found.map((f) => f.date!))];
  if (dates.length === 0) return { ok: false, reason: 'no_date' };
  const fromOn = ws.some((w, i) => FROM_ON.has(w) && !(w === 'after' && ws[i - 1] === 'day' && ws[i + 1] === 'tomorrow'));
  if (dates.length > 1 || fromOn) return { ok: false, reason: 'date_ambiguous' };
  const date = dates[0]!;
  const days = daysBetween(today, date);
  if (days < 0) return { ok: false, reason: 'date_past' };
  if (days > (ctx.maxDays ?? DEFAULT_PROMISE_MAX_DAYS)) return { ok: false, reason: 'date_too_far' };
  return { ok: true, date, days };
}

function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function lastOfMonth(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function calendarDate(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1) return undefined;
  const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return lastOfMonth(y, m) >= iso ? iso : undefined;
}

/** Day and month (and maybe year) as a date: a missing year is the nearest sensible one. */
function dayMonth(today: string, d: number, m: number, y?: number): Found {
  if (y !== undefined) {
    const date = calendarDate(y < 100 ? 2000 + y : y, m, d);
    return date ? { date } : { problem: 'date_invalid' };
  }
  const year = Number(today.slice(0, 4));
  const date = calendarDate(year, m, d);
  if (!date) return calendarDate(2000, m, d) ? dayMonth(today, d, m, year + 1) : { problem: 'date_invalid' };
  return daysBetween(date, today) > PAST_YEAR_DAYS ? dayMonth(today, d, m, year + 1) : { date };
}

function findDates(ws: string[], today: string, lang: ReplyLanguage | undefined): Found[] {
  const out: Found[] = [];
  const dayOf = (w: string | undefined) => (w === undefined ? undefined : ORDINAL.exec(w)?.[1]);
  const yearOf = (w: string | undefined) => (w !== undefined && /^\d{4}$/.test(w) ? Number(w) : undefined);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const next = ws[i + 1];
    if (w === 'vandaag' || w === 'today') out.push({ date: today });
    else if (w === 'overmorgen') out.push({ date: plusDays(today, 2) });
    else if (w === 'day' && next === 'after' && ws[i + 2] === 'tomorrow') (out.push({ date: plusDays(today, 2) }), (i += 2));
    else if (w === 'morgen' || w === 'tomorrow') out.push({ date: plusDays(today, 1) });
    else if (WEEKDAYS[w] !== undefined) {
      const prev = ws[i - 1];
      if (prev === 'volgende' || prev === 'next') out.push({ problem: 'date_ambiguous' });
      else {
        const ahead = (WEEKDAYS[w]! - isoWeekday(today) + 7) % 7;
        out.push(ahead === 0 ? { problem: 'date_ambiguous' } : { date: plusDays(today, ahead) });
      }
    } else if ((w === 'week') && ['volgende', 'next', 'komende'].includes(ws[i - 1] ?? '')) {
      // "volgende week dinsdag": that day of next week; else the week's Friday.
      const day = WEEKDAYS[next ?? ''];
      out.push({ date: plusDays(today, 7 - isoWeekday(today) + (day ?? 5)) });
      if (day !== undefined) i++;
    } else if (w === 'week' && ['deze', 'this'].includes(ws[i - 1] ?? '')) {
      const wd = isoWeekday(today);
      out.push({ date: wd >= 6 ? today : plusDays(today, 5 - wd) });
    } else if ((w === 'maand' || w === 'month') && ws.slice(Math.max(0, i - 4), i).some((p) => p === 'eind' || p === 'einde' || p === 'end')) {
      const [y, m] = today.split('-').map(Number) as [number, number];
      const nextMonth = ['volgende', 'next', 'komende'].includes(ws[i - 1] ?? '');
      out.push({ date: nextMonth ? lastOfMonth(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1) : lastOfMonth(y, m) });
    } else if (['over', 'in', 'binnen', 'within'].includes(w) && next !== undefined && (/^\d{1,3}$/.test(next) || NUMBER_WORDS[next] !== undefined)) {
      const n = /^\d+$/.test(next) ? Number(next) : NUMBER_WORDS[next]!;
      const unit = ws[i + 2];
      if (unit === 'dag' || unit === 'dagen' || unit === 'day' || unit === 'days') (out.push({ date: plusDays(today, n) }), (i += 2));
      else if (unit === 'week' || unit === 'weken' || unit === 'weeks') (out.push({ date: plusDays(today, 7 * n) }), (i += 2));
    } else if (/^\d{1,2}-\d{1,2}(-\d{2}|-\d{4})?$/.test(w)) {
      const [a, b, y] = w.split('-').map(Number) as [number, number, number | undefined];
      if (a <= 12 && b > 12) out.push(dayMonth(today, b, a, y));
      else if (lang === 'en' && a <= 12 && b <= 12 && a !== b) out.push({ problem: 'date_ambiguous' });
      else out.push(dayMonth(today, a, b, y));
    } else if (dayOf(w) !== undefined && MONTHS[ws[i + (next === 'of' ? 2 : 1)] ?? ''] !== undefined) {
      const at = i + (next === 'of' ? 2 : 1);
      out.push(dayMonth(today, Number(dayOf(w)), MONTHS[ws[at]!]!, yearOf(ws[at + 1])));
      i = at + (yearOf(ws[at + 1]) !== undefined ? 1 : 0);
    } else if (MONTHS[w] !== undefined && dayOf(next) !== undefined && !(w === 'may' && !/^\d/.test(next ?? ''))) {
      out.push(dayMonth(today, Number(dayOf(next)), MONTHS[w]!, yearOf(ws[i + 2])));
      i += yearOf(ws[i + 2]) !== undefined ? 2 : 1;
    } else if (AMOUNT_WORDS.has(w) || /^\d+$/.test(w)) out.push({ problem: 'amount' });
  }
  return out;
}

const NL_DAYS = ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'];
const EN_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const NL_MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "vrijdag 11 december" / "Friday 11 December": how a confirmation names the date. */
export function spokenDate(date: string, lang: ReplyLanguage): string {
  const [, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = isoWeekday(date) - 1;
  return lang === 'en' ? `${EN_DAYS[wd]} ${d} ${EN_MONTHS[m - 1]}` : `${NL_DAYS[wd]} ${d} ${NL_MONTHS[m - 1]}`;
}
