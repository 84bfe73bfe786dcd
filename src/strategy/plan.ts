/**
 * What a strategy asks of one debtor today (issue 13 §1–2). Pure: strategy, facts,
 * history and the debtor's local date in; the due steps out. The rules, in order:
 *  1. A stop condition (src/strategy/segment.ts) stops everything.
 *  2. The first matching segment's timeline applies.
 *  3. On a day nothing may be sent or called (Sunday, a public holiday: the calling
 *     windows of src/dialer/policy/windows.ts) nothing is done; what was due is done on
 *     the next allowed day (catch-up).
 *  4. A step is due once its day offset (days since the debtor entered the strategy) has
 *     come, or on the day after its event; a step is done once (any recorded action).
 *     Event steps come first, then day steps in day order: the oldest missed step first.
 *  5. At most one action a day across channels: the first due step that is not marked
 *     `sameDay`, with the due `sameDay` steps beside it; once something was done today,
 *     only `sameDay` steps may follow.
 */
import type { ActionStatus } from '../store/types.ts';
import type { Step, StepEvent, StopCondition, StrategyDoc } from './schema.ts';
import { daysBetween, segmentOf, stopCondition, type DebtorFacts } from './segment.ts';

export interface PastAction {
  segment: string;
  stepIndex: number;
  /** Local date (YYYY-MM-DD) it was planned for. */
  plannedFor: string;
  status: ActionStatus;
}

export interface PastEvent {
  kind: StepEvent;
  /** Local date of the event. */
  on: string;
}

export interface History {
  /** Local date the debtor entered the strategy: day 0. */
  startedOn: string;
  actions: readonly PastAction[];
  events: readonly PastEvent[];
}

/** Whether actions may happen on a local date; when not, why and the next date they may. */
export type DayVerdict = { ok: true } | { ok: false; reason: 'sunday' | 'public_holiday' | 'no_window'; nextDay: string | null };

export interface DueStep {
  index: number;
  step: Step;
  /** Event steps: the local date of the event answered. */
  eventOn?: string;
}

export type DayPlan =
  | { kind: 'stop'; condition: StopCondition }
  | { kind: 'no_segment' }
  | { kind: 'nothing'; segment: string }
  | { kind: 'wait'; segment: string; reason: 'sunday' | 'public_holiday' | 'no_window'; nextDay: string | null; due: DueStep[] }
  | { kind: 'act'; segment: string; steps: DueStep[] };

/** Counts as "something happened that day" for the one-a-day rule. */
const DONE_TODAY: readonly ActionStatus[] = ['planned', 'executed'];

export function planToday(strategy: Pick<StrategyDoc, 'segments' | 'stopConditions'>, facts: DebtorFacts, history: History, today: string, day: DayVerdict): DayPlan {
  const stop = stopCondition(strategy, facts, today);
  if (stop) return { kind: 'stop', condition: stop };
  const segment = segmentOf(strategy, facts, today);
  if (!segment) return { kind: 'no_segment' };
  const mine = history.actions.filter((a) => a.segment === segment.name);
  const offset = daysBetween(history.startedOn, today);

  const due: DueStep[] = [];
  segment.steps.forEach((step, index) => {
    if (step.on === undefined) return;
    const last = latest(history.events.filter((e) => e.kind === step.on && e.on < today));
    if (last && !mine.some((a) => a.stepIndex === index && a.plannedFor > last.on)) due.push({ index, step, eventOn: last.on });
  });
  segment.steps
    .map((step, index) => ({ index, step }))
    .filter(({ step, index }) => step.day !== undefined && step.day <= offset && !mine.some((a) => a.stepIndex === index))
    .sort((a, b) => a.step.day! - b.step.day! || a.index - b.index)
    .forEach((d) => due.push(d));
  if (!due.length) return { kind: 'nothing', segment: segment.name };
  if (!day.ok) return { kind: 'wait', segment: segment.name, reason: day.reason, nextDay: day.nextDay, due };

  const busyToday = history.actions.some((a) => a.plannedFor === today && DONE_TODAY.includes(a.status));
  // The day's one action is the first due step that needs a day of its own; sameDay steps go beside it.
  const own = busyToday ? undefined : (due.find((d) => !d.step.sameDay) ?? due[0]);
  const steps = [...(own ? [own] : []), ...due.filter((d) => d !== own && d.step.sameDay)];
  return steps.length ? { kind: 'act', segment: segment.name, steps } : { kind: 'nothing', segment: segment.name };
}

function latest(events: PastEvent[]): PastEvent | undefined {
  return events.reduce<PastEvent | undefined>((a, e) => (!a || e.on > a.on ? e : a), undefined);
}
