/**
 * Virtual time for tests that run real code on a FakeClock without stepping it by hand:
 * whenever the process has nothing else to do (every promise settled, no file I/O in
 * flight), the clock jumps to its next timer. A call that lasts minutes of clock time
 * takes milliseconds, and the order of events never depends on how busy the machine is.
 */
import type { FakeClock } from '../../src/lib/clock.ts';

/** File system requests still running (a TTS render writing its WAV, a cache lookup). */
function fileIoInFlight(): boolean {
  return process.getActiveResourcesInfo().some((r) => r.startsWith('FSReq') || r === 'FileHandleCloseReq');
}

const realTick = () => new Promise<void>((r) => setTimeout(r, 1));
const idle = () => new Promise<void>((r) => setImmediate(r));

/**
 * Runs `work` to its end, advancing `clock` to each next timer while nothing else happens.
 * `busy`: promises of the test's own I/O (TTS renders) that time must not pass during.
 * Throws if the work waits for something no timer will bring, or runs past `limitMs` of clock time.
 */
export async function runOnFakeTime<T>(clock: FakeClock, work: Promise<T>, o: { busy?: ReadonlySet<Promise<unknown>>; limitMs?: number } = {}): Promise<T> {
  const limitMs = o.limitMs ?? 60 * 60_000;
  let done = false;
  const settled = work.finally(() => (done = true));
  settled.catch(() => {}); // awaited below; the loop only watches `done`
  const until = clock.now() + limitMs;
  let quiet = 0;
  while (!done) {
    await idle();
    if (done) break;
    if (o.busy?.size) {
      await Promise.allSettled(o.busy);
      continue;
    }
    if (fileIoInFlight()) {
      await realTick();
      continue;
    }
    const next = clock.nextAt;
    if (next === undefined) {
      // Nothing scheduled: give stray I/O a few real ticks before calling it a stall.
      if (++quiet > 50) throw new Error('runOnFakeTime: the work waits, but no timer is set and no I/O is in flight');
      await realTick();
      continue;
    }
    quiet = 0;
    if (next > until) throw new Error(`runOnFakeTime: still running after ${limitMs} ms of clock time`);
    await clock.advance(next - clock.now());
  }
  return settled;
}
