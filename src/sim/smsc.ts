/**
 * The simulated SMSC: SMPP 3.4 over real TCP (or TLS), built on the `smpp` package's own
 * server and codec. It deliberately shares no SMPP code with src/messaging: the channel's
 * encoder, UDH and receipt parsing are checked against an independent implementation.
 *
 * - Binds: bind_transceiver with configured credentials; wrong ones get ESME_RINVPASWD.
 * - submit_sm: answered with an id; a delivery receipt follows after `receiptDelayMs` with
 *   the outcome `outcomeFor(to)` (default: numbers ending in 99 are UNDELIV, 98 EXPIRED,
 *   97 REJECTD; the rest DELIVRD).
 * - The handset: what each number received, parts reassembled by UDH ref and decoded
 *   (`inbox(e164)`); `reply(from, to, text)` sends an inbound deliver_sm.
 * - Faults for tests (`faults`): refuse binds, throttle, slow answers (window full), drop
 *   connections, receipts before the submit_sm_resp, duplicate receipts, slow or no
 *   enquire_link_resp, raw bytes.
 */
import type { AddressInfo } from 'node:net';
import smppModule from 'smpp';
import { SystemClock, type Clock } from '../lib/clock.ts';
import type { ReceiptState } from '../messaging/types.ts';

// The package's server side is untyped; these are the few members used here.
interface SimSession {
  on(event: string, fn: (pdu: SimPdu) => void): void;
  on(event: 'close' | 'error', fn: (err?: Error) => void): void;
  send(pdu: unknown): boolean;
  deliver_sm(options: Record<string, unknown>, cb?: (pdu: SimPdu) => void): boolean;
  pause(): void;
  resume(): void;
  destroy(): void;
  socket: import('node:net').Socket;
}
interface SimPdu {
  command: string;
  command_status: number;
  sequence_number: number;
  system_id?: string;
  password?: string;
  destination_addr?: string;
  dest_addr_ton?: number;
  source_addr?: string;
  source_addr_ton?: number;
  esm_class?: number;
  data_coding?: number;
  registered_delivery?: number;
  short_message?: { udh?: Buffer[]; message?: string | Buffer };
  response(options?: Record<string, unknown>): unknown;
}
interface SimServer {
  listen(port: number, host: string, cb: () => void): void;
  close(cb?: () => void): void;
  address(): AddressInfo;
  sessions: SimSession[];
  on(event: 'session', fn: (s: SimSession) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}
const smpp = smppModule as unknown as { createServer(opts: Record<string, unknown>, fn?: (s: SimSession) => void): SimServer };

export interface HandsetMessage {
  from: string;
  text: string;
  parts: number;
  dataCoding: number;
}

export interface ReceiptOutcome {
  state: ReceiptState;
  err?: string;
}

export interface SimSmscOptions {
  port?: number;
  host?: string;
  credentials?: Array<{ systemId: string; password: string }>;
  clock?: Clock;
  receiptDelayMs?: number;
  outcomeFor?: (to: string) => ReceiptOutcome | null;
  /** 'decimal': receipts name the message in decimal while submit_sm_resp gave hex (a real-world quirk). */
  /** 'omitted': no id: field in the text at all (some SMSCs rely on the TLV alone). */
  receiptIds?: 'same' | 'decimal' | 'omitted';
  /** Also send the receipted_message_id and message_state TLVs (SMPP 3.4 §5.3.2.12, §5.3.2.35), with the submit_sm_resp id. */
  receiptTlvs?: boolean;
  /** Keep the handset inbox (off in benchmarks: memory). */
  keepInbox?: boolean;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface SmscFaults {
  /** Refuse every bind with this status (e.g. 0x0d ESME_RBINDFAIL); 0 = accept. */
  refuseBinds: number;
  /** Answer the next N submit_sm with ESME_RTHROTTLED. */
  throttleNext: number;
  /** Answer submit_sm above this many per second with ESME_RTHROTTLED (0 = no limit). */
  maxPerSecond: number;
  /** Delay every submit_sm_resp (a full window on the client side). */
  respDelayMs: number;
  /** Send the receipt before the submit_sm_resp. */
  receiptBeforeResp: boolean;
  /** Send each receipt this many extra times. */
  duplicateReceipts: number;
  /** Delay enquire_link_resp; Infinity = never answer. */
  enquireLinkDelayMs: number;
  /** Refuse submit_sm to these numbers (E.164) with this status, e.g. 0x0b ESME_RINVDSTADR. */
  refuseDestinations: Record<string, number>;
}

export interface SimSmscStats {
  binds: number;
  bindsRefused: number;
  submits: number;
  throttled: number;
  receiptsSent: number;
  /** Most submit_sm a single session had unanswered at once. */
  maxOutstanding: number;
  enquireLinks: number;
}

export const defaultOutcome = (to: string): ReceiptOutcome =>
  to.endsWith('99') ? { state: 'UNDELIV', err: '001' } : to.endsWith('98') ? { state: 'EXPIRED', err: '000' } : to.endsWith('97') ? { state: 'REJECTD', err: '00B' } : { state: 'DELIVRD' };

const MESSAGE_STATE: Record<ReceiptState, number> = { ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8 };

const DEFAULT_FAULTS: SmscFaults = {
  refuseBinds: 0, throttleNext: 0, maxPerSecond: 0, respDelayMs: 0, receiptBeforeResp: false, duplicateReceipts: 0, enquireLinkDelayMs: 0, refuseDestinations: {},
};

interface DueReceipt {
  at: number;
  session: SimSession;
  options: Record<string, unknown>;
}

export class SimSmsc {
  readonly faults: SmscFaults = { ...DEFAULT_FAULTS, refuseDestinations: {} };
  /** submit_sm received per bound session, in bind order (round-robin checks). */
  readonly submitsPerSession: number[] = [];
  readonly stats: SimSmscStats = { binds: 0, bindsRefused: 0, submits: 0, throttled: 0, receiptsSent: 0, maxOutstanding: 0, enquireLinks: 0 };
  private server: SimServer | undefined;
  private readonly bound = new Set<SimSession>();
  private readonly handsets = new Map<string, HandsetMessage[]>();
  private readonly partial = new Map<string, { parts: string[]; got: number; dataCoding: number }>();
  private readonly due: DueReceipt[] = [];
  private dueHead = 0;
  private dueTimer: ReturnType<Clock['setTimeout']> | undefined;
  private nextId = 0x10000;
  private secondStart = 0;
  private inSecond = 0;
  private rr = 0;
  private readonly clock: Clock;
  port = 0;

  constructor(private readonly o: SimSmscOptions = {}) {
    this.clock = o.clock ?? new SystemClock();
  }

  async listen(): Promise<void> {
    const server = smpp.createServer(this.o.tls ? { ...this.o.tls } : {}, (s) => this.onSession(s));
    server.on('error', () => {});
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.o.port ?? this.port, this.o.host ?? '127.0.0.1', resolve));
    this.port = server.address().port;
  }

  /** A bind entry for the `sms` config section that reaches this SMSC (what an empty section means). */
  bindConfig(): { name: string; host: string; port: number; systemId: string; password: string } {
    const c = this.o.credentials?.[0] ?? { systemId: 'bereik', password: 'secret' };
    return { name: 'sim', host: this.o.host ?? '127.0.0.1', port: this.port, ...c };
  }

  /** What a number received: whole messages, decoded. */
  inbox(e164: string): HandsetMessage[] {
    return this.handsets.get(e164) ?? [];
  }

  /** Sessions bound right now. */
  get sessions(): number {
    return this.bound.size;
  }

  /** A handset answers: an inbound deliver_sm (split into UDH parts when long). Resolves when the ESME acknowledged it. */
  reply(from: string, to: string, text: string, ref = (this.nextId++ & 0xff)): Promise<number[]> {
    const sessions = [...this.bound];
    if (sessions.length === 0) return Promise.reject(new Error('SimSmsc.reply: no ESME is bound'));
    const session = sessions[this.rr++ % sessions.length]!;
    const gsm = /^[\x20-\x7e\n\r]*$/.test(text) && !/[\\^{}[\]~|@$_`]/.test(text);
    const chars = Array.from(text);
    const per = gsm ? 150 : 60;
    const chunks: string[] = [];
    for (let i = 0; i < chars.length; i += per) chunks.push(chars.slice(i, i + per).join(''));
    if (chunks.length === 0) chunks.push('');
    const addr = (n: string) => (n.startsWith('+') ? { ton: 1, npi: 1, addr: n.slice(1) } : { ton: 0, npi: 1, addr: n });
    const src = addr(from), dst = addr(to);
    return Promise.all(
      chunks.map(
        (chunk, i) =>
          new Promise<number>((resolve) => {
            const udh = chunks.length > 1 ? Buffer.from([0x05, 0x00, 0x03, ref, chunks.length, i + 1]) : undefined;
            session.deliver_sm(
              {
                source_addr_ton: src.ton, source_addr_npi: src.npi, source_addr: src.addr,
                dest_addr_ton: dst.ton, dest_addr_npi: dst.npi, destination_addr: dst.addr,
                data_coding: gsm ? 0 : 8,
                short_message: udh ? { udh, message: chunk } : { message: chunk },
              },
              (resp) => resolve(resp.command_status),
            );
          }),
      ),
    );
  }

  /** Cuts every connection now (what a crash or a network cut does to in-flight PDUs). */
  dropConnections(): void {
    for (const s of this.server?.sessions ?? []) s.destroy();
    this.bound.clear();
  }

  /** Sends raw bytes to every bound ESME (malformed-PDU tests). */
  sendRaw(bytes: Buffer): void {
    for (const s of this.bound) s.socket.write(bytes);
  }

  /** Stops listening and cuts every connection; listen() again restarts on the same port. */
  async close(): Promise<void> {
    this.dueTimer?.cancel();
    this.dueTimer = undefined;
    this.due.length = 0;
    this.dueHead = 0;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of server.sessions) s.destroy();
    this.bound.clear();
    await closed;
  }

  private onSession(s: SimSession): void {
    let outstanding = 0;
    let index = -1;
    s.on('error', () => {});
    s.on('close', () => this.bound.delete(s));
    s.on('bind_transceiver', (pdu) => {
      const ok = (this.o.credentials ?? [{ systemId: 'bereik', password: 'secret' }]).some((c) => c.systemId === pdu.system_id && c.password === pdu.password);
      const status = this.faults.refuseBinds || (ok ? 0 : 0x0e);
      if (status) this.stats.bindsRefused++;
      else {
        this.stats.binds++;
        this.bound.add(s);
        index = this.submitsPerSession.push(0) - 1;
      }
      s.send(pdu.response({ command_status: status, system_id: 'bereik-sim' }));
    });
    s.on('enquire_link', (pdu) => {
      this.stats.enquireLinks++;
      const d = this.faults.enquireLinkDelayMs;
      if (d === Infinity) return;
      if (d > 0) this.clock.setTimeout(() => s.send(pdu.response()), d);
      else s.send(pdu.response());
    });
    s.on('unbind', (pdu) => {
      this.bound.delete(s);
      s.send(pdu.response());
      s.socket.end();
    });
    s.on('submit_sm', (pdu) => {
      if (!this.bound.has(s)) return void s.send(pdu.response({ command_status: 0x04 }));
      this.stats.submits++;
      this.submitsPerSession[index]!++;
      outstanding++;
      if (outstanding > this.stats.maxOutstanding) this.stats.maxOutstanding = outstanding;
      const answer = () => {
        outstanding--;
        this.answerSubmit(s, pdu);
      };
      if (this.faults.respDelayMs > 0) this.clock.setTimeout(answer, this.faults.respDelayMs);
      else answer();
    });
  }

  private answerSubmit(s: SimSession, pdu: SimPdu): void {
    if (this.throttle()) {
      this.stats.throttled++;
      return void s.send(pdu.response({ command_status: 0x58 }));
    }
    const to = `${pdu.dest_addr_ton === 1 ? '+' : ''}${pdu.destination_addr ?? ''}`;
    const refused = this.faults.refuseDestinations[to];
    if (refused) return void s.send(pdu.response({ command_status: refused }));
    const id = (this.nextId++).toString(16).toUpperCase();
    if (this.o.keepInbox !== false) this.toHandset(to, pdu);
    const outcome = (this.o.outcomeFor ?? defaultOutcome)(to);
    if (!outcome || !(pdu.registered_delivery! & 0x01)) return void s.send(pdu.response({ message_id: id }));
    const receiptId = this.o.receiptIds === 'decimal' ? String(parseInt(id, 16)) : id;
    const now = this.clock.now();
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-T:]/g, '').slice(2, 12);
    const text = `${this.o.receiptIds === 'omitted' ? '' : `id:${receiptId} `}sub:001 dlvrd:${outcome.state === 'DELIVRD' ? '001' : '000'} submit date:${stamp(now)} done date:${stamp(now)} stat:${outcome.state} err:${outcome.err ?? '000'} text:`;
    const options = {
      source_addr_ton: pdu.dest_addr_ton, source_addr_npi: 1, source_addr: pdu.destination_addr,
      dest_addr_ton: pdu.source_addr_ton, dest_addr_npi: 0, destination_addr: pdu.source_addr,
      esm_class: 0x04, data_coding: 0, short_message: { message: text },
      ...(this.o.receiptTlvs ? { receipted_message_id: id, message_state: MESSAGE_STATE[outcome.state] } : {}),
    };
    const copies = 1 + this.faults.duplicateReceipts;
    if (this.faults.receiptBeforeResp) {
      for (let i = 0; i < copies; i++) this.sendReceipt(s, options);
      s.send(pdu.response({ message_id: id }));
      return;
    }
    s.send(pdu.response({ message_id: id }));
    for (let i = 0; i < copies; i++) this.due.push({ at: now + (this.o.receiptDelayMs ?? 50), session: s, options });
    this.armDue();
  }

  private throttle(): boolean {
    if (this.faults.throttleNext > 0) {
      this.faults.throttleNext--;
      return true;
    }
    if (this.faults.maxPerSecond > 0) {
      const now = this.clock.now();
      if (now - this.secondStart >= 1000) {
        this.secondStart = now;
        this.inSecond = 0;
      }
      if (++this.inSecond > this.faults.maxPerSecond) return true;
    }
    return false;
  }

  private sendReceipt(s: SimSession, options: Record<string, unknown>): void {
    if (!this.bound.has(s)) return; // the ESME left: a real SMSC would keep it for the next bind
    this.stats.receiptsSent++;
    // The package's encode filter rewrites short_message in place: give each PDU its own copy.
    s.deliver_sm({ ...options, short_message: { ...(options.short_message as object) } });
  }

  /** One timer for all receipts: at 1,000+ submits/s a timer each would cost more than the SMPP. */
  private armDue(): void {
    if (this.dueTimer || this.dueHead >= this.due.length) return;
    const wait = Math.max(0, this.due[this.dueHead]!.at - this.clock.now());
    this.dueTimer = this.clock.setTimeout(() => {
      this.dueTimer = undefined;
      const now = this.clock.now();
      while (this.dueHead < this.due.length && this.due[this.dueHead]!.at <= now) {
        const d = this.due[this.dueHead++]!;
        this.sendReceipt(d.session, d.options);
      }
      if (this.dueHead > 4096) {
        this.due.splice(0, this.dueHead);
        this.dueHead = 0;
      }
      this.armDue();
    }, wait);
  }

  private toHandset(to: string, pdu: SimPdu): void {
    const sm = pdu.short_message ?? {};
    const text = typeof sm.message === 'string' ? sm.message : (sm.message?.toString('latin1') ?? '');
    const from = `${pdu.source_addr_ton === 1 ? '+' : ''}${pdu.source_addr ?? ''}`;
    const concat = sm.udh?.find((ie) => ie[0] === 0x00 && ie[1] === 3);
    const box = this.handsets.get(to) ?? [];
    this.handsets.set(to, box);
    if (!concat) return void box.push({ from, text, parts: 1, dataCoding: pdu.data_coding ?? 0 });
    const [ref, total, seq] = [concat[2]!, concat[3]!, concat[4]!];
    const key = `${to}|${from}|${ref}|${total}`;
    const p = this.partial.get(key) ?? { parts: new Array<string>(total).fill(''), got: 0, dataCoding: pdu.data_coding ?? 0 };
    this.partial.set(key, p);
    p.parts[seq - 1] = text;
    if (++p.got < total) return;
    this.partial.delete(key);
    box.push({ from, text: p.parts.join(''), parts: total, dataCoding: p.dataCoding });
  }
}

/** Starts a simulated SMSC; `close()` stops it. */
export async function startSimSmsc(opts: SimSmscOptions = {}): Promise<SimSmsc> {
  const sim = new SimSmsc(opts);
  await sim.listen();
  return sim;
}
