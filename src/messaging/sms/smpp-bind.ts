/**
 * One SMPP bind_transceiver session to an SMSC, kept alive for the channel.
 *
 * What it guarantees:
 *   - At most `windowSize` submit_sm are outstanding; more wait in a bounded queue, and
 *     leave it at no more than `maxPerSecond` (token bucket, src/dialer/token-bucket.ts).
 *   - Every submit ends with exactly one SendOutcome: the SMSC's answer (resp or
 *     generic_nack), `not-sent` (it never left: safe to offer again), or `lost` (it left and
 *     no answer came: the link dropped or the answer timed out; SMPP has no idempotency key,
 *     so the caller must not resend blindly).
 *   - enquire_link every `enquireLinkSec`; one unanswered within `enquireLinkTimeoutMs`
 *     means the link is dead even if TCP has not noticed: it is cut and rebuilt.
 *   - A refused bind (ESME_RBINDFAIL, ESME_RINVPASWD …) or a lost connection reconnects
 *     with exponential backoff and full jitter (src/telephony/backoff.ts); it never throws.
 *   - The password is sent in bind_transceiver and appears nowhere else (no log, no detail).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { backoffDelay } from '../../telephony/backoff.ts';
import { TokenBucket } from '../../dialer/token-bucket.ts';
import { PduLink } from './pdu-link.ts';
import { STATUS, statusName, type MessagePdu, type Pdu, type encodePdu } from './smpp-pdu.ts';

export interface BindOptions {
  name: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** false: plain TCP; true or options: TLS (SMPP over TLS, usually port 3550). */
  tls: false | true | tls.ConnectionOptions;
  windowSize: number;
  maxPerSecond: number;
  enquireLinkSec: number;
  enquireLinkTimeoutMs: number;
  /** Longest wait for bind_transceiver_resp and for each submit_sm_resp. */
  responseTimeoutMs: number;
  /** Longest a submit waits in this bind's queue before it is handed back as not sent. */
  queueTimeoutMs: number;
  /** Pause after ESME_RTHROTTLED / ESME_RMSGQFUL before the next submit leaves. */
  throttleBackoffMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  clock: Clock;
  random: () => number;
  log: Logger;
}

export type BindState = 'connecting' | 'binding' | 'bound' | 'down' | 'closed';

export type SendOutcome =
  | { kind: 'resp'; status: number; messageId: string }
  | { kind: 'nack'; status: number }
  | { kind: 'not-sent'; code: 'SMPP_NOT_BOUND' | 'SMPP_QUEUE_FULL' | 'SMPP_STOPPING'; reason: string }
  | { kind: 'lost'; code: 'SMPP_CONNECTION_LOST' | 'SMPP_NO_RESPONSE'; reason: string };

type Fields = Parameters<typeof encodePdu>[2];

interface Job {
  fields: Fields;
  resolve: (o: SendOutcome) => void;
  /** Queued at, then sent at (clock ms). */
  at: number;
}

export interface BindEvents {
  state(bind: SmppBind): void;
  /** A deliver_sm; returns the command_status to answer with. */
  deliver(bind: SmppBind, pdu: MessagePdu): number;
  /** A submit_sm_resp arrived in `ms` (clock ms since it was sent). */
  latency?(ms: number): void;
}

export class SmppBind {
  state: BindState = 'down';
  detail = 'not started';
  throttledUntil = 0;
  private link: PduLink | undefined;
  private queue: Job[] = [];
  private head = 0;
  private readonly inflight = new Map<number, Job>();
  private readonly bucket: TokenBucket;
  private attempt = 0;
  private bindSeq = 0;
  private enquireSeq = 0;
  private reconnectTimer: TimerHandle | undefined;
  private bindTimer: TimerHandle | undefined;
  private enquireTimer: TimerHandle | undefined;
  private enquireDeadline: TimerHandle | undefined;
  private pumpTimer: TimerHandle | undefined;
  private sweepTimer: TimerHandle | undefined;
  private firstAttempt: Promise<void>;
  private firstAttemptDone!: () => void;

  constructor(
    readonly opts: BindOptions,
    private readonly events: BindEvents,
  ) {
    this.bucket = new TokenBucket(opts.clock, opts.maxPerSecond);
    this.firstAttempt = new Promise((r) => (this.firstAttemptDone = r));
  }

  get name(): string {
    return this.opts.name;
  }
  get queued(): number {
    return this.queue.length - this.head;
  }
  get outstanding(): number {
    return this.inflight.size;
  }

  /** Starts connecting; resolves once the first bind attempt has succeeded or failed. */
  start(): Promise<void> {
    if (this.state === 'down' && !this.reconnectTimer) this.connect();
    return this.firstAttempt;
  }

  submit(fields: Fields): Promise<SendOutcome> {
    if (this.state !== 'bound') return Promise.resolve({ kind: 'not-sent', code: 'SMPP_NOT_BOUND', reason: `bind ${this.name} is ${this.state}` });
    return new Promise((resolve) => {
      this.queue.push({ fields, resolve, at: this.opts.clock.now() });
      this.pump();
    });
  }

  /** Unbinds politely, waiting (bounded) for answers to what is in flight. */
  async close(waitMs = 5000): Promise<void> {
    const { clock } = this.opts;
    this.failQueued('SMPP_STOPPING', 'the channel is stopping');
    const until = clock.now() + waitMs;
    while (this.inflight.size > 0 && clock.now() < until && this.state === 'bound') await clock.delay(20);
    const link = this.link;
    this.setState('closed', 'stopped');
    this.clearTimers();
    if (link && !link.closed) {
      const gone = new Promise<void>((r) => link.socket.once('close', () => r()));
      link.send('unbind', link.nextSequence());
      const timer = clock.setTimeout(() => link.destroy(), 1000);
      link.socket.end();
      await gone;
      timer.cancel();
    }
    this.failInflight('SMPP_CONNECTION_LOST', 'the channel stopped with the PDU in flight');
  }

  private connect(): void {
    const o = this.opts;
    this.reconnectTimer = undefined;
    this.setState('connecting', `${o.host}:${o.port}`);
    const socket = o.tls
      ? tls.connect({ host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host, ...(o.tls === true ? {} : o.tls) })
      : net.connect({ host: o.host, port: o.port });
    const link = new PduLink(socket, {
      pdu: (pdu) => this.onPdu(link, pdu),
      problem: (reason) => {
        this.lastProblem = reason;
        o.log.warn({ bind: o.name, reason }, 'smpp: problem on the link');
      },
      close: () => this.onClose(link),
    });
    this.link = link;
    this.bindTimer = o.clock.setTimeout(() => {
      this.lastProblem = 'no bind_transceiver_resp in time';
      link.destroy();
    }, o.responseTimeoutMs);
    socket.once(o.tls ? 'secureConnect' : 'connect', () => {
      this.setState('binding', `${o.host}:${o.port} as ${o.systemId}`);
      this.bindSeq = link.nextSequence();
      link.send('bind_transceiver', this.bindSeq, { system_id: o.systemId, password: o.password, system_type: '', interface_version: 0x34 });
    });
  }

  private lastProblem = '';

  private onPdu(link: PduLink, pdu: Pdu): void {
    if (link !== this.link) return;
    switch (pdu.command) {
      case 'submit_sm_resp':
      case 'generic_nack': {
        const job = this.inflight.get(pdu.sequence);
        if (!job) {
          if (pdu.command === 'generic_nack' && pdu.sequence === this.enquireSeq) return this.onEnquireAnswered();
          if (pdu.command === 'generic_nack' && pdu.sequence === this.bindSeq && this.state === 'binding') {
            this.lastProblem = `bind refused: generic_nack ${statusName(pdu.status)}`;
            return link.destroy();
          }
          this.opts.log.warn({ bind: this.name, command: pdu.command, sequence: pdu.sequence, status: statusName(pdu.status) }, 'smpp: answer to no outstanding request');
          return;
        }
        this.inflight.delete(pdu.sequence);
        this.events.latency?.(this.opts.clock.now() - job.at);
        if (pdu.status === STATUS.ESME_RTHROTTLED || pdu.status === STATUS.ESME_RMSGQFUL) {
          this.throttledUntil = this.opts.clock.now() + this.opts.throttleBackoffMs;
        }
        job.resolve(pdu.command === 'submit_sm_resp' ? { kind: 'resp', status: pdu.status, messageId: pdu.messageId } : { kind: 'nack', status: pdu.status });
        this.pump();
        return;
      }
      case 'bind_transceiver_resp':
        if (pdu.sequence !== this.bindSeq) return;
        this.bindTimer?.cancel();
        if (pdu.status !== 0) {
          this.lastProblem = `bind refused: ${statusName(pdu.status)}`;
          link.destroy();
          return;
        }
        this.attempt = 0;
        this.setState('bound', `${this.opts.host}:${this.opts.port} as ${this.opts.systemId}`);
        this.firstAttemptDone();
        this.scheduleEnquire();
        this.pump();
        return;
      case 'enquire_link':
        link.send('enquire_link_resp', pdu.sequence);
        return;
      case 'enquire_link_resp':
        if (pdu.sequence === this.enquireSeq) this.onEnquireAnswered();
        return;
      case 'deliver_sm': {
        const status = this.events.deliver(this, pdu);
        link.send('deliver_sm_resp', pdu.sequence, { message_id: '' }, status);
        return;
      }
      case 'unbind':
        link.send('unbind_resp', pdu.sequence);
        this.lastProblem = 'the SMSC unbound';
        link.socket.end();
        return;
      case 'unbind_resp':
        return;
      default:
        // bind_transceiver / submit_sm towards an ESME: not something an SMSC sends.
        link.send('generic_nack', pdu.sequence, undefined, STATUS.ESME_RINVCMDID);
    }
  }

  private onClose(link: PduLink): void {
    if (link !== this.link) return;
    this.link = undefined;
    this.clearTimers();
    this.failInflight('SMPP_CONNECTION_LOST', 'the connection dropped with the PDU in flight');
    this.failQueued('SMPP_NOT_BOUND', 'the connection dropped before the PDU was sent');
    if (this.state === 'closed') return;
    const reason = this.lastProblem || 'connection closed';
    this.lastProblem = '';
    const delay = backoffDelay(this.attempt++, this.opts.reconnectMinMs, this.opts.reconnectMaxMs, this.opts.random);
    this.setState('down', `${reason}; reconnecting in ${delay} ms`);
    this.firstAttemptDone();
    this.reconnectTimer = this.opts.clock.setTimeout(() => this.connect(), delay);
  }

  private pump(): void {
    const link = this.link;
    if (this.state !== 'bound' || !link) return;
    const { clock, windowSize } = this.opts;
    while (this.head < this.queue.length && this.inflight.size < windowSize) {
      const now = clock.now();
      const wait = Math.max(this.throttledUntil - now, this.bucket.msUntilNext());
      if (wait > 0) return this.pumpLater(wait);
      this.bucket.take();
      const job = this.queue[this.head++]!;
      const seq = link.nextSequence();
      job.at = now;
      this.inflight.set(seq, job);
      link.send('submit_sm', seq, job.fields);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.ensureSweep();
  }

  private pumpLater(ms: number): void {
    if (this.pumpTimer) return;
    this.pumpTimer = this.opts.clock.setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, ms);
    this.ensureSweep();
  }

  /** One timer for all deadlines (thousands of PDUs a second: no timer each). */
  private ensureSweep(): void {
    if (this.sweepTimer || (this.inflight.size === 0 && this.queued === 0)) return;
    const every = Math.max(10, Math.min(1000, Math.floor(Math.min(this.opts.responseTimeoutMs, this.opts.queueTimeoutMs) / 4)));
    this.sweepTimer = this.opts.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
      this.ensureSweep();
    }, every);
  }

  private sweep(): void {
    const now = this.opts.clock.now();
    for (const [seq, job] of this.inflight) {
      if (now - job.at < this.opts.responseTimeoutMs) break; // Map keeps send order
      this.inflight.delete(seq);
      job.resolve({ kind: 'lost', code: 'SMPP_NO_RESPONSE', reason: `no submit_sm_resp within ${this.opts.responseTimeoutMs} ms` });
    }
    while (this.head < this.queue.length && now - this.queue[this.head]!.at >= this.opts.queueTimeoutMs) {
      this.queue[this.head++]!.resolve({ kind: 'not-sent', code: 'SMPP_QUEUE_FULL', reason: `waited ${this.opts.queueTimeoutMs} ms for room in the window` });
    }
    this.pump();
  }

  private scheduleEnquire(): void {
    this.enquireTimer = this.opts.clock.setTimeout(() => {
      const link = this.link;
      if (!link || this.state !== 'bound') return;
      this.enquireSeq = link.nextSequence();
      link.send('enquire_link', this.enquireSeq);
      this.enquireDeadline = this.opts.clock.setTimeout(() => {
        this.lastProblem = `enquire_link unanswered for ${this.opts.enquireLinkTimeoutMs} ms: link dead`;
        link.destroy();
      }, this.opts.enquireLinkTimeoutMs);
    }, this.opts.enquireLinkSec * 1000);
  }

  private onEnquireAnswered(): void {
    this.enquireDeadline?.cancel();
    this.enquireDeadline = undefined;
    this.enquireSeq = 0;
    this.scheduleEnquire();
  }

  private failInflight(code: 'SMPP_CONNECTION_LOST' | 'SMPP_NO_RESPONSE', reason: string): void {
    const jobs = [...this.inflight.values()];
    this.inflight.clear();
    for (const job of jobs) job.resolve({ kind: 'lost', code, reason });
  }

  private failQueued(code: 'SMPP_NOT_BOUND' | 'SMPP_STOPPING', reason: string): void {
    const jobs = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    for (const job of jobs) job.resolve({ kind: 'not-sent', code, reason });
  }

  private clearTimers(): void {
    for (const t of [this.bindTimer, this.enquireTimer, this.enquireDeadline, this.pumpTimer, this.sweepTimer, this.reconnectTimer]) t?.cancel();
    this.bindTimer = this.enquireTimer = this.enquireDeadline = this.pumpTimer = this.sweepTimer = this.reconnectTimer = undefined;
  }

  private setState(state: BindState, detail: string): void {
    if (this.state === 'closed' && state !== 'closed') return;
    const changed = state !== this.state || detail !== this.detail;
    this.state = state;
    this.detail = detail;
    if (state === 'down' || state === 'closed') this.opts.log.info({ bind: this.name, state, detail }, 'smpp: bind state');
    if (changed) this.events.state(this);
  }
}
