/**
 * Calls-per-second limiter (per trunk, per campaign) on an injected clock, so tests and
 * the simulator step it in virtual time. Starts full: a burst of `burst` calls is allowed,
 * then one per 1/ratePerSec seconds.
 */
import type { Clock } from '../lib/clock.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    readonly ratePerSec: number,
    readonly burst: number = Math.max(1, Math.ceil(ratePerSec)),
  ) {
    if (!(ratePerSec > 0)) throw new RangeError(`TokenBucket rate must be > 0, got ${ratePerSec}`);
    if (!(burst >= 1)) throw new RangeError(`TokenBucket burst must be >= 1, got ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
      this.last = now;
    }
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whole tokens available now (how many calls may start at once). */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Milliseconds until take() will succeed (0 if it would now). */
  msUntilNext(): number {
    this.refill();
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
  }
}

/** Takes a token from every bucket, or from none (a call needs both the trunk's and the campaign's). */
export function takeAll(buckets: TokenBucket[]): boolean {
  if (buckets.some((b) => b.available() < 1)) return false;
  for (const b of buckets) b.take();
  return true;
}
