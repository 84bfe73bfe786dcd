/**
 * A clock that runs at real speed and can jump forward to a moment: the multi-day
 * strategy tests run each virtual day's work in real time, then jump to the next morning.
 */
import { delayOn, type Clock, type TimerHandle } from '../../src/lib/clock.ts';

export class DayClock implements Clock {
  readonly scale = 1;
  private readonly realStart = performance.now();
  constructor(private origin: number) {}
  now(): number {
    return Math.round(this.origin + performance.now() - this.realStart);
  }
  /** Moves the clock forward (or back) to t; timers already set keep their real delays. */
  jumpTo(t: number): void {
    this.origin += t - this.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  }
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    return delayOn(this, ms, signal);
  }
}
