/**
 * The daily planner on a timer inside `bereik serve` (issue 13 §2): once a day at a local
 * time (strategies.planAt, Europe/Amsterdam), and at start when that time has passed today
 * and the day was not planned yet (the service was down at the planned time). Time comes
 * from the injected clock; one timer, cancelled by stop().
 */
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { localToUtc } from '../dialer/policy/local-time.ts';
import { localDate } from './days.ts';
import { plusDays } from './segment.ts';

export const PLAN_ZONE = 'Europe/Amsterdam';

export interface DailyPlanDeps {
  clock: Clock;
  log: Logger;
  planner: { planDay(now?: number): Promise<unknown> };
  /** The latest local day already planned (src/store/strategies.ts lastRunDay). */
  lastRunDay: () => string | null;
  /** HH:MM local time. */
  at: string;
  timeZone?: string;
}

export class DailyPlanTimer {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly zone: string;
  private readonly minute: number;

  constructor(private readonly d: DailyPlanDeps) {
    const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(d.at);
    if (!m) throw new Error(`strategies.planAt must be a local time HH:MM, got "${d.at}"`);
    this.minute = Number(m[1]) * 60 + Number(m[2]);
    this.zone = d.timeZone ?? PLAN_ZONE;
  }

  /** Plans now if today's time has passed unplanned, then waits for the next planned time. */
  start(): void {
    this.stopped = false;
    this.tick();
  }

  /** Stops the timer; a run under way finishes (the returned promise). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
  }

  /** Resolves when no run is under way (a run started by a timer that fired finishes first). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** When today's run is due (UTC ms), for a local date. */
  private dueOn(day: string): number {
    const [y, m, dd] = day.split('-').map(Number) as [number, number, number];
    return localToUtc(this.zone, y, m, dd, this.minute);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.d.clock.now();
    const today = localDate(now, this.zone);
    const due = this.dueOn(today);
    if (now >= due && (this.d.lastRunDay() ?? '') < today && !this.running) {
      this.d.log.info({ day: today }, 'strategy: the daily plan runs');
      this.running = this.d.planner
        .planDay(now)
        .then(
          () => undefined,
          (err: unknown) => this.d.log.error({ err, day: today }, 'strategy: the daily plan failed; it is tried again at the next planned time or start'),
        )
        .finally(() => (this.running = undefined));
    }
    const next = now < due ? due : this.dueOn(plusDays(today, 1));
    this.timer = this.d.clock.setTimeout(() => this.tick(), next - now);
  }
}
