/**
 * The ARI client: owns the REST half, the events socket, and every handle. Routes each
 * event to the call, bridge or playback it is about; a StasisStart for a channel nobody
 * owns is an inbound call. Reconciliation (on every connect) and the orphan sweep live
 * in reconcile.ts.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../lib/clock.ts';
import { isoUtc } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { AriBridgeHandle } from './ari-bridge.ts';
import { AriCall, DIALPLAN_POLL_MS, type CallOrigin } from './ari-call.ts';
import { HANDLED_EVENT_TYPES, narrowChannel, type AriEvent } from './ari-events.ts';
import { AriRest, ariStatus } from './ari-rest.ts';
import { ariPjsipConfig, ariRtpStatistics, type PjsipConfig, type RtpStatistics } from './ari-config.ts';
import { AriEventSocket } from './ari-socket.ts';
import type { AriContext, TrackedPlayback } from './context.ts';
import { EndpointSubscriptions, endpointOfDialString } from './endpoint-subscriptions.ts';
import { Reconciler } from './reconcile.ts';
import { parseStasisEntry } from './stasis-entry.ts';
import type {
  BridgeType, Call, ChannelInfo, SnoopOptions, HealthState, OriginateOptions, ReconcileReport, Telephony, TelephonyEvents, TelephonyHealth,
} from './types.ts';

export interface AriTelephonyOptions {
  /** HTTP base of Asterisk (http://127.0.0.1:8088) or of the simulator; ARI is under /ari. */
  url: string;
  user: string;
  password: string;
  app: string;
  clock: Clock;
  log: Logger;
  /** True when talking to the built-in simulated Asterisk (shown on /healthz). */
  simulated?: boolean;
  requestTimeoutMs?: number;
  /** REST connections open at once (default 50): below Asterisk's sessionlimit. */
  maxConnections?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Period of the orphan sweep in clock ms; 0 turns it off. */
  sweepIntervalMs?: number;
  pingIntervalMs?: number;
  /** Source of randomness for reconnect jitter (tests). */
  random?: () => number;
}

export class AriTelephony extends EventEmitter<TelephonyEvents> implements Telephony {
  readonly simulated: boolean;
  readonly rest: AriRest;
  readonly pjsip: PjsipConfig;
  private readonly ctx: AriContext;
  private readonly socket: AriEventSocket;
  /** @internal for reconcile.ts */
  readonly calls = new Map<string, AriCall>();
  /** @internal for reconcile.ts */
  readonly bridges = new Map<string, AriBridgeHandle>();
  /** Handles whose channel or bridge Asterisk may not list yet (request in flight). */
  readonly pending = new Set<string>();
  private readonly reconciler: Reconciler;
  private readonly endpoints: EndpointSubscriptions;
  private _health: TelephonyHealth;
  private firstReconcile: Promise<void> | undefined;
  /** True until the first open after start(): that open's reconcile is awaited by start(). */
  private starting = false;

  constructor(private readonly opts: AriTelephonyOptions) {
    super();
    this.simulated = opts.simulated ?? false;
    this.rest = new AriRest({
      url: opts.url,
      user: opts.user,
      password: opts.password,
      requestTimeoutMs: opts.requestTimeoutMs ?? 5000,
      maxConnections: opts.maxConnections ?? 50,
      onRetry: (r) => opts.log.debug(r, 'ARI request sent again: the first attempt never reached Asterisk'),
    });
    this.pjsip = ariPjsipConfig(this.rest);
    const playbacks = new Map<string, TrackedPlayback>();
    this.ctx = { rest: this.rest, clock: opts.clock, log: opts.log, app: opts.app, playbacks, recordings: new Map() };
    this.socket = new AriEventSocket({
      base: this.rest.base,
      authorization: this.rest.authorization,
      app: opts.app,
      clock: opts.clock,
      log: opts.log,
      reconnectMinMs: opts.reconnectMinMs ?? 250,
      reconnectMaxMs: opts.reconnectMaxMs ?? 15000,
      pingIntervalMs: opts.pingIntervalMs,
      random: opts.random,
    });
    this.reconciler = new Reconciler(this, this.ctx, opts.sweepIntervalMs ?? 60000);
    this._health = { state: 'stopped', since: isoUtc(opts.clock.now()), simulated: this.simulated, url: this.rest.base, reconnects: 0 };
    this.socket.on('event', (e) => this.route(e));
    this.socket.on('state', (s, err) => this.setHealth(s, err));
    this.endpoints = new EndpointSubscriptions(this.ctx);
    this.socket.on('open', (reconnect) => {
      void this.filterEvents();
      // An Asterisk that restarted forgot the app's endpoint subscriptions.
      if (reconnect) void this.endpoints.renew();
      const done = this.reconcile(reconnect).then(
        () => undefined,
        (err) => opts.log.warn({ err }, 'reconcile after connect failed'),
      );
      if (this.starting) this.firstReconcile = done;
    });
  }

  get app(): string { return this.opts.app; }
  get context(): AriContext { return this.ctx; }

  health(): TelephonyHealth {
    // lastError changes on every failed attempt, not only on state changes.
    const lastError = this.socket.lastError ?? this._health.lastError;
    return { ...this._health, ...(lastError ? { lastError } : {}) };
  }

  async start(): Promise<void> {
    this.firstReconcile = undefined;
    this.starting = true;
    try {
      await this.socket.start();
    } finally {
      this.starting = false;
    }
    await this.firstReconcile;
    for (const call of this.calls.values()) call.resume();
    this.reconciler.startSweep();
  }

  /** Disconnects and goes quiet. Calls live on in Asterisk; start() again, or a new client, picks them up. */
  async stop(): Promise<void> {
    this.reconciler.stop();
    this.socket.stop();
    for (const call of this.calls.values()) call.suspend();
    this.rest.closeIdle();
  }

  /** Lists channels and bridges and settles every handle with what Asterisk says now. */
  async reconcile(reconnect: boolean, fromSweep = false): Promise<ReconcileReport> {
    const report = await this.reconciler.reconcile(reconnect, fromSweep);
    this.emit('reconciled', report);
    return report;
  }

  /** Runs one orphan sweep now (the timer does this every sweepIntervalMs). */
  sweep(): Promise<{ hungUp: string[]; destroyedBridges: string[] }> {
    return this.reconciler.sweep();
  }

  async originate(o: OriginateOptions): Promise<Call> {
    const id = o.channelId ?? randomUUID();
    // A dialplan-routed call is heard from its creation through its endpoint, if Asterisk lets us.
    const endpoint = o.route.kind === 'dialplan' ? endpointOfDialString(o.endpoint) : undefined;
    const heardFromCreation = endpoint ? await this.endpoints.ensure(endpoint) : false;
    const call = this.newCall(id, o.route.kind === 'app' ? 'originate-app' : 'originate-dialplan');
    const routeQuery =
      o.route.kind === 'app'
        ? { app: this.opts.app, appArgs: o.route.args.join(',') }
        : { context: o.route.context, extension: o.route.extension ?? 's', priority: o.route.priority ?? 1 };
    this.pending.add(id);
    try {
      const body = await this.rest.request<unknown>(
        'POST',
        '/channels',
        { endpoint: o.endpoint, ...routeQuery, callerId: o.callerId, timeout: o.timeoutSec, channelId: id },
        o.variables && Object.keys(o.variables).length > 0 ? { variables: o.variables } : undefined,
      );
      const snap = narrowChannel(body);
      // Events may have overtaken the answer (trace 04): only fill in what they did not.
      if (snap && call.state === 'Down' && !call.ended) call.applySnapshot(snap);
    } catch (err) {
      this.calls.delete(id);
      throw err;
    } finally {
      this.pending.delete(id);
    }
    if (o.route.kind === 'dialplan') {
      // Heard from creation, a slow poll only guards against a socket drop nobody noticed.
      if (heardFromCreation) {
        if (!call.ended && !call.inStasis) call.watchUntilInStasis(DIALPLAN_POLL_MS * 5);
      }
      else await call.followUntilInStasis();
    }
    return call;
  }

  async createBridge(type: BridgeType, opts: { name?: string } = {}): Promise<AriBridgeHandle> {
    const id = randomUUID();
    const name = opts.name ?? `bereik-${type}`;
    const bridge = new AriBridgeHandle(this.ctx, id, type, name, (b) => this.bridges.delete(b.id));
    this.bridges.set(id, bridge);
    this.pending.add(id);
    try {
      await this.rest.request('POST', '/bridges', { type, bridgeId: id, name });
    } catch (err) {
      this.bridges.delete(id);
      throw err;
    } finally {
      this.pending.delete(id);
    }
    return bridge;
  }

  rtpStatistics(channelId: string): Promise<RtpStatistics | undefined> {
    return ariRtpStatistics(this.rest, channelId);
  }

  getCall(channelId: string): Call | undefined {
    return this.calls.get(channelId);
  }

  async listChannels(): Promise<ChannelInfo[]> {
    const list = await this.rest.request<unknown[]>('GET', '/channels');
    return (Array.isArray(list) ? list : []).flatMap((raw) => {
      const ch = narrowChannel(raw);
      return ch ? [{ id: ch.id, state: ch.state, callerNumber: ch.caller.number, exten: ch.dialplan.exten, createdAt: ch.creationtime }] : [];
    });
  }

  /**
   * Takes ownership of a channel that is already in Asterisk (after a restart). The
   * handle is registered before asking, so no event between the answer and now is lost.
   */
  async attach(channelId: string): Promise<Call | undefined> {
    const existing = this.calls.get(channelId);
    if (existing) return existing;
    const call = this.newCall(channelId, 'attached');
    this.pending.add(channelId);
    try {
      const snap = narrowChannel(await this.rest.request<unknown>('GET', `/channels/${encodeURIComponent(channelId)}`));
      if (!snap) throw new BereikError('ARI_HTTP', `Asterisk sent an unreadable channel for ${channelId}`);
      call.applySnapshot(snap);
      call.adoptStasisFromSnapshot(snap);
      this.reconciler.owned(channelId);
      // Still ringing or in the dialplan (AMD): it may end there without telling the app.
      if (!call.inStasis) await call.followUntilInStasis();
      return call;
    } catch (err) {
      this.calls.delete(channelId);
      if (ariStatus(err) === 404) return undefined;
      throw err;
    } finally {
      this.pending.delete(channelId);
    }
  }

  async snoop(target: Call | string, o: SnoopOptions): Promise<Call> {
    const targetId = typeof target === 'string' ? target : target.id;
    const id = randomUUID();
    // Registered before asking: the snoop channel's StasisStart may overtake the answer.
    const call = this.newCall(id, 'originate-app');
    this.pending.add(id);
    try {
      const body = await this.rest.request<unknown>('POST', `/channels/${encodeURIComponent(targetId)}/snoop`, {
        spy: o.spy,
        whisper: o.whisper,
        app: this.opts.app,
        appArgs: o.args.join(','),
        snoopId: id,
      });
      const snap = narrowChannel(body);
      if (snap && !call.ended) call.applySnapshot(snap);
    } catch (err) {
      this.calls.delete(id);
      throw err;
    } finally {
      this.pending.delete(id);
    }
    return call;
  }

  async storedRecording(name: string): Promise<Buffer | undefined> {
    return this.rest.download(`/recordings/stored/${encodeURIComponent(name)}/file`);
  }

  async deleteStoredRecording(name: string): Promise<void> {
    await this.rest.requestUnlessGone('DELETE', `/recordings/stored/${encodeURIComponent(name)}`);
  }

  private newCall(id: string, origin: CallOrigin): AriCall {
    if (this.calls.has(id)) throw new BereikError('CONFLICT', `A call with channel id ${id} is already live`);
    const call = new AriCall(this.ctx, id, origin, (c) => {
      if (this.calls.get(c.id) === c) this.calls.delete(c.id);
    });
    this.calls.set(id, call);
    return call;
  }

  private route(e: AriEvent): void {
    switch (e.type) {
      case 'StasisStart': {
        const known = this.calls.get(e.channel.id);
        if (known) return known.handle(e);
        const call = this.newCall(e.channel.id, 'inbound');
        call.handle(e);
        const entry = call.entry ?? parseStasisEntry(e.args);
        if (this.listenerCount('inbound') === 0) {
          // Nobody would ever speak to this caller: end it rather than leave them in silence.
          this.opts.log.warn({ channel: call.id, entry: entry.kind }, 'call entered the app with no inbound handler; hanging up');
          void call.hangup().catch((err: unknown) => this.opts.log.warn({ err, channel: call.id }, 'hang-up failed'));
          return;
        }
        this.emit('inbound', call, entry);
        return;
      }
      case 'Dial':
        return this.calls.get(e.peer.id)?.handle(e);
      case 'PlaybackStarted':
        return this.ctx.playbacks.get(e.playback.id)?.onStarted();
      case 'PlaybackContinuing':
        return this.ctx.playbacks.get(e.playback.id)?.onContinuing();
      case 'PlaybackFinished':
        return this.ctx.playbacks.get(e.playback.id)?.onFinished(e.playback.state);
      case 'BridgeDestroyed':
        return this.bridges.get(e.bridge.id)?.handle(e);
      case 'RecordingStarted':
      case 'RecordingFinished':
      case 'RecordingFailed':
        return this.ctx.recordings.get(e.recording.name)?.onEvent(e.type, e.recording);
      case 'ChannelEnteredBridge':
      case 'ChannelLeftBridge':
        this.bridges.get(e.bridge.id)?.handle(e);
        return this.calls.get(e.channel.id)?.handle(e);
      default:
        return this.calls.get(e.channel.id)?.handle(e);
    }
  }

  /**
   * Asks Asterisk to send the app only the event types Bereik reads. It looks first and
   * changes the filter only when Asterisk's differs (a fresh or restarted Asterisk, or an
   * older Bereik): on Asterisk 22.10.1 a change that overlaps another request on the app can
   * corrupt Asterisk's heap (app-request-gate.ts keeps them apart; changing it rarely keeps
   * other processes on the same app out of the way too). An Asterisk without event filters
   * (before 13.26 / 16.3) sends everything and the client drops what it does not read.
   */
  private async filterEvents(): Promise<void> {
    const wanted = [...HANDLED_EVENT_TYPES].sort();
    try {
      const app = await this.rest.request<{ events_allowed?: unknown; events_disallowed?: unknown }>('GET', `/applications/${encodeURIComponent(this.opts.app)}`);
      const types = (v: unknown) => (Array.isArray(v) ? v.map((f) => (f && typeof f === 'object' ? String((f as { type?: unknown }).type) : '')).sort() : undefined);
      const allowed = types(app.events_allowed);
      const disallowed = types(app.events_disallowed);
      if (allowed && disallowed && disallowed.length === 0 && allowed.join() === wanted.join()) return;
      await this.rest.request('PUT', `/applications/${encodeURIComponent(this.opts.app)}/eventFilter`, undefined, { allowed: wanted.map((type) => ({ type })), disallowed: [] });
    } catch (err) {
      this.opts.log.debug({ err }, 'Asterisk did not take the event filter; unread events are dropped here');
    }
  }

  private setHealth(state: HealthState, lastError: string | undefined): void {
    const reconnected = state === 'connected' && this._health.state === 'reconnecting';
    this._health = {
      ...this._health,
      state,
      reconnects: this._health.reconnects + (reconnected ? 1 : 0),
      since: isoUtc(this.opts.clock.now()),
      ...(lastError ? { lastError } : {}),
    };
    this.opts.log.info({ state, reconnects: this._health.reconnects }, 'ARI connection state');
    this.emit('health', this.health());
  }
}
