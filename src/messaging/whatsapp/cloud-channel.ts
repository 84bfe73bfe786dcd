/**
 * The WhatsApp channel: one message to the Business Cloud API (Graph, HTTPS), and what Meta
 * said, as a SubmitResult (src/messaging/types.ts); the webhook's statuses and replies as
 * 'receipt' and 'inbound' events.
 *
 * A submit ends in one of four ways:
 *   - 2xx with messages[0].id → ok; providerId is that wamid (statuses quote it back).
 *   - an error answer → retry or permanent by Meta's code (graph-outcome.ts has the table).
 *   - no connection (refused, DNS, unreachable) → retry: not a byte of the request left.
 *   - no answer in time, or the connection lost after the request went → uncertain: Graph
 *     has no idempotency key, so it is never resent blindly.
 * Before any of that, WhatsApp's own rule: a business may start a conversation only with an
 * approved template; a free text goes only within 24 hours of the debtor's last message
 * (the customer service window). A free text outside it is refused here, permanently, as
 * WA_OUTSIDE_SERVICE_WINDOW, rather than spending a request Meta would refuse (131047).
 * The window is tracked from the webhook's inbound messages, and after a restart from the
 * stored replies (deps.lastInboundAt).
 *
 * A webhook delivered twice changes nothing: a second receipt is ignored by the outbox, a
 * second inbound message (same wamid) is not told again.
 *
 * Connections: Node's fetch (undici) keeps them alive and reuses them by default.
 */
import { EventEmitter } from 'node:events';
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { maskPhone, type Logger } from '../../lib/log.ts';
import { BereikError } from '../../lib/errors.ts';
import type { ChannelEvents, ChannelHealth, OutgoingWhatsApp, SubmitResult, WhatsAppChannel } from '../types.ts';
import { classifyGraphAnswer } from './graph-outcome.ts';
import { readWhatsAppWebhook, verifyWhatsAppSignature } from './webhook.ts';

export const SERVICE_WINDOW_MS = 24 * 3_600_000;
/** Inbound message ids remembered for duplicate webhook deliveries (Meta retries for up to 7 days; in practice within minutes). */
const SEEN_INBOUND_MAX = 10_000;

/** What the channel needs, secrets resolved (src/messaging/whatsapp/config.ts). */
export interface WhatsAppTarget {
  /** e.g. https://graph.facebook.com, or the simulator's http://127.0.0.1:port */
  graphUrl: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  requestTimeoutMs: number;
  simulated: boolean;
}

export interface WhatsAppChannelDeps {
  clock: Clock;
  log: Logger;
  /** How long stop() waits for sends in flight (default 10 s). */
  stopGraceMs?: number;
  /** When a number last wrote (clock ms), from the store: the window outlives a restart. */
  lastInboundAt?: (e164: string) => number | undefined;
}

/** Connection errors that mean the request never left (undici puts the system's code on err.cause). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function createWhatsAppChannel(target: WhatsAppTarget, deps: WhatsAppChannelDeps): WhatsAppChannel {
  return new CloudWhatsAppChannel(target, deps);
}

class CloudWhatsAppChannel extends EventEmitter<ChannelEvents> implements WhatsAppChannel {
  readonly kind = 'whatsapp' as const;
  private state: 'stopped' | 'up' | 'down' = 'stopped';
  private detail: string | undefined;
  private stopping = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Handset (E.164) → when it last wrote (clock ms): the 24-hour window. */
  private readonly lastInbound = new Map<string, number>();
  /** Inbound wamids already told, oldest first: Meta delivers a webhook again when unsure we got it. */
  private readonly seenInbound = new Set<string>();
  private readonly url: string;
  private readonly log: Logger;

  constructor(
    private readonly t: WhatsAppTarget,
    private readonly deps: WhatsAppChannelDeps,
  ) {
    super();
    this.url = `${t.graphUrl.replace(/\/+$/, '')}/${t.version}/${t.phoneNumberId}/messages`;
    this.log = deps.log.child({ channel: 'whatsapp', simulated: t.simulated });
  }

  async start(): Promise<void> {
    this.stopping = false;
    if (this.state === 'stopped') this.setState('up');
  }

  async submit(msg: OutgoingWhatsApp): Promise<SubmitResult> {
    if (this.state === 'stopped' && !this.stopping) throw new Error('WhatsAppChannel.submit() before start()');
    if (this.stopping) return { ok: false, kind: 'retry', code: 'WA_STOPPED', reason: 'the WhatsApp channel is stopping' };
    if (!/^\+\d{6,15}$/.test(msg.to)) return { ok: false, kind: 'permanent', code: 'WA_BAD_NUMBER', reason: 'the recipient is not an E.164 number' };
    if (msg.content.kind === 'text' && !this.inServiceWindow(msg.to)) {
      return { ok: false, kind: 'permanent', code: 'WA_OUTSIDE_SERVICE_WINDOW', reason: 'a free text may go only within 24 hours of the debtor\'s last WhatsApp message; send a template instead' };
    }
    const job = this.send(msg);
    this.inFlight.add(job);
    try {
      return await job;
    } finally {
      this.inFlight.delete(job);
    }
  }

  private async send(msg: OutgoingWhatsApp): Promise<SubmitResult> {
    const { clock } = this.deps;
    const abort = new AbortController();
    let timedOut = false;
    const timer = clock.setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.t.requestTimeoutMs);
    const started = performance.now();
    const fields = { messageId: msg.messageId, to: maskPhone(msg.to), kind: msg.content.kind };
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.t.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(graphBody(msg)),
        signal: abort.signal,
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const result = classifyGraphAnswer({ status: res.status, body, retryAfter: res.headers.get('retry-after'), nowMs: clock.now() });
      this.setState(res.status >= 500 ? 'down' : 'up', res.status >= 500 ? `Graph answered ${res.status}` : undefined);
      if (result.ok) this.log.debug({ ...fields, providerId: result.providerId, ms: Math.round(performance.now() - started) }, 'whatsapp: accepted by Graph');
      else this.log[result.kind === 'retry' ? 'info' : 'warn']({ ...fields, code: result.code, status: res.status }, `whatsapp: not accepted (${result.kind})`);
      return result;
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (!timedOut && code && NOT_SENT.has(code)) {
        this.setState('down', `${code} at ${this.t.graphUrl}`);
        this.log.info({ ...fields, code }, 'whatsapp: Graph not reachable; to be retried');
        return { ok: false, kind: 'retry', code: 'WA_NETWORK', reason: `Graph could not be reached (${code})` };
      }
      const what = timedOut ? `no answer within ${this.t.requestTimeoutMs} ms` : `the connection was lost (${code ?? (err as Error).message})`;
      this.log.warn({ ...fields, code: timedOut ? 'WA_TIMEOUT' : 'WA_CONNECTION_LOST' }, 'whatsapp: outcome unknown, not to be resent blindly');
      return { ok: false, kind: 'uncertain', code: timedOut ? 'WA_TIMEOUT' : 'WA_CONNECTION_LOST', reason: `${what} after the request was sent: Graph may have taken it` };
    } finally {
      timer.cancel();
    }
  }

  verifySubscription(q: { mode?: string; token?: string; challenge?: string }): string | undefined {
    if (q.mode !== 'subscribe' || !q.token || q.challenge === undefined || !this.t.verifyToken) return undefined;
    const a = Buffer.from(q.token);
    const b = Buffer.from(this.t.verifyToken);
    return a.length === b.length && timingSafeEqual(a, b) ? q.challenge : undefined;
  }

  acceptWebhook(raw: Buffer, signature: string | undefined): { receipts: number; inbound: number } {
    verifyWhatsAppSignature(this.t.appSecret, signature, raw);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new BereikError('WA_WEBHOOK_MALFORMED', 'body: not valid JSON');
    }
    // Read whole before anything is told: a body with one bad entry changes nothing.
    const events = readWhatsAppWebhook(json);
    // Starting or stopping, nobody takes what we would tell: a 503 makes Meta deliver it again later.
    if (this.listenerCount('receipt') === 0 || this.listenerCount('inbound') === 0) {
      throw new BereikError('WA_DISABLED', 'the WhatsApp channel is not taking webhooks right now (starting or stopping); Meta delivers them again');
    }
    const now = this.deps.clock.now();
    const fresh = events.inbound.filter((m) => !this.seenInbound.has(m.providerId));
    for (const m of fresh) {
      this.seenInbound.add(m.providerId);
      if (this.seenInbound.size > SEEN_INBOUND_MAX) this.seenInbound.delete(this.seenInbound.values().next().value!);
    }
    for (const m of fresh) {
      // The handset's clock may run ahead of ours; the window never starts in the future.
      const at = Math.min(m.atMs, now);
      if (at > (this.lastInbound.get(m.from) ?? -Infinity)) this.lastInbound.set(m.from, at);
    }
    for (const r of events.receipts) this.emit('receipt', r);
    for (const m of fresh) this.emit('inbound', { channel: 'whatsapp', from: m.from, to: m.to, body: m.body });
    return { receipts: events.receipts.length, inbound: fresh.length };
  }

  /** Whether a free text may go to this number now. */
  inServiceWindow(to: string): boolean {
    const last = this.lastInbound.get(to) ?? this.deps.lastInboundAt?.(to);
    return last !== undefined && this.deps.clock.now() - last < SERVICE_WINDOW_MS;
  }

  health(): ChannelHealth {
    const detail = [this.t.simulated ? 'simulated Graph endpoint' : undefined, this.detail].filter(Boolean).join('; ') || undefined;
    return { channel: 'whatsapp', state: this.state === 'up' ? 'up' : 'down', links: [{ name: `graph ${this.t.graphUrl}`, state: this.state, detail }] };
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.stopping = true;
    if (this.inFlight.size) {
      const grace = new AbortController();
      await Promise.race([Promise.allSettled([...this.inFlight]), this.deps.clock.delay(this.deps.stopGraceMs ?? 10_000, grace.signal).catch(() => {})]);
      grace.abort();
    }
    this.setState('stopped');
  }

  private setState(state: 'stopped' | 'up' | 'down', detail?: string): void {
    const changed = state !== this.state || detail !== this.detail;
    this.state = state;
    this.detail = detail;
    if (changed) this.emit('health', this.health());
  }
}

/** The Graph request body (Cloud API "messages" endpoint). */
export function graphBody(msg: OutgoingWhatsApp): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: msg.to.slice(1) };
  if (msg.content.kind === 'text') return { ...base, type: 'text', text: { preview_url: true, body: msg.content.text } };
  const t = msg.content.template;
  return {
    ...base,
    type: 'template',
    template: {
      name: t.name,
      language: { code: t.language },
      components: t.params.length ? [{ type: 'body', parameters: t.params.map((text) => ({ type: 'text', text })) }] : [],
    },
  };
}
