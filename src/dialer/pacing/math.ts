/** Small numeric helpers for the pacer: normal tail expectations and a Wilson bound. */

/** Standard normal density. */
export function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; |error| < 1.5e-7). */
export function Phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** E[max(0, D)] for D ~ Normal(mean, sd²); the expected excess of answers over free agents. */
export function expectedPositivePart(mean: number, sd: number): number {
  if (sd <= 1e-9) return Math.max(0, mean);
  const z = mean / sd;
  return sd * phi(z) + mean * Phi(z);
}

/**
 * Upper end of the Wilson score interval for a proportion: the answer rate we plan
 * with. Planning with a rate that is too HIGH makes the pacer dial too few calls (idle
 * agents, safe); too LOW makes it dial too many (abandoned calls, unsafe). So the safe
 * side of an uncertain answer rate is its upper bound.
 */
export function wilsonUpper(p: number, n: number, z: number): number {
  if (n <= 0) return 1;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.min(1, (centre + margin) / (1 + z2 / n));
}
