/**
 * Rings a phone into the app and waits for its answer: the agent's line (line.ts) and a
 * supervisor's phone (supervise.ts) both make one such call and keep it. The wait is on the
 * injected clock (agents.ringTimeoutSec); a phone that does not answer in time is hung up.
 */
import type { Clock } from '../lib/clock.ts';
import type { Call, OriginateOptions, Telephony } from '../telephony/types.ts';

export type Rung = { leg: Call } | { failed: string; err?: unknown };

export async function ringUntilAnswered(d: { telephony: Pick<Telephony, 'originate'>; clock: Clock }, call: Omit<OriginateOptions, 'timeoutSec'>, ringTimeoutSec: number): Promise<Rung> {
  let leg: Call;
  try {
    leg = await d.telephony.originate({ ...call, timeoutSec: ringTimeoutSec });
  } catch (err) {
    return { failed: 'the phone could not be called', err };
  }
  const timer = new AbortController();
  const rang = d.clock.delay(ringTimeoutSec * 1000, timer.signal).then(() => 'timeout' as const, () => 'cancelled' as const);
  const answered = await Promise.race([leg.whenInStasis().then((entry) => (entry ? ('answered' as const) : ('ended' as const))), rang]);
  timer.abort();
  if (answered === 'answered') return { leg };
  await leg.hangup().catch(() => {});
  return { failed: answered === 'timeout' ? 'the phone was not answered' : `the phone ended the call (${leg.endInfo?.causeText ?? 'no cause'})` };
}
