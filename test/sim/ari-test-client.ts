/**
 * A bare ARI client for the simulator's own tests: raw HTTP requests and an events
 * socket that records what arrives. Deliberately not src/telephony (the simulator is
 * checked against the wire protocol, not against our client).
 */
import WebSocket from 'ws';
import type { RunningSim } from '../../src/sim/index.ts';

export interface AriEvent {
  type: string;
  [k: string]: unknown;
}

export interface RestResult {
  status: number;
  body: any;
}

export class TestAri {
  events: AriEvent[] = [];
  private ws: WebSocket | undefined;
  private waiters: { pred: (e: AriEvent) => boolean; resolve: (e: AriEvent) => void }[] = [];

  constructor(readonly sim: RunningSim) {}

  private auth(): string {
    return 'Basic ' + Buffer.from(`${this.sim.user}:${this.sim.password}`).toString('base64');
  }

  async connect(): Promise<void> {
    const url = `${this.sim.url.replace('http', 'ws')}/ari/events?app=${this.sim.app}&subscribeAll=false`;
    const ws = new WebSocket(url, { headers: { authorization: this.auth() } });
    this.ws = ws;
    ws.on('message', (data) => {
      const e = JSON.parse(String(data)) as AriEvent;
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  async disconnect(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
  }

  async req(method: string, path: string, query: Record<string, string> = {}, body?: unknown): Promise<RestResult> {
    const qs = new URLSearchParams(query).toString();
    const res = await fetch(`${this.sim.url}/ari${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: { authorization: this.auth(), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** Resolves with the first event (already received or future) matching pred; fails after realMs rather than hang the run. */
  waitFor(pred: (e: AriEvent) => boolean, realMs = 10_000): Promise<AriEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no matching event within ${realMs} ms; got: ${this.types().join(', ')}`));
      }, realMs);
      const done = (e: AriEvent) => {
        clearTimeout(timer);
        resolve(e);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  waitType(type: string, extra: (e: AriEvent) => boolean = () => true): Promise<AriEvent> {
    return this.waitFor((e) => e.type === type && extra(e));
  }

  /** Event types so far, without ChannelVarset noise. */
  types(channelId?: string): string[] {
    return this.events
      .filter((e) => e.type !== 'ChannelVarset')
      .filter((e) => !channelId || chanOf(e) === channelId)
      .map((e) => e.type);
  }
}

export function chanOf(e: AriEvent): string | undefined {
  const c = (e.channel ?? e.peer) as { id?: string } | undefined;
  if (c?.id) return c.id;
  const pb = e.playback as { target_uri?: string } | undefined;
  return pb?.target_uri?.startsWith('channel:') ? pb.target_uri.slice(8) : undefined;
}
