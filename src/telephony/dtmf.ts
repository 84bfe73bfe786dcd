/**
 * Keys pressed on one call: a buffer for keys nobody asked for yet (type-ahead), and one
 * collector at a time with the usual IVR rules — stop after maxDigits, on the terminator,
 * or when the debtor stops pressing. Timers run on the call's Clock and die with the call.
 * Asterisk does not stop a prompt on DTMF (trace 01): barge-in is done here.
 */
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { CollectOptions, CollectResult } from './types.ts';

interface Active {
  opts: CollectOptions;
  digits: string;
  timer: TimerHandle | undefined;
  /** False until the barge-in prompt ended (or there is none): the first-digit wait starts then. */
  waiting: boolean;
  resolve: (r: CollectResult) => void;
}

export class DigitBuffer {
  private buffer = '';
  private active: Active | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get pending(): string {
    return this.buffer;
  }

  clear(): void {
    this.buffer = '';
  }

  /** A key arrived from the phone. */
  push(digit: string): void {
    if (this.closed) return;
    if (this.active) this.feed(this.active, digit);
    else this.buffer += digit;
  }

  /**
   * Collects keys, starting with any already buffered. With bargeIn, the first key stops
   * that prompt, and the first-digit timeout only starts once the prompt has ended, so the
   * debtor always gets the full time after hearing the question.
   */
  collect(opts: CollectOptions): Promise<CollectResult> {
    if (this.active) return Promise.reject(new Error('collectDigits() is already running on this call'));
    if (this.closed) return Promise.resolve({ digits: '', reason: 'hangup' });
    return new Promise<CollectResult>((resolve) => {
      const a: Active = { opts, digits: '', timer: undefined, waiting: !opts.bargeIn, resolve };
      this.active = a;
      const buffered = this.buffer;
      this.buffer = '';
      for (let i = 0; i < buffered.length; i++) {
        this.feed(a, buffered[i]!);
        if (this.active !== a) {
          // Finished early: keys after the ones used stay for the next collector.
          this.buffer = buffered.slice(i + 1) + this.buffer;
          return;
        }
      }
      if (opts.bargeIn && a.digits === '') {
        void opts.bargeIn.finished.then(() => {
          if (this.active !== a || a.waiting) return;
          a.waiting = true;
          this.arm(a, opts.firstDigitTimeoutMs);
        });
      } else {
        a.waiting = true;
        this.arm(a, a.digits === '' ? opts.firstDigitTimeoutMs : opts.interDigitTimeoutMs);
      }
    });
  }

  /** The call ended: a running collector gets what it has, with reason 'hangup'. */
  close(): void {
    this.closed = true;
    if (this.active) this.finish(this.active, 'hangup');
  }

  private feed(a: Active, digit: string): void {
    if (a.digits === '' && a.opts.bargeIn) {
      a.opts.bargeIn.stop().catch(this.onError);
    }
    a.waiting = true;
    if (a.opts.terminator !== undefined && digit === a.opts.terminator) return this.finish(a, 'terminator');
    a.digits += digit;
    if (a.digits.length >= a.opts.maxDigits) return this.finish(a, 'complete');
    this.arm(a, a.opts.interDigitTimeoutMs);
  }

  private arm(a: Active, ms: number): void {
    a.timer?.cancel();
    a.timer = this.clock.setTimeout(() => {
      if (this.active === a) this.finish(a, 'timeout');
    }, ms);
  }

  private finish(a: Active, reason: CollectResult['reason']): void {
    a.timer?.cancel();
    a.timer = undefined;
    if (this.active === a) this.active = undefined;
    a.resolve({ digits: a.digits, reason });
  }
}
