/**
 * A difference of two means with a 95 % confidence interval, for champion/challenger
 * (issue 13 §5). Welch's unequal-variance standard error with the normal approximation
 * (z = 1.96): fine for the arm sizes a collection portfolio has (hundreds to millions of
 * debtors); below MIN_PER_ARM per arm the report says there is not enough data instead of
 * calling a difference significant.
 */
export const Z95 = 1.959963984540054;
export const MIN_PER_ARM = 30;

/** Running mean and variance (Welford): one pass, no array of values. */
export class Moments {
  n = 0;
  mean = 0;
  private m2 = 0;

  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }

  /** The sample variance (n − 1); 0 with fewer than two values. */
  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : 0;
  }
}

export interface Difference {
  /** b's mean less a's. */
  difference: number;
  /** The 95 % interval; null while an arm has no debtors (there is no interval to give). */
  low: number | null;
  high: number | null;
  /** The interval leaves out 0 and each arm has at least MIN_PER_ARM values. */
  significant: boolean;
  enoughData: boolean;
}

export function welchDifference(a: Pick<Moments, 'n' | 'mean' | 'variance'>, b: Pick<Moments, 'n' | 'mean' | 'variance'>): Difference {
  const difference = b.mean - a.mean;
  const se = a.n && b.n ? Math.sqrt(a.variance / a.n + b.variance / b.n) : NaN;
  const enoughData = a.n >= MIN_PER_ARM && b.n >= MIN_PER_ARM;
  if (!Number.isFinite(se)) return { difference, low: null, high: null, enoughData, significant: false };
  const low = difference - Z95 * se;
  const high = difference + Z95 * se;
  return { difference, low, high, enoughData, significant: enoughData && (low > 0 || high < 0) };
}
