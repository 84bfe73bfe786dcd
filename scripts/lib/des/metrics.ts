/** Abandon-rate windows over a simulated day: the day, the worst sliding window, the worst running rate. */

/** Worst abandoned ÷ live over any window of windowMs (stepped by stepMs), among windows with ≥ minLive live persons. */
export function maxWindowRate(liveAt: number[], abandonAt: number[], windowMs: number, endMs: number, minLive = 30, stepMs = 60_000): number {
  const span = Math.min(windowMs, endMs);
  let worst = 0;
  let l0 = 0;
  let l1 = 0;
  let a0 = 0;
  let a1 = 0;
  for (let end = span; end <= endMs; end += stepMs) {
    const start = end - span;
    while (l1 < liveAt.length && liveAt[l1]! < end) l1++;
    while (l0 < liveAt.length && liveAt[l0]! < start) l0++;
    while (a1 < abandonAt.length && abandonAt[a1]! < end) a1++;
    while (a0 < abandonAt.length && abandonAt[a0]! < start) a0++;
    const live = l1 - l0;
    if (live >= minLive) worst = Math.max(worst, (a1 - a0) / live);
  }
  return worst;
}

/** Worst running rate since the start, once minLive live persons were reached. */
export function maxRunningRate(liveAt: number[], abandonAt: number[], minLive = 100): number {
  const events = [...liveAt.map((t) => ({ t, live: 1 })), ...abandonAt.map((t) => ({ t, live: 0 }))].sort((a, b) => a.t - b.t || a.live - b.live);
  let live = 0;
  let ab = 0;
  let worst = 0;
  for (const e of events) {
    if (e.live) live++;
    else ab++;
    if (live >= minLive) worst = Math.max(worst, ab / live);
  }
  return worst;
}
