/**
 * One live channel. Knows its state from ARI events, owns its playbacks, DTMF buffer
 * and timers, and ends exactly once:
 * - a channel we originated with app+appArgs ends on ChannelDestroyed (it carries the
 *   real cause; StasisEnd comes first and is only a step);
 * - a channel that entered Stasis from the dialplan (inbound, or originated through
 *   bereik-outbound) gets no ChannelDestroyed after StasisEnd (traces 03, 05), so
 *   StasisEnd ends it, with the cause of the ChannelHangupRequest before it;
 * - a dialplan-routed originate that never reaches Stasis sends nothing at all (trace 05,
 *   busy or AMD hang-up): we poll the channel until it is in the app or gone.
 */
import { EventEmitter } from 'node:events';
import type { TimerHandle } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import { narrowChannel, type AriChannel, type AriEvent } from './ari-events.ts';
import { ariStatus } from './ari-rest.ts';
import { playOn, type AriPlaybackHandle, type PlaybackTarget } from './ari-playback.ts';
import { q850Text, GONE_TEXT, NEVER_REACHED_APP_TEXT } from './causes.ts';
import type { AriContext } from './context.ts';
import { DigitBuffer } from './dtmf.ts';
import type { Call, CallEvents, ChannelState, CollectOptions, CollectResult, HangupInfo, HangupReason, Playback } from './types.ts';
import { parseStasisEntry, type StasisEntry } from './stasis-entry.ts';
import { handlerErrors } from '../lib/handler-errors.ts';

/** How the channel came to us; decides which event ends it. */
export type CallOrigin = 'originate-app' | 'originate-dialplan' | 'inbound' | 'attached';

/** After StasisEnd of an app-originated channel, how long to wait for ChannelDestroyed. */
const DESTROYED_GRACE_MS = 2000;
/** How often a dialplan-routed originate is checked while it has not reached Stasis. */
export const DIALPLAN_POLL_MS = 2000;

export class AriCall extends EventEmitter<CallEvents> implements Call, PlaybackTarget {
  private _state: ChannelState = 'Down';
  private _callerNumber = '';
  private _callerName = '';
  private _exten = '';
  private _entry: StasisEntry | null = null;
  private _inStasis = false;
  private _endInfo: HangupInfo | undefined;
  private _hangupRequested = false;
  private requestCause: number | undefined;
  private dialStatus: string | undefined;
  private answeredOnce = false;
  private ringingOnce = false;
  private byApp = false;
  /** The hang-up asked of Asterisk, while its end events are on their way. */
  private hangingUp: Promise<void> | undefined;
  /** Polling until Stasis (dialplan-routed, or attached before it reached the app). */
  private watching = false;
  private pollEveryMs = DIALPLAN_POLL_MS;
  /** The app is subscribed to this channel while it is in the dialplan. */
  private subscribed = false;
  private readonly timers = new Set<TimerHandle>();
  private readonly playbacksOfCall = new Set<AriPlaybackHandle>();
  private readonly digits: DigitBuffer;
  private readonly endedPromise: Promise<HangupInfo>;
  private resolveEnded!: (info: HangupInfo) => void;
  private readonly stasisWaiters: ((entry: StasisEntry | null) => void)[] = [];

  constructor(
    private readonly ctx: AriContext,
    readonly id: string,
    readonly origin: CallOrigin,
    private readonly onEnd: (call: AriCall) => void,
  ) {
    super();
    this.digits = new DigitBuffer(ctx.clock, (err) => ctx.log.warn({ err, channel: id }, 'barge-in stop failed'));
    this.endedPromise = new Promise((r) => (this.resolveEnded = r));
    // A session, the dialer and the agent desk may all follow one call.
    this.setMaxListeners(50);
  }

  get state(): ChannelState { return this._state; }
  get callerNumber(): string { return this._callerNumber; }
  get callerName(): string { return this._callerName; }
  get exten(): string { return this._exten; }
  get entry(): StasisEntry | null { return this._entry; }
  get inStasis(): boolean { return this._inStasis; }
  get ended(): boolean { return this._endInfo !== undefined; }
  get endInfo(): HangupInfo | undefined { return this._endInfo; }
  get hangupRequested(): boolean { return this._hangupRequested; }
  get restPath(): string { return `/channels/${encodeURIComponent(this.id)}`; }
  get pendingDigits(): string { return this.digits.pending; }

  /** Takes what a channel snapshot says (originate answer, GET /channels, any event). */
  applySnapshot(ch: AriChannel): void {
    this._state = ch.state;
    this._callerNumber = ch.caller.number;
    this._callerName = ch.caller.name;
    if (this.origin !== 'originate-app' || ch.dialplan.app_name === 'Stasis') this._exten = ch.dialplan.exten;
    if (ch.state === 'Up') this.markAnswered();
  }

  /** For attach(): a snapshot that shows the channel inside Stasis(app,…) gives its entry. */
  adoptStasisFromSnapshot(ch: AriChannel): void {
    if (this._inStasis || ch.dialplan.app_name !== 'Stasis') return;
    const parts = (ch.dialplan.app_data ?? '').split(',');
    if (parts[0] !== this.ctx.app) return;
    this.enterStasis(parts.slice(1));
  }

  whenEnded(): Promise<HangupInfo> {
    return this.endedPromise;
  }

  whenInStasis(): Promise<StasisEntry | null> {
    if (this._inStasis) return Promise.resolve(this._entry);
    if (this.ended) return Promise.resolve(null);
    return new Promise((r) => this.stasisWaiters.push(r));
  }

  handle(e: AriEvent): void {
    if (this.ended) return;
    switch (e.type) {
      case 'StasisStart':
        this.applySnapshot(e.channel);
        this.enterStasis(e.args);
        return;
      case 'ChannelStateChange':
        this.applySnapshot(e.channel);
        if (e.channel.state === 'Ringing') this.markRinging();
        return;
      case 'Dial':
        if (e.dialstatus === 'RINGING') this.markRinging();
        if (e.dialstatus && e.dialstatus !== 'RINGING' && e.dialstatus !== 'PROGRESS') this.dialStatus = e.dialstatus;
        return;
      case 'ChannelDtmfReceived':
        // Keys during AMD (seen through the subscription) were not meant for a menu.
        if (!this._inStasis) return;
        this.emit('dtmf', e.digit, e.duration_ms);
        this.digits.push(e.digit);
        return;
      case 'ChannelHangupRequest':
        this._hangupRequested = true;
        if (e.cause !== undefined && this.requestCause === undefined) this.requestCause = e.cause;
        return;
      case 'StasisEnd':
        this._inStasis = false;
        if (this.origin === 'originate-app') {
          // ChannelDestroyed follows within a millisecond and carries the real cause.
          this.timer(DESTROYED_GRACE_MS, () => this.endFromRequest());
        } else {
          this.endFromRequest();
        }
        return;
      case 'ChannelDestroyed':
        this.end({ cause: e.cause, causeText: e.cause_txt || q850Text(e.cause) });
        return;
      default:
        return;
    }
  }

  /** Ends the call because the channel is known to be gone (reconcile, 404, dialplan poll). */
  endGone(cause: number, causeText: string): void {
    this.end({ cause, causeText });
  }

  /** Asterisk answered 404 "Channel not found": its end events were lost (or are in flight). */
  targetGone(): void {
    if (this.byApp) return this.endFromRequest();
    this.end({ cause: this.requestCause ?? 0, causeText: GONE_TEXT });
  }

  /**
   * A channel in the dialplan (AMD) is not the app's until Stasis(): subscribe the app to
   * it so its Dial, hang-up and ChannelDestroyed (real causes: busy, no answer) arrive.
   * Where Asterisk refuses the subscription, poll until it reaches Stasis or is gone.
   */
  async followUntilInStasis(): Promise<void> {
    if (this.ended || this._inStasis) return;
    try {
      await this.ctx.rest.request('POST', `/applications/${encodeURIComponent(this.ctx.app)}/subscription`, { eventSource: `channel:${this.id}` });
      this.subscribed = true;
    } catch (err) {
      this.ctx.log.debug({ err, channel: this.id }, 'channel subscription refused; polling instead');
    }
    // Even subscribed, a slow poll catches a channel destroyed before the subscription took.
    this.watchUntilInStasis(this.subscribed ? DIALPLAN_POLL_MS * 5 : DIALPLAN_POLL_MS);
  }

  /** Watch it by polling until it reaches Stasis or disappears. */
  watchUntilInStasis(everyMs = DIALPLAN_POLL_MS): void {
    this.pollEveryMs = everyMs;
    this.watching = true;
    this.timer(everyMs, () => this.pollOnce());
  }

  /** The client stopped: no polling behind its back. Flow timers (key collection) stay. */
  suspend(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  /** The client is connected again and reconciled: pick up the watch where it was. */
  resume(): void {
    if (this.watching && !this.ended && !this._inStasis && this.timers.size === 0) this.watchUntilInStasis(this.pollEveryMs);
  }

  private async pollOnce(): Promise<void> {
    if (this.ended || this._inStasis) return;
    try {
      const ch = narrowChannel(await this.ctx.rest.request<unknown>('GET', this.restPath));
      if (this.ended) return;
      if (ch) {
        this.applySnapshot(ch);
        // A StasisStart lost with a dropped socket still shows in the channel's dialplan.
        this.adoptStasisFromSnapshot(ch);
      }
      if (!this._inStasis) this.timer(this.pollEveryMs, () => this.pollOnce());
    } catch (err) {
      if (ariStatus(err) === 404) this.end({ cause: this.requestCause ?? 0, causeText: NEVER_REACHED_APP_TEXT });
      else if (!this.ended) this.timer(this.pollEveryMs, () => this.pollOnce());
    }
  }

  // ---- commands -------------------------------------------------------------------

  async answer(): Promise<void> {
    await this.command('POST', '/answer');
  }

  async ring(): Promise<void> {
    await this.command('POST', '/ring');
  }

  /**
   * Plays media. On a channel that is already gone this does not throw: the Playback
   * comes back with `finished` resolved to 'hangup' (the flow's hang-up path), which is
   * what the caller would have seen had the hang-up come a moment later.
   */
  play(media: string | string[], opts: { lang?: string } = {}): Promise<Playback> {
    return playOn(this.ctx, this, this.ended, this.playbacksOfCall, media, opts.lang);
  }

  clearDigits(): void {
    this.digits.clear();
  }

  collectDigits(opts: CollectOptions): Promise<CollectResult> {
    return this.digits.collect(opts);
  }

  async startMoh(mohClass = 'default'): Promise<void> {
    await this.command('POST', '/moh', { mohClass });
  }

  /** Stopping music on a channel that is gone is fine. */
  async stopMoh(): Promise<void> {
    if (this.ended) return;
    await this.ctx.rest.requestUnlessGone('DELETE', `${this.restPath}/moh`);
  }

  async getVar(name: string): Promise<string | undefined> {
    try {
      const r = await this.ctx.rest.request<{ value?: string }>('GET', `${this.restPath}/variable`, { variable: name });
      return r?.value;
    } catch (err) {
      // 404 means either the channel is gone or the variable is not set.
      if (ariStatus(err) === 404 && !isChannelNotFound(err)) return undefined;
      throw this.mapGone(err);
    }
  }

  async setVar(name: string, value: string): Promise<void> {
    await this.command('POST', '/variable', { variable: name, value });
  }

  hangup(reason: HangupReason = 'normal'): Promise<void> {
    if (this.ended) return Promise.resolve();
    // Asterisk hangs the channel up once it accepted a DELETE; its end events follow. A
    // second hang-up before they arrive (the flow's, then the session's) waits for the
    // first instead of asking again. A DELETE that failed may be asked again.
    this.hangingUp ??= this.requestHangup(reason).catch((err: unknown) => {
      this.hangingUp = undefined;
      throw err;
    });
    return this.hangingUp;
  }

  private async requestHangup(reason: HangupReason): Promise<void> {
    this.byApp = true;
    const ok = await this.ctx.rest.requestUnlessGone('DELETE', this.restPath, { reason });
    // Gone already (its events were lost): end it here so nobody waits forever.
    if (!ok) this.targetGone();
  }

  // ---- internals ------------------------------------------------------------------

  private async command(method: 'POST' | 'DELETE', sub: string, query?: Record<string, string>): Promise<void> {
    if (this.ended) throw goneError(this.id);
    try {
      await this.ctx.rest.request(method, this.restPath + sub, query);
    } catch (err) {
      throw this.mapGone(err);
    }
  }

  private mapGone(err: unknown): unknown {
    if (ariStatus(err) === 404 && isChannelNotFound(err)) {
      this.targetGone();
      return goneError(this.id, err);
    }
    return err;
  }

  private enterStasis(args: readonly string[]): void {
    const entry = parseStasisEntry(args);
    this._inStasis = true;
    this._entry = entry;
    this.emit('stasisStart', entry);
    for (const w of this.stasisWaiters.splice(0)) w(entry);
  }

  private markRinging(): void {
    if (this.ringingOnce || this.answeredOnce) return;
    this.ringingOnce = true;
    this.emit('ringing');
  }

  private markAnswered(): void {
    if (this.answeredOnce) return;
    this.answeredOnce = true;
    this.emit('answered');
  }

  private endFromRequest(): void {
    // When we asked, Asterisk reports 32 on the request and 16 on the channel: use 16.
    const cause = this.byApp ? 16 : (this.requestCause ?? 16);
    this.end({ cause, causeText: q850Text(cause) });
  }

  private end(partial: { cause: number; causeText: string }): void {
    if (this.ended) return;
    const info: HangupInfo = {
      cause: partial.cause,
      causeText: partial.causeText,
      ...(this.dialStatus && this.dialStatus !== 'ANSWER' ? { dialStatus: this.dialStatus } : {}),
      answered: this.answeredOnce,
      byApp: this.byApp,
    };
    this._endInfo = info;
    this._inStasis = false;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const pb of this.playbacksOfCall) pb.end('hangup');
    this.digits.close();
    for (const w of this.stasisWaiters.splice(0)) w(null);
    this.onEnd(this);
    this.resolveEnded(info);
    this.emit('ended', info);
  }

  private timer(ms: number, fn: () => void | Promise<void>): void {
    const h = this.ctx.clock.setTimeout(() => {
      this.timers.delete(h);
      const report = (err: unknown) => handlerErrors.report(this.ctx.log, 'timer', err, { timer: 'channel', channel: this.id });
      try {
        void Promise.resolve(fn()).catch(report);
      } catch (err) {
        report(err);
      }
    }, ms);
    this.timers.add(h);
  }
}

function isChannelNotFound(err: unknown): boolean {
  const d = (err as BereikError).details as { ariMessage?: string } | undefined;
  return /channel not found/i.test(d?.ariMessage ?? '');
}

function goneError(id: string, cause?: unknown): BereikError {
  return new BereikError('ARI_CHANNEL_GONE', `Channel ${id} no longer exists in Asterisk`, { channelId: id, cause: cause instanceof Error ? cause.message : undefined }, 404);
}
