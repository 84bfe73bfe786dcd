/**
 * Concatenated SMS (3GPP TS 23.040 §9.2.3.24.1): the 6-octet UDH `05 00 03 ref total seq`
 * we send, the 8-bit and 16-bit reference forms we accept, and reassembly of incoming
 * parts. Shared by the channel (replies from handsets) and the simulated SMSC (the handset
 * inbox). Parts are joined as bytes and decoded once, so a character that a sender split
 * across two parts still decodes.
 */
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import { decodeByDataCoding } from './gsm.ts';
import { ESM_UDHI, type MessagePdu } from './smpp-pdu.ts';

export function concatUdh(ref: number, total: number, seq: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]);
}

export interface PartInfo {
  ref: number;
  total: number;
  seq: number;
}

/** Splits a message into its concatenation info (UDH or sar_* TLVs) and the text bytes. Never throws. */
export function readParts(m: Pick<MessagePdu, 'esmClass' | 'message' | 'sar'>): { part?: PartInfo; body: Buffer } {
  if (m.esmClass & ESM_UDHI && m.message.length > 0) {
    const udhl = m.message[0]!;
    if (udhl + 1 > m.message.length) return { body: Buffer.alloc(0) };
    let part: PartInfo | undefined;
    for (let i = 1; i + 1 < udhl + 1; ) {
      const iei = m.message[i]!, len = m.message[i + 1]!;
      const data = m.message.subarray(i + 2, i + 2 + len);
      if (iei === 0x00 && len === 3) part = { ref: data[0]!, total: data[1]!, seq: data[2]! };
      if (iei === 0x08 && len === 4) part = { ref: data.readUInt16BE(0), total: data[2]!, seq: data[3]! };
      i += 2 + len;
    }
    const body = m.message.subarray(udhl + 1);
    return part && part.total > 0 && part.seq >= 1 && part.seq <= part.total ? { part, body } : { body };
  }
  if (m.sar && m.sar.total > 0 && m.sar.seq >= 1 && m.sar.seq <= m.sar.total) return { part: m.sar, body: m.message };
  return { body: m.message };
}

interface Pending {
  parts: Array<Buffer | undefined>;
  received: number;
  dataCoding: number;
  timer: TimerHandle;
}

/**
 * Holds parts until a message is whole. A message whose parts stop coming is released
 * after `waitMs` with a gap marker where parts are missing: a partial reply is still a reply.
 */
export class Reassembler<Meta extends { from: string; to: string }> {
  private readonly pending = new Map<string, Pending & { meta: Meta }>();

  constructor(
    private readonly clock: Clock,
    private readonly waitMs: number,
    private readonly deliver: (meta: Meta, text: string, complete: boolean) => void,
  ) {}

  add(meta: Meta, m: Pick<MessagePdu, 'esmClass' | 'message' | 'sar' | 'dataCoding'>): void {
    const { part, body } = readParts(m);
    if (!part || part.total === 1) return this.deliver(meta, decodeByDataCoding(body, m.dataCoding), true);
    const key = `${meta.from}|${meta.to}|${part.ref}|${part.total}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { parts: new Array(part.total), received: 0, dataCoding: m.dataCoding, meta, timer: this.clock.setTimeout(() => this.flush(key, false), this.waitMs) };
      this.pending.set(key, p);
    }
    if (p.parts[part.seq - 1]) return; // a duplicate part
    p.parts[part.seq - 1] = Buffer.from(body);
    p.received++;
    if (p.received === part.total) this.flush(key, true);
  }

  get waiting(): number {
    return this.pending.size;
  }

  close(): void {
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
  }

  private flush(key: string, complete: boolean): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    p.timer.cancel();
    const text = complete
      ? decodeByDataCoding(Buffer.concat(p.parts as Buffer[]), p.dataCoding)
      : Array.from(p.parts, (b) => (b ? decodeByDataCoding(b, p.dataCoding) : '[…]')).join(''); // map() would skip the holes
    this.deliver(p.meta, text, complete);
  }
}
