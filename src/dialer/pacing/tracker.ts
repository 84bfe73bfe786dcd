/**
 * Turns what happened to calls into the measured half of PacerStats. Recent behaviour
 * counts most: the answer rate decays with a half-life of a few minutes so the pacer
 * follows an answer-rate collapse (or surge) within minutes; talk and wrap times move
 * slower. Until enough is measured, conservative priors fill in. The 24 h abandon
 * counts are exact sliding-window counts (Ofcom's "any 24 hours").
 */
import type { PacerStats } from './pacer.ts';

export interface TrackerOptions {
  /** Half-life of the answer-rate estimate. */
  answerHalfLifeMs?: number;
  /** Half-life of the time estimates (dial→live, talk, wrap). */
  timeHalfLifeMs?: number;
}

/** Exponentially decayed sum: recent events weigh 1, older ones less. */
class Decayed {
  private sum = 0;
  private at = 0;
  constructor(private readonly tauMs: number) {}
  add(t: number, v: number): void {
    this.sum = this.value(t) + v;
    this.at = Math.max(this.at, t);
  }
  value(t: number): number {
    return t > this.at ? this.sum * Math.exp(-(t - this.at) / this.tauMs) : this.sum;
  }
}

/** A decayed mean with a prior worth `priorWeight` observations. */
class DecayedMean {
  private readonly total: Decayed;
  private readonly count: Decayed;
  constructor(
    tauMs: number,
    private readonly prior: number,
    private readonly priorWeight: number,
  ) {
    this.total = new Decayed(tauMs);
    this.count = new Decayed(tauMs);
  }
  add(t: number, v: number): void {
    this.total.add(t, v);
    this.count.add(t, 1);
  }
  mean(t: number): number {
    return (this.total.value(t) + this.prior * this.priorWeight) / (this.count.value(t) + this.priorWeight);
  }
}

const DAY = 24 * 3600_000;

/**
 * Priors, chosen on the safe side for predictive dialling: a short dial→live time and
 * a long talk time both make fewer agents look "free soon".
 */
export const PRIORS = { dialToLiveMs: 10_000, talkMs: 240_000, wrapMs: 45_000 } as const;

export class PacingTracker {
  private readonly live: Decayed;
  private readonly finished: Decayed;
  private readonly dialToLive: DecayedMean;
  private readonly talk: DecayedMean;
  private readonly wrap: DecayedMean;
  private liveTotal = 0;
  private liveTimes: number[] = [];
  private abandonTimes: number[] = [];

  constructor(opts: TrackerOptions = {}) {
    const ln2 = Math.LN2;
    const aTau = (opts.answerHalfLifeMs ?? 3 * 60_000) / ln2;
    const tTau = (opts.timeHalfLifeMs ?? 15 * 60_000) / ln2;
    this.live = new Decayed(aTau);
    this.finished = new Decayed(aTau);
    this.dialToLive = new DecayedMean(tTau, PRIORS.dialToLiveMs, 5);
    this.talk = new DecayedMean(tTau, PRIORS.talkMs, 5);
    this.wrap = new DecayedMean(tTau, PRIORS.wrapMs, 5);
  }

  /** An attempt's first outcome is known: a live person (with dial→ready time), or not. */
  attemptFinished(t: number, livePerson: boolean, dialToLiveMs?: number): void {
    this.finished.add(t, 1);
    if (livePerson) {
      this.live.add(t, 1);
      this.liveTotal++;
      this.liveTimes.push(t);
      if (dialToLiveMs !== undefined) this.dialToLive.add(t, dialToLiveMs);
    }
  }

  /** A live answer from before this tracker existed (read back from the store after a restart). */
  earlierLiveAnswer(t: number, abandoned: boolean): void {
    this.attemptFinished(t, true);
    if (abandoned) this.abandoned(t);
  }

  /** A live person was abandoned (no agent within 2 s, or hung up during AMD). */
  abandoned(t: number): void {
    this.abandonTimes.push(t);
  }

  talkEnded(t: number, talkMs: number): void {
    this.talk.add(t, talkMs);
  }

  wrapEnded(t: number, wrapMs: number): void {
    this.wrap.add(t, wrapMs);
  }

  private prune(t: number): void {
    const from = t - DAY;
    while (this.liveTimes.length && this.liveTimes[0]! <= from) this.liveTimes.shift();
    while (this.abandonTimes.length && this.abandonTimes[0]! <= from) this.abandonTimes.shift();
  }

  /** The measured fields of PacerStats at time t. */
  measured(t: number): Pick<
    PacerStats,
    'answerRate' | 'answerSamples' | 'liveAnswersObserved' | 'meanDialToLiveMs' | 'meanTalkMs' | 'meanWrapMs' | 'liveAnswered24h' | 'abandoned24h'
  > {
    this.prune(t);
    const n = this.finished.value(t);
    return {
      answerRate: n > 0 ? this.live.value(t) / n : 0,
      answerSamples: n,
      liveAnswersObserved: this.liveTotal,
      meanDialToLiveMs: this.dialToLive.mean(t),
      meanTalkMs: this.talk.mean(t),
      meanWrapMs: this.wrap.mean(t),
      liveAnswered24h: this.liveTimes.length,
      abandoned24h: this.abandonTimes.length,
    };
  }
}
