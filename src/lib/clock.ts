/**
 * Time for everything that waits: call flows, the dialer, the simulator.
 * Nothing in a flow touches setTimeout or Date.now directly (DESIGN.md, rules of the house),
 * so tests can run the simulator and Bereik at the same accelerated scale, or step a
 * FakeClock by hand.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  /** Runs fn after ms of this clock's time. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Resolves after ms of this clock's time; rejects with the signal's reason if aborted first. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
  /** How many clock milliseconds pass per real millisecond (1 for the system clock). */
  readonly scale: number;
}

/** Clock.delay on any clock's setTimeout (a clock that wraps another can count its timers). */
export function delayOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wall-clock time. */
export class SystemClock implements Clock {
  readonly scale = 1;
  now(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  }
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    return delayOn(this, ms, signal);
  }
}

/**
 * Time that runs `scale` times faster than the wall clock, from `origin`.
 * The simulator and Bereik share one ScaledClock (in-process) or use the same scale
 * (two processes), so a 5-second prompt takes 5/scale real seconds for both.
 */
export class ScaledClock implements Clock {
  private readonly realStart = performance.now();
  constructor(
    readonly scale: number,
    private readonly origin: number = Date.now(),
  ) {
    if (!(scale > 0)) throw new RangeError(`ScaledClock scale must be > 0, got ${scale}`);
  }
  now(): number {
    return Math.round(this.origin + (performance.now() - this.realStart) * this.scale);
  }
  /**
   * Node may fire a timer up to a millisecond early (it counts from the loop's cached
   * time), which this clock multiplies by its scale: a timer that wakes before its moment
   * waits out the rest, so nothing scheduled at a time ever happens before it.
   */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const due = this.now() + Math.max(0, ms);
    let t: NodeJS.Timeout;
    const arm = (wait: number) => {
      t = setTimeout(() => {
        const left = due - this.now();
        if (left > 0) arm(left);
        else fn();
      }, Math.max(0, wait / this.scale));
    };
    arm(Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  }
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    return delayOn(this, ms, signal);
  }
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when a test says so. Timers fire in time order during advance(). */
export class FakeClock implements Clock {
  readonly scale = 1;
  private current: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start: number | string | Date = '2026-11-23T09:00:00Z') {
    this.current = typeof start === 'number' ? start : new Date(start).getTime();
  }
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    return delayOn(this, ms, signal);
  }
  /** Number of timers still waiting. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
  /** When the next waiting timer is due (undefined: none waits). */
  get nextAt(): number | undefined {
    let at: number | undefined;
    for (const t of this.timers) if (!t.cancelled && (at === undefined || t.at < at)) at = t.at;
    return at;
  }
  /** Moves time forward by ms, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.current = next.at;
      next.cancelled = true;
      next.fn();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }
  /** Sets the time (forward only), firing timers on the way. */
  async set(to: number | string | Date): Promise<void> {
    const t = typeof to === 'number' ? to : new Date(to).getTime();
    if (t < this.current) throw new RangeError('FakeClock cannot go back in time');
    await this.advance(t - this.current);
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}

/** UTC ISO string (what the store keeps). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
