/**
 * Waiting in tests that run real I/O: poll until a condition holds, on the monotonic clock
 * (never the wall clock, which libfaketime moves in the shifted-clock run), and the one
 * start time the messaging tests give their injected clock.
 */

/** Monday 23 November 2026, 10:00 in Amsterdam: inside every default sending and calling window. */
export const MONDAY_10_AMSTERDAM = Date.parse('2026-11-23T09:00:00Z');

/** Polls f (sync or async) until it gives something truthy; fails naming `what` after `ms`. */
export async function until<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
