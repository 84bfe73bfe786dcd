/**
 * Behaviours drawn from a population (share of answers, busies, machines…), repeatable:
 * the draw for a number depends only on the seed, the number and how many times it was
 * called before, not on the order in which concurrent calls happen to arrive.
 */
import type { KeyAction, PhoneBehaviour, Population, PopulationOutcome, Range } from './scenario.ts';

/** mulberry32: small, fast, good enough for simulations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string, for seeding per number. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function pick<K extends string>(weights: Partial<Record<K, number>>, r: number): K | undefined {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [k, w] of entries) {
    if ((x -= w) < 0) return k;
  }
  return entries.at(-1)?.[0];
}

function within(r: () => number, range: Range | undefined, fallback: Range): number {
  const { min, max } = range ?? fallback;
  return Math.round(min + r() * (max - min));
}

const OUTCOME_MAP: Record<PopulationOutcome, PhoneBehaviour['outcome']> = {
  answer: 'answer',
  machine: 'machine',
  busy: 'busy',
  noanswer: 'noanswer',
  unreachable: 'unreachable',
  invalid: 'invalid',
};

/** The behaviour of `number` on its n-th call (0-based) in this population. */
export function drawBehaviour(pop: Population, number: string, nth: number): PhoneBehaviour {
  const r = rng(hash32(`${pop.seed ?? 1}|${number}|${nth}`));
  const outcome = pick(pop.weights, r()) ?? 'answer';
  const b: PhoneBehaviour = { outcome: OUTCOME_MAP[outcome], ringMs: within(r, pop.ringMs, { min: 2000, max: 10000 }) };
  if (outcome === 'busy' || outcome === 'invalid') b.ringMs = Math.min(b.ringMs ?? 0, 500);
  // A voicemail box records for a minute at most, then hangs up.
  if (outcome === 'machine') b.hangup = { afterMs: 60000 };
  if (outcome !== 'answer') return b;
  // A person: answers, presses a key after each of the first prompts (or not), hangs up on long silence.
  const keys: KeyAction[] = [];
  for (let prompt = 1; prompt <= 3; prompt++) {
    const k = pop.keys ? pick(pop.keys, r()) : '1';
    if (k) keys.push({ afterPrompt: prompt, on: 'end', delayMs: within(r, pop.thinkMs, { min: 800, max: 3000 }), keys: k });
  }
  b.keys = keys;
  b.hangup = { idleMs: 10000 };
  if (pop.hangupDuringPrompt && r() < pop.hangupDuringPrompt) b.hangup = { duringPrompt: 1, delayMs: within(r, undefined, { min: 500, max: 3000 }) };
  return b;
}
