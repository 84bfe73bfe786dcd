/**
 * Which segment of a strategy a debtor is in today, and whether the strategy stops for
 * them. One debtor, one conversation (issue 13 §1): the facts are the person's, over all
 * their open claims. Pure: the planner reads the facts in bulk (src/store/strategies.ts).
 */
import type { Language, Risk } from '../store/types.ts';
import { STOP_CONDITIONS, stopsOn, type Segment, type StopCondition, type StrategyDoc } from './schema.ts';

export interface DebtorFacts {
  debtorId: number;
  /** Open claims (open, promised, arranged). */
  openClaims: number;
  /** What is still to be paid over the open claims (amount less paid), in cents. */
  openCents: number;
  risk: Risk;
  language: Language;
  /** IANA zone: "today" is the debtor's local date. */
  timeZone: string;
  /** YYYY-MM-DD, the oldest open claim's due date; null when none has one. */
  oldestDueDate: string | null;
  creditors: readonly string[];
  /** The latest promised date (YYYY-MM-DD) over the promised claims, null when none. */
  promisedUntil: string | null;
  arranged: boolean;
  disputed: boolean;
  /** Opted out of every channel there is an address for (SMS and DNC on each number, e-mail). */
  optedOutAll: boolean;
  /** Every phone number is invalid or dead (and there is at least one). */
  invalidAllNumbers: boolean;
}

/** Whole days from `from` to `to` (calendar dates, so no DST hour in between counts). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar date n days after `date`. */
export function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function inRange(v: number, r: { min?: number; max?: number } | undefined): boolean {
  return !r || ((r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max));
}

export function matches(segment: Segment, f: DebtorFacts, today: string): boolean {
  const m = segment.match;
  if (!m) return true;
  if (!inRange(f.openCents, m.amountCents)) return false;
  if (m.risk && !m.risk.includes(f.risk)) return false;
  if (m.ageDays && !inRange(f.oldestDueDate ? Math.max(0, daysBetween(f.oldestDueDate, today)) : 0, m.ageDays)) return false;
  if (m.creditors && !f.creditors.some((c) => m.creditors!.includes(c))) return false;
  if (m.language && !m.language.includes(f.language)) return false;
  return true;
}

/** The first segment the debtor matches today, or undefined. */
export function segmentOf(strategy: Pick<StrategyDoc, 'segments'>, f: DebtorFacts, today: string): Segment | undefined {
  return strategy.segments.find((s) => matches(s, f, today));
}

/** Why nothing more is done for this debtor today, checked in the order of STOP_CONDITIONS; null when the strategy goes on. */
export function stopCondition(strategy: Pick<StrategyDoc, 'stopConditions'>, f: DebtorFacts, today: string): StopCondition | null {
  const holds: Record<StopCondition, boolean> = {
    paid_in_full: f.openClaims === 0 || f.openCents <= 0,
    // A promise holds until its date has passed; the day after, it is broken and the strategy resumes.
    promise_active: f.promisedUntil !== null && f.promisedUntil >= today,
    arrangement: f.arranged,
    dispute: f.disputed,
    opted_out_all: f.optedOutAll,
    invalid_all_numbers: f.invalidAllNumbers,
  };
  return STOP_CONDITIONS.find((c) => holds[c] && stopsOn(strategy, c)) ?? null;
}
