/**
 * A virtual phone on one call: plays out its behaviour (keys after prompts, hang-ups)
 * and records what its user heard and did, so tests can assert on what a debtor
 * would notice rather than on which requests were made.
 */
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { AmdStatus, PhoneBehaviour } from './scenario.ts';

export type HeardEnd = 'playing' | 'done' | 'stopped' | 'hangup' | 'failed';

export interface HeardMedia {
  media: string;
  playbackId: string;
  via: 'channel' | 'bridge';
  /** Clock ms after the call started (channel created) when it started playing. */
  startedAtMs: number;
  /** Full length of the media, null for tones that play until stopped. */
  plannedMs: number | null;
  /** How much of it the phone actually heard. */
  playedMs: number;
  /** done: heard to the end; stopped: the app stopped it; hangup: the call ended during it; failed: never played. */
  end: HeardEnd;
}

export interface HeardVoice {
  /** The speaking phone's key (number or endpoint). */
  phone: string;
  /** Clock ms after the call started. */
  startedAtMs: number;
  endedAtMs: number | null;
}

export interface PressedKey {
  digit: string;
  /** Clock ms after answer. */
  atMs: number;
  at: string;
  /** Whether the app was subscribed to hear it (keys during AMD are lost). */
  delivered: boolean;
}

export type CallResult = 'live' | 'answered' | 'busy' | 'noanswer' | 'unreachable' | 'failed' | 'vanished' | 'abandoned';

export interface PhoneCallRecord {
  channelId: string;
  direction: 'outbound' | 'inbound';
  /** The phone's key: the dialled number or endpoint (outbound), the caller's number as sent (inbound). */
  phone: string;
  /** Dial string or channel endpoint. */
  endpoint: string;
  from: string;
  to: string;
  behaviour: PhoneBehaviour;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  result: CallResult;
  /** Final SIP status the phone gave when it did not answer. */
  sipStatus?: number;
  /** AMD's verdict when the call went through AMD. */
  amd: { status: AmdStatus; cause: string } | null;
  heard: HeardMedia[];
  keys: PressedKey[];
  moh: { mohClass: string; startedAtMs: number; endedAtMs: number | null }[];
  /** Other phones it talked to in a mixing bridge (their keys). */
  bridgedWith: string[];
  /**
   * Whose voice reached this phone and when (hearing.ts): bridge mates, a snooped channel's
   * parties through a snoop, a whisperer through a snoop on this phone's own channel.
   */
  voices: HeardVoice[];
  hangupCause: number | null;
  hangupCauseText: string | null;
  hungUpBy: 'phone' | 'app' | 'network' | null;
}

export interface PhoneActions {
  press(digit: string): boolean;
  hangup(cause: number): void;
}

export class PhoneSession {
  private readonly timers = new Set<TimerHandle>();
  private answeredAtMs: number | null = null;
  private prompts = 0;
  private readonly playing = new Map<string, HeardMedia>();
  private mohOn = false;
  private talking = 0;
  private idleTimer: TimerHandle | null = null;
  private over = false;
  actions: PhoneActions | null = null;

  constructor(
    readonly record: PhoneCallRecord,
    readonly behaviour: PhoneBehaviour,
    private readonly clock: Clock,
    private readonly startMs: number,
  ) {}

  get hangupCause(): number {
    return this.behaviour.hangup?.cause ?? 16;
  }

  private later(ms: number, fn: () => void): void {
    if (this.over) return;
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      if (!this.over) fn();
    }, ms);
    this.timers.add(h);
  }

  private sinceStart(): number {
    return this.clock.now() - this.startMs;
  }

  /** Sends keys one by one, gapMs apart. */
  private pressKeys(keys: string, gapMs: number): void {
    const [first, ...rest] = keys;
    if (!first || !this.actions) return;
    const delivered = this.actions.press(first);
    const now = this.clock.now();
    this.record.keys.push({ digit: first, atMs: now - (this.answeredAtMs ?? now), at: new Date(now).toISOString(), delivered });
    if (rest.length) this.later(gapMs, () => this.pressKeys(rest.join(''), gapMs));
  }

  private hangUp(): void {
    this.actions?.hangup(this.hangupCause);
  }

  /** The call is answered (by the phone outbound, by the app inbound): its timeline starts. */
  answered(): void {
    if (this.answeredAtMs !== null) return;
    this.answeredAtMs = this.clock.now();
    this.record.answeredAt = new Date(this.answeredAtMs).toISOString();
    for (const k of this.behaviour.keys ?? []) {
      if (k.atMs !== undefined) this.later(k.atMs + (k.delayMs ?? 0), () => this.pressKeys(k.keys, k.gapMs ?? 250));
    }
    const h = this.behaviour.hangup;
    if (h?.afterMs !== undefined) this.later(h.afterMs, () => this.hangUp());
    this.armIdle();
  }

  promptStarted(playbackId: string, media: string, via: 'channel' | 'bridge', plannedMs: number | null): void {
    const heard: HeardMedia = { media, playbackId, via, startedAtMs: this.sinceStart(), plannedMs, playedMs: 0, end: 'playing' };
    this.record.heard.push(heard);
    this.playing.set(playbackId, heard);
    const n = ++this.prompts;
    for (const k of this.behaviour.keys ?? []) {
      if (k.afterPrompt === n && (k.on ?? 'start') === 'start') this.later(k.delayMs ?? 0, () => this.pressKeys(k.keys, k.gapMs ?? 250));
    }
    const h = this.behaviour.hangup;
    if (h?.duringPrompt === n) this.later(h.delayMs ?? 0, () => this.hangUp());
    this.armIdle();
  }

  /** A playback that failed at once: recorded, not counted as a prompt heard. */
  promptFailed(playbackId: string, media: string, via: 'channel' | 'bridge'): void {
    this.record.heard.push({ media, playbackId, via, startedAtMs: this.sinceStart(), plannedMs: null, playedMs: 0, end: 'failed' });
  }

  promptEnded(playbackId: string, end: Exclude<HeardEnd, 'playing' | 'failed'>): void {
    const heard = this.playing.get(playbackId);
    if (!heard) return;
    this.playing.delete(playbackId);
    heard.end = end;
    heard.playedMs = Math.max(0, Math.min(this.sinceStart() - heard.startedAtMs, heard.plannedMs ?? Infinity));
    if (end === 'done' && heard.plannedMs !== null) heard.playedMs = heard.plannedMs;
    if (end === 'hangup') return;
    const n = this.promptNumber(heard);
    for (const k of this.behaviour.keys ?? []) {
      if (k.afterPrompt === n && k.on === 'end') this.later(k.delayMs ?? 0, () => this.pressKeys(k.keys, k.gapMs ?? 250));
    }
    const h = this.behaviour.hangup;
    if (h?.afterPrompt === n) this.later(h.delayMs ?? 0, () => this.hangUp());
    this.armIdle();
  }

  /** Every media heard is one prompt, an item of a media list too (the debtor hears no seam). */
  private promptNumber(heard: HeardMedia): number {
    let n = 0;
    for (const h of this.record.heard) {
      if (h.end !== 'failed') n++;
      if (h === heard) return n;
    }
    return 0;
  }

  mohChanged(mohClass: string | null): void {
    const now = this.sinceStart();
    const open = this.record.moh.at(-1);
    if (mohClass && (!open || open.endedAtMs !== null)) this.record.moh.push({ mohClass, startedAtMs: now, endedAtMs: null });
    if (!mohClass && open && open.endedAtMs === null) open.endedAtMs = now;
    this.mohOn = mohClass !== null;
    this.armIdle();
  }

  talkingTo(other: string | null): void {
    if (other) {
      this.talking++;
      if (!this.record.bridgedWith.includes(other)) this.record.bridgedWith.push(other);
    } else this.talking = Math.max(0, this.talking - 1);
    this.armIdle();
  }

  /** The set of phones this one hears now (hearing.ts): opens and closes voice intervals. */
  hearing(phones: ReadonlySet<string>): void {
    if (this.over) return;
    const now = this.sinceStart();
    const open = new Map(this.record.voices.filter((v) => v.endedAtMs === null).map((v) => [v.phone, v]));
    for (const [phone, v] of open) if (!phones.has(phone)) v.endedAtMs = now;
    for (const phone of phones) if (!open.has(phone)) this.record.voices.push({ phone, startedAtMs: now, endedAtMs: null });
  }

  /** "Nothing has played for idleMs": a person who hears silence hangs up. */
  private armIdle(): void {
    const idleMs = this.behaviour.hangup?.idleMs;
    if (idleMs === undefined || this.answeredAtMs === null) return;
    if (this.idleTimer) {
      this.idleTimer.cancel();
      this.timers.delete(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.playing.size > 0 || this.mohOn || this.talking > 0 || this.over) return;
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      if (!this.over) this.hangUp();
    }, idleMs);
    this.idleTimer = h;
    this.timers.add(h);
  }

  /** The call is over: cut what was playing, stop all timers, close the record. */
  ended(result: CallResult, cause: number, causeText: string, by: PhoneCallRecord['hungUpBy']): void {
    if (this.over) return;
    for (const id of [...this.playing.keys()]) this.promptEnded(id, 'hangup');
    this.over = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    const openMoh = this.record.moh.at(-1);
    if (openMoh && openMoh.endedAtMs === null) openMoh.endedAtMs = this.sinceStart();
    for (const v of this.record.voices) if (v.endedAtMs === null) v.endedAtMs = this.sinceStart();
    this.record.endedAt = new Date(this.clock.now()).toISOString();
    this.record.result = result;
    this.record.hangupCause = cause;
    this.record.hangupCauseText = causeText;
    this.record.hungUpBy = by;
  }

  /** Cancels timers without closing the record (simulator shutdown). */
  dispose(): void {
    this.over = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  get isOver(): boolean {
    return this.over;
  }
}
