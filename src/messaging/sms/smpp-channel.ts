/**
 * The SMS channel over SMPP 3.4: the SmsChannel of src/messaging/types.ts on one or more
 * binds (smpp-bind.ts), round-robin over those that are bound.
 *
 * submit() ends in one of four ways (never a throw for anything the network does):
 *   ok         every part accepted; providerId = the first part's id, parts = how many.
 *   retry      nothing was taken: not bound, queue full, ESME_RTHROTTLED / ESME_RMSGQFUL on
 *              the first part (retryAfterMs says when), or the bind dropped before it left.
 *   permanent  the SMSC refused the first part with any other status (code = its name, e.g.
 *              ESME_RINVDSTADR), or the message itself is unsendable (bad number, sender,
 *              too long): SMS_BAD_DESTINATION, SMS_BAD_SENDER, SMS_TOO_LONG, SMS_EMPTY.
 *   uncertain  a PDU left and its answer never came (SMPP_CONNECTION_LOST, SMPP_NO_RESPONSE),
 *              or a later part was refused after earlier parts were accepted (SMS_PARTIAL):
 *              the handset may have (part of) it; the outbox must not resend blindly.
 * A later part that is throttled waits and is tried again on the same bind (its earlier
 * parts are already with the SMSC, so handing the message back would send them twice).
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../lib/clock.ts';
import type { ErrorCode } from '../../lib/errors.ts';
import { maskPhone, type Logger } from '../../lib/log.ts';
import type { ChannelEvents, ChannelHealth, OutgoingSms, SmsChannel, SubmitResult } from '../types.ts';
import { destinationAddress, fromSmppAddress, senderAddress } from './addresses.ts';
import { concatUdh, readParts, Reassembler } from './concat.ts';
import { parseDeliveryReceipt } from './dlr.ts';
import { decodeByDataCoding, encodeSms } from './gsm.ts';
import { ReceiptBook } from './receipts.ts';
import { SmppBind, type BindOptions, type SendOutcome } from './smpp-bind.ts';
import { ESM_RECEIPT_MASK, ESM_UDHI, STATUS, statusName, type MessagePdu } from './smpp-pdu.ts';

export interface SmppChannelOptions {
  binds: Array<Omit<BindOptions, 'clock' | 'random' | 'log'>>;
  clock: Clock;
  log: Logger;
  random?: () => number;
  maxParts: number;
  /** Submits waiting across all binds before submit() answers retry SMPP_QUEUE_FULL. */
  maxQueued: number;
  /** How long a receipt for an id not (yet) known is held for its submit_sm_resp. */
  unknownReceiptHoldMs: number;
  multipartReceiptWaitMs: number;
  receiptTrackMs: number;
  inboundPartsWaitMs: number;
  /** Tries of a throttled later part before the message is uncertain. */
  laterPartTries: number;
}

type Refusal = Extract<SubmitResult, { ok: false }>;
/** Our own codes come from the catalogue; an SMSC refusal keeps its ESME_* name. */
type RefusalCode = ErrorCode | `ESME_${string}`;
const refuse = (kind: Refusal['kind'], code: RefusalCode, reason: string, retryAfterMs?: number): Refusal =>
  retryAfterMs === undefined ? { ok: false, kind, code, reason } : { ok: false, kind, code, reason, retryAfterMs };

export class SmppChannel extends EventEmitter<ChannelEvents> implements SmsChannel {
  readonly kind = 'sms' as const;
  readonly binds: SmppBind[];
  private rr = 0;
  private ref = 0;
  private stopping = false;
  private readonly receipts: ReceiptBook;
  private readonly reassembler: Reassembler<{ from: string; to: string }>;
  /** submit → submit_sm_resp, clock ms (for the benchmark and /metrics). */
  readonly latencies: number[] = [];
  recordLatency = false;
  stats = { receipts: 0, inbound: 0, badReceipts: 0 };

  constructor(private readonly o: SmppChannelOptions) {
    super();
    const random = o.random ?? Math.random;
    this.binds = o.binds.map(
      (b) =>
        new SmppBind({ ...b, clock: o.clock, random, log: o.log }, {
          state: () => this.tell('health', this.health()),
          deliver: (_bind, pdu) => this.onDeliver(pdu),
          latency: (ms) => {
            if (this.recordLatency) this.latencies.push(ms);
          },
        }),
    );
    this.receipts = new ReceiptBook({
      clock: o.clock,
      holdMs: o.unknownReceiptHoldMs,
      multipartWaitMs: o.multipartReceiptWaitMs,
      trackMs: o.receiptTrackMs,
      dedupeSize: 200_000,
      maxTracked: 300_000,
      emit: (r) => {
        this.stats.receipts++;
        this.tell('receipt', r);
      },
    });
    this.reassembler = new Reassembler(o.clock, o.inboundPartsWaitMs, (meta, body) => {
      this.stats.inbound++;
      this.tell('inbound', { channel: 'sms', from: meta.from, to: meta.to, body });
    });
  }

  /** Resolves when every bind has bound or failed its first attempt (they keep retrying). */
  async start(): Promise<void> {
    await Promise.all(this.binds.map((b) => b.start()));
  }

  health(): ChannelHealth {
    const now = this.o.clock.now();
    const links = this.binds.map((b) => ({
      name: b.name,
      state: b.state === 'bound' && b.throttledUntil > now ? 'throttled' : b.state,
      detail: b.detail,
    }));
    const up = links.filter((l) => l.state === 'bound').length;
    const usable = this.binds.filter((b) => b.state === 'bound').length;
    return { channel: 'sms', state: usable === 0 ? 'down' : up === links.length ? 'up' : 'degraded', links };
  }

  async submit(msg: OutgoingSms): Promise<SubmitResult> {
    if (this.stopping) return refuse('retry', 'SMPP_STOPPING', 'the SMS channel is stopping', 1000);
    const dest = destinationAddress(msg.to);
    if (typeof dest === 'string') return refuse('permanent', 'SMS_BAD_DESTINATION', dest);
    const src = senderAddress(msg.from);
    if (typeof src === 'string') return refuse('permanent', 'SMS_BAD_SENDER', src);
    if (msg.body.length === 0) return refuse('permanent', 'SMS_EMPTY', 'the message has no text');
    const enc = encodeSms(msg.body);
    if (enc.parts.length > this.o.maxParts) {
      return refuse('permanent', 'SMS_TOO_LONG', `the text needs ${enc.parts.length} parts (${enc.encoding}); at most ${this.o.maxParts} are allowed`);
    }
    if (this.binds.reduce((n, b) => n + b.queued, 0) >= this.o.maxQueued) {
      return refuse('retry', 'SMPP_QUEUE_FULL', `${this.o.maxQueued} messages already wait for a window`, 1000);
    }
    let bind = this.pickBind();
    if (!bind) return refuse('retry', 'SMPP_NOT_BOUND', `no SMPP bind is up (${this.health().links.map((l) => `${l.name}: ${l.detail ?? l.state}`).join('; ')})`, this.o.binds[0]?.reconnectMinMs ?? 1000);

    const multi = enc.parts.length > 1;
    const ref = (this.ref = (this.ref + 1) & 0xff);
    const tracked = this.receipts.track(enc.parts.length);
    const ids: string[] = [];
    for (let i = 0; i < enc.parts.length; i++) {
      const body = multi ? Buffer.concat([concatUdh(ref, enc.parts.length, i + 1), enc.parts[i]!]) : enc.parts[i]!;
      const fields = {
        service_type: '',
        source_addr_ton: src.ton, source_addr_npi: src.npi, source_addr: src.addr,
        dest_addr_ton: dest.ton, dest_addr_npi: dest.npi, destination_addr: dest.addr,
        esm_class: multi ? ESM_UDHI : 0,
        registered_delivery: 1,
        data_coding: enc.dataCoding,
        short_message: body,
      };
      let outcome: SendOutcome;
      let tries = 0;
      for (;;) {
        outcome = await bind.submit(fields);
        if (outcome.kind === 'not-sent' && !this.stopping) {
          // It never left: another bind may take it (for a later part too: the SMSC reassembles by UDH ref, not by bind).
          const other = this.pickBind();
          if (other && tries++ < this.binds.length) {
            bind = other;
            continue;
          }
        }
        const throttled = outcome.kind === 'resp' && (outcome.status === STATUS.ESME_RTHROTTLED || outcome.status === STATUS.ESME_RMSGQFUL);
        if (throttled && i > 0 && tries++ < this.o.laterPartTries) {
          await this.o.clock.delay(Math.max(1, bind.throttledUntil - this.o.clock.now()));
          continue;
        }
        break;
      }
      const partOf = multi ? ` (part ${i + 1} of ${enc.parts.length}, ${i} already accepted)` : '';
      switch (outcome.kind) {
        case 'resp':
          if (outcome.status === 0) {
            ids.push(outcome.messageId);
            this.receipts.accepted(tracked, i, outcome.messageId);
            continue;
          }
          if (i > 0) return refuse('uncertain', 'SMS_PARTIAL', `the SMSC refused a part with ${statusName(outcome.status)}${partOf}`);
          if (outcome.status === STATUS.ESME_RTHROTTLED || outcome.status === STATUS.ESME_RMSGQFUL) {
            return refuse('retry', statusName(outcome.status), `the SMSC asked to slow down`, Math.max(1, bind.throttledUntil - this.o.clock.now()));
          }
          return refuse('permanent', statusName(outcome.status), `the SMSC refused the message with ${statusName(outcome.status)}`);
        case 'nack':
          if (i > 0) return refuse('uncertain', 'SMS_PARTIAL', `the SMSC answered generic_nack ${statusName(outcome.status)}${partOf}`);
          return refuse('permanent', statusName(outcome.status), `the SMSC could not read the submit_sm (generic_nack ${statusName(outcome.status)})`);
        case 'not-sent':
          if (i > 0) return refuse('uncertain', 'SMS_PARTIAL', `${outcome.reason}${partOf}`);
          return refuse('retry', outcome.code, outcome.reason, outcome.code === 'SMPP_NOT_BOUND' ? (this.o.binds[0]?.reconnectMinMs ?? 1000) : 1000);
        case 'lost':
          return refuse('uncertain', outcome.code, `${outcome.reason}${partOf}`);
      }
    }
    return { ok: true, providerId: ids[0]!, parts: ids.length };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.binds.map((b) => b.close()));
    this.receipts.close();
    this.reassembler.close();
  }

  /**
   * Emits to the listeners; one that throws is logged, not propagated: the deliver_sm must
   * still be acknowledged, or the SMSC would send it again and the dedupe would drop it.
   */
  private tell<E extends keyof ChannelEvents>(event: E, ...args: ChannelEvents[E]): void {
    try {
      (this.emit as (e: E, ...a: ChannelEvents[E]) => boolean)(event, ...args);
    } catch (err) {
      this.o.log.error({ err, event }, 'sms channel: a listener failed');
    }
  }

  /** The same as stop(), for callers that close every running thing alike. */
  close(): Promise<void> {
    return this.stop();
  }

  /** Round-robin over bound binds; a throttled one is skipped while another can take the message. */
  private pickBind(): SmppBind | undefined {
    const now = this.o.clock.now();
    let fallback: SmppBind | undefined;
    for (let k = 0; k < this.binds.length; k++) {
      const b = this.binds[(this.rr + k) % this.binds.length]!;
      if (b.state !== 'bound') continue;
      if (b.throttledUntil > now) {
        fallback ??= b;
        continue;
      }
      this.rr = (this.rr + k + 1) % this.binds.length;
      return b;
    }
    return fallback;
  }

  private onDeliver(pdu: MessagePdu): number {
    if (pdu.esmClass & ESM_RECEIPT_MASK) {
      const text = decodeByDataCoding(readParts(pdu).body, pdu.dataCoding);
      const parsed = parseDeliveryReceipt(text, { receiptedMessageId: pdu.receiptedMessageId, messageState: pdu.messageState });
      if (!parsed.ok) {
        this.stats.badReceipts++;
        this.o.log.warn({ reason: parsed.reason }, 'smpp: unreadable delivery receipt (acknowledged, dropped)');
        return 0; // an error status makes the SMSC resend the same unreadable receipt for ever
      }
      this.receipts.receive(parsed.receipt);
      return 0;
    }
    if (!pdu.source) {
      this.o.log.warn({ to: maskPhone(pdu.destination) }, 'smpp: inbound message without a sender');
      return STATUS.ESME_RINVSRCADR;
    }
    this.reassembler.add({ from: fromSmppAddress(pdu.sourceTon, pdu.source), to: fromSmppAddress(pdu.destTon, pdu.destination) }, pdu);
    return 0;
  }
}
