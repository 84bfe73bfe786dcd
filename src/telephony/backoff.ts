/**
 * Reconnect delays: exponential backoff with "full jitter" (a uniform draw between the
 * minimum and the capped exponential), so many Bereik instances restarting together do
 * not hammer Asterisk in lockstep.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const lo = Math.max(0, Math.min(minMs, maxMs));
  const hi = Math.max(lo, maxMs);
  const n = Math.max(0, Math.floor(attempt));
  // 2^n grows past hi quickly; cap the exponent so the product stays finite.
  const ceiling = Math.min(hi, lo * 2 ** Math.min(n, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(lo + r * (ceiling - lo));
}
