/**
 * Delivers ARI events to the apps' WebSocket connections. Like Asterisk, it keeps no
 * events for an app that is not connected: they are lost (trace 08), and a newer
 * connection for an app replaces the older one, so a client that reconnects does not
 * get every event twice.
 */
import type { WebSocket } from 'ws';
import type { Clock } from '../lib/clock.ts';
import { ariTime } from './model.ts';
import { AriError } from './ari-error.ts';

export interface AriEvent {
  type: string;
  [field: string]: unknown;
}

export class EventHub {
  private readonly sockets = new Map<string, WebSocket[]>();
  /** Apps that registered at least once (GET /applications lists them). */
  readonly apps = new Set<string>();
  /** Every event published, for tests that want to look (off unless enabled). */
  tap: ((app: string, event: AriEvent) => void) | undefined;

  constructor(
    private readonly asteriskId: string,
    private readonly clock: Clock,
  ) {}

  attach(apps: string[], ws: WebSocket): void {
    for (const app of apps) {
      this.apps.add(app);
      const list = this.sockets.get(app) ?? [];
      list.push(ws);
      this.sockets.set(app, list);
    }
    ws.once('close', () => {
      for (const app of apps) {
        const list = this.sockets.get(app);
        if (!list) continue;
        const i = list.indexOf(ws);
        if (i >= 0) list.splice(i, 1);
      }
    });
  }

  connected(app: string): boolean {
    return (this.sockets.get(app)?.length ?? 0) > 0;
  }

  private readonly filters = new Map<string, { allowed: string[]; disallowed: string[] }>();
  private held = 0;
  private pending: [WebSocket, string][] = [];

  /** Sends one event to the app, if it is connected; returns whether anyone got it. */
  publish(app: string | null, type: string, fields: Record<string, unknown>): boolean {
    return app ? this.publishMany([app], type, fields) : false;
  }

  /**
   * One event to several deliveries (an app listed twice gets it twice, byte for byte, as
   * when Asterisk forwards a channel's topic to an app through two subscriptions).
   */
  publishMany(apps: readonly string[], type: string, fields: Record<string, unknown>): boolean {
    const timestamp = ariTime(this.clock.now());
    let any = false;
    for (const app of apps) any = this.send(app, { type, timestamp, ...fields, asterisk_id: this.asteriskId, application: app }) || any;
    return any;
  }

  /**
   * PUT /applications/{app}/eventFilter (resource_applications.c, stasis app.c): event
   * types the app is sent (allowed: empty = all) and not sent (disallowed, which wins).
   * A list left out of the body stays as it was; an empty body clears both.
   */
  setFilter(app: string, body: unknown): void {
    const f = this.filters.get(app) ?? { allowed: [], disallowed: [] };
    const obj = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    if (Object.keys(obj).length === 0) {
      f.allowed = [];
      f.disallowed = [];
    }
    for (const key of ['allowed', 'disallowed'] as const) {
      const v = obj[key];
      if (v === undefined) continue;
      if (!Array.isArray(v)) throw new AriError(400, { message: `Invalid json type event filter - app: ${app}, filter: ${key}` });
      f[key] = v.map((t) => String((t as { type?: unknown } | null)?.type ?? ''));
    }
    this.filters.set(app, f);
  }

  filterJson(app: string): { events_allowed: { type: string }[]; events_disallowed: { type: string }[] } {
    const f = this.filters.get(app);
    return { events_allowed: (f?.allowed ?? []).map((type) => ({ type })), events_disallowed: (f?.disallowed ?? []).map((type) => ({ type })) };
  }

  private allowed(app: string, type: string): boolean {
    const f = this.filters.get(app);
    if (!f) return true;
    return !f.disallowed.includes(type) && (f.allowed.length === 0 || f.allowed.includes(type));
  }

  private send(app: string, event: AriEvent): boolean {
    this.tap?.(app, event);
    if (!this.allowed(app, event.type)) return false;
    const list = this.sockets.get(app);
    const ws = list?.[list.length - 1];
    if (!ws || ws.readyState !== 1) return false;
    const text = JSON.stringify(event);
    if (this.held > 0) this.pending.push([ws, text]);
    else ws.send(text);
    return true;
  }

  /**
   * Holds events while a REST request is handled, so its answer goes out first: what an
   * operation causes (PlaybackStarted, Dial…) follows the answer, as it mostly did in the traces.
   */
  hold(): void {
    this.held++;
  }

  release(): void {
    if (--this.held > 0) return;
    this.held = 0;
    const out = this.pending;
    this.pending = [];
    for (const [ws, text] of out) if (ws.readyState === 1) ws.send(text);
  }

  /** Closes every events socket (the calls live on). */
  dropAll(code = 1001, reason = 'simulated disconnect'): number {
    let n = 0;
    const all = new Set<WebSocket>();
    for (const list of this.sockets.values()) for (const ws of list) all.add(ws);
    for (const ws of all) {
      ws.close(code, reason);
      n++;
    }
    this.sockets.clear();
    return n;
  }
}
