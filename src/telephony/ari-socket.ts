/**
 * The events half of ARI: one WebSocket to /ari/events for our app, kept open. When it
 * drops it comes back after an exponential, fully jittered delay on the injected clock.
 * Asterisk keeps no events for a disconnected app, so every open is reported to the
 * owner, which reconciles before trusting its state again.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { parseAriEvent, type AriEvent } from './ari-events.ts';
import { RepeatFilter } from './repeat-filter.ts';
import { backoffDelay } from './backoff.ts';
import type { HealthState } from './types.ts';
import { handlerErrors } from '../lib/handler-errors.ts';

export interface AriSocketOptions {
  /** Base URL ending in /ari (http or https). */
  base: string;
  authorization: string;
  app: string;
  clock: Clock;
  log: Logger;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Ping period (wall ms); a socket that misses a pong for a whole period is dropped. */
  pingIntervalMs?: number;
  random?: () => number;
}

interface SocketEvents {
  event: [e: AriEvent];
  /** The socket is open; reconnect is false only for the very first open of this client. */
  open: [reconnect: boolean];
  state: [state: HealthState, lastError: string | undefined];
}

export class AriEventSocket extends EventEmitter<SocketEvents> {
  private ws: WebSocket | undefined;
  private retryTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private attempt = 0;
  private everOpened = false;
  private running = false;
  private _state: HealthState = 'stopped';
  private _lastError: string | undefined;
  /** Set when Asterisk refused our credentials: start() rejects with it. */
  private refused: BereikError | undefined;
  private starting: Promise<void> | undefined;
  private readonly repeats = new RepeatFilter();

  constructor(private readonly opts: AriSocketOptions) {
    super();
  }

  get state(): HealthState { return this._state; }
  get lastError(): string | undefined { return this._lastError; }

  get url(): string {
    const u = new URL(this.opts.base.replace(/^http/, 'ws') + '/events');
    u.searchParams.set('app', this.opts.app);
    u.searchParams.set('subscribeAll', 'false');
    return u.toString();
  }

  /** Starts connecting. Resolves on the first open; rejects only if Asterisk refuses our credentials. */
  start(): Promise<void> {
    // A second start() while running shares the first one's outcome (no second socket).
    if (this.running && this.starting) return this.starting;
    if (this.running) return Promise.resolve();
    this.running = true;
    // everOpened survives stop()/start(): a restarted client reports a reconnect.
    this.attempt = 0;
    this.refused = undefined;
    this.setState('connecting');
    const p = new Promise<void>((resolve, reject) => {
      const onOpen = () => {
        this.off('state', onState);
        resolve();
      };
      const onState = (s: HealthState, err: string | undefined) => {
        if (s === 'stopped') {
          this.off('open', onOpen);
          this.off('state', onState);
          reject(this.refused ?? new BereikError('ARI_UNREACHABLE', `ARI events connection stopped before it opened${err ? `: ${err}` : ''}`));
        }
      };
      this.once('open', onOpen);
      this.on('state', onState);
      this.connect();
    });
    this.starting = p;
    const clear = () => {
      if (this.starting === p) this.starting = undefined;
    };
    p.then(clear, clear);
    return p;
  }

  stop(): void {
    this.running = false;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.pingTimer?.cancel();
    this.pingTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
    }
    this.setState('stopped');
  }

  private connect(): void {
    if (!this.running) return;
    const ws = new WebSocket(this.url, { headers: { authorization: this.opts.authorization } });
    this.ws = ws;
    let alive = true;
    ws.on('open', () => {
      const reconnect = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.setState('connected');
      this.schedulePing(ws, () => alive, (v) => (alive = v));
      this.emit('open', reconnect);
    });
    ws.on('pong', () => (alive = true));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = (data as Buffer).toString('utf8');
      // An app subscribed to an endpoint (now, or by an earlier process: Asterisk keeps it
      // while the app is registered) gets some events twice; see repeat-filter.ts.
      if (!this.repeats.admit(frame)) return;
      const e = parseAriEvent(frame);
      if (!e) return;
      try {
        this.emit('event', e);
      } catch (err) {
        // A listener's bug must not take the connection (and every call on it) down with it.
        handlerErrors.report(this.opts.log, 'ari', err, { type: e.type, channel: (e as { channel?: { id?: string } }).channel?.id }, 'ARI event handler failed');
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      this._lastError = `events socket refused with HTTP ${status}`;
      res.resume();
      if ((status === 401 || status === 403) && !this.everOpened) {
        // Wrong credentials do not fix themselves: tell start() instead of looping.
        this.opts.log.error({ status }, 'ARI refused the events socket');
        this.refused = new BereikError(
          'ARI_HTTP',
          `Asterisk refused the events socket for app ${this.opts.app} with HTTP ${status}: check ari.user and BEREIK_ARI_PASSWORD (ari.conf)`,
          { status },
          status,
        );
        this.stop();
        return;
      }
      ws.terminate();
    });
    ws.on('error', (err) => {
      this._lastError = err.message;
    });
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.pingTimer?.cancel();
      if (!this.running) return;
      if (this._state === 'connected') this._lastError = `events socket closed (code ${code})`;
      this.opts.log.warn({ code, lastError: this._lastError }, 'ARI events socket closed; reconnecting');
      this.setState(this.everOpened ? 'reconnecting' : 'connecting');
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt++, this.opts.reconnectMinMs, this.opts.reconnectMaxMs, this.opts.random);
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  /**
   * Keepalive on the wall clock, not the injected one: it guards a network connection, and
   * at a test's 25x clock a 20 s ping would demand a pong within 0.8 s of real time.
   */
  private schedulePing(ws: WebSocket, isAlive: () => boolean, setAlive: (v: boolean) => void): void {
    const every = this.opts.pingIntervalMs ?? 20000;
    const t = setTimeout(() => {
      if (this.ws !== ws) return;
      if (!isAlive()) {
        this._lastError = 'no pong from Asterisk';
        ws.terminate();
        return;
      }
      setAlive(false);
      try {
        ws.ping();
      } catch {
        // Closing already: the close handler reconnects.
      }
      this.schedulePing(ws, isAlive, setAlive);
    }, every);
    t.unref();
    this.pingTimer = { cancel: () => clearTimeout(t) };
  }

  private setState(s: HealthState): void {
    if (this._state === s) return;
    this._state = s;
    this.emit('state', s, this._lastError);
  }
}
