/** Seeded randomness for the simulator: the same seed gives the same day, call for call. */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Lognormal with the given mean and shape sigma (of the underlying normal). */
  lognormal(mean: number, sigma: number): number;
}

/** mulberry32: tiny, fast, good enough for simulation (not for secrets). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // Box–Muller; 1 - next() keeps log away from 0.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    exponential: (mean) => -mean * Math.log(1 - next()),
    lognormal: (mean, sigma) => Math.exp(Math.log(mean) - (sigma * sigma) / 2 + sigma * normal()),
  };
}
