/**
 * Helpers for test/sim/trace-replay.test.ts: read a recorded ARI trace, reduce events to
 * the fields Bereik reads, and compare two event sequences by order (not by time).
 */
import { readFileSync } from 'node:fs';

export type TraceLine =
  | { t: number; dir: 'rest-req'; method: string; path: string; query?: Record<string, string>; body?: Record<string, unknown> }
  | { t: number; dir: 'rest-res'; method: string; path: string; status: number; body: any }
  | { t: number; dir: 'event'; event: AriEventJson }
  | { t: number; dir: 'ws'; what: 'open' | 'close' }
  | { t: number; dir: 'note'; note: string };

export interface AriEventJson {
  type: string;
  [k: string]: any;
}

export function readTrace(file: string): TraceLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TraceLine);
}

/** Events Bereik does not act on: channel variables being set, connected-line updates. */
export const NOISE = new Set(['ChannelVarset', 'ChannelConnectedLine']);

/** Gives ids stable names by order of first appearance (c1, c2 / p1 / b1), so two runs compare. */
export class Labels {
  private readonly names = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  name(kind: 'c' | 'p' | 'b', id: string): string {
    const key = `${kind}:${id}`;
    let n = this.names.get(key);
    if (!n) {
      const i = (this.counts.get(kind) ?? 0) + 1;
      this.counts.set(kind, i);
      n = `${kind}${i}`;
      this.names.set(key, n);
    }
    return n;
  }
  /** A Stasis arg that is a known channel id becomes its label. */
  arg(a: string): string {
    return this.names.get(`c:${a}`) ?? a;
  }
}

/** One line per event with what Bereik reads: types, states, causes, dial status, args, digits, playback state, bridge technology. */
export function canon(e: AriEventJson, l: Labels): string {
  const parts = [e.type];
  const ch = e.channel ?? e.peer;
  // A Dial event's peer state races with ChannelStateChange (Ringing or Down); Bereik reads dialstatus.
  if (ch) parts.push(`ch=${l.name('c', ch.id)}`, ...(e.type === 'Dial' ? [] : [`state=${ch.state}`]));
  if ('dialstatus' in e) parts.push(`dial=${e.dialstatus}`);
  if ('cause' in e) parts.push(`cause=${e.cause}`);
  if ('cause_txt' in e) parts.push(`txt=${e.cause_txt}`);
  if (Array.isArray(e.args)) parts.push(`args=${e.args.map((a: string) => l.arg(a)).join(',')}`);
  if ('digit' in e) parts.push(`digit=${e.digit}`, `dur=${e.duration_ms}`);
  if (e.playback) {
    const [kind, id] = String(e.playback.target_uri).split(':');
    parts.push(`pb=${l.name('p', e.playback.id)}`, `pbstate=${e.playback.state}`, `on=${kind}:${l.name(kind === 'bridge' ? 'b' : 'c', id ?? '')}`);
  }
  if (e.bridge) parts.push(`br=${l.name('b', e.bridge.id)}`, `tech=${e.bridge.technology}`, `type=${e.bridge.bridge_type}`, `n=${e.bridge.channels.length}`);
  return parts.join(' ');
}

/**
 * Splits the trace's events into bursts (events less than 3 ms apart) and cuts the
 * simulator's sequence into pieces of the same sizes. Inside a burst, a run of
 * consecutive call-setup events (Dial, ChannelStateChange, and the HangupRequest that a
 * far-end SIP failure causes) is compared as a set: Asterisk emitted them in different
 * orders in the recordings (01: Dial, Dial, StateChange; 02b: StateChange, Dial, Dial;
 * 04: Dial, StateChange, Dial; 10-503: HangupRequest before the first Dial, 10-404 after
 * it), so their order is a race.
 */
export function isSetupRace(e: AriEventJson): boolean {
  return e.type === 'Dial' || e.type === 'ChannelStateChange' || (e.type === 'ChannelHangupRequest' && 'tech_cause' in e);
}

export function compareSequences(trace: { t: number; line: string; racy: boolean }[], sim: { line: string; racy: boolean }[]): string[] {
  const diffs: string[] = [];
  let i = 0;
  while (i < trace.length) {
    let j = i + 1;
    while (j < trace.length && trace[j]!.t - trace[j - 1]!.t < 3) j++;
    const a = normaliseBurst(trace.slice(i, j));
    const b = normaliseBurst(sim.slice(i, j));
    for (let k = 0; k < a.length; k++) {
      if (a[k] !== b[k]) diffs.push(`event #${i + k + 1}: trace «${a[k]}» — simulator «${b[k] ?? '(nothing)'}»`);
    }
    i = j;
  }
  for (let k = trace.length; k < sim.length; k++) diffs.push(`event #${k + 1}: trace (nothing) — simulator «${sim[k]!.line}»`);
  return diffs;
}

function normaliseBurst(items: { line: string; racy: boolean }[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const it of items) {
    if (it.racy) run.push(it.line);
    else {
      flush();
      out.push(it.line);
    }
  }
  flush();
  return out;
}
