/**
 * One SMPP TCP (or TLS) connection as a stream of typed PDUs, for both sides: the channel's
 * binds and the simulated SMSC. It frames bytes into PDUs, validates each one, and answers
 * what it cannot read with generic_nack (SMPP 3.4 §4.3) instead of throwing:
 *   - a length field outside 16 … 16 KiB: generic_nack ESME_RINVCMDLEN, then the connection
 *     is closed (the byte stream can no longer be framed);
 *   - an unknown command: generic_nack ESME_RINVCMDID, the link goes on;
 *   - a known command with a body that cannot be read: generic_nack ESME_RINVMSGLEN.
 * A handler that throws is caught and reported through onError: network input never
 * crashes the process.
 */
import type { Socket } from 'node:net';
import { decodePdu, encodePdu, HEADER_LENGTH, MAX_PDU_LENGTH, STATUS, type CommandName, type Pdu } from './smpp-pdu.ts';

export interface PduLinkHandlers {
  pdu(pdu: Pdu): void;
  /** A PDU that was refused (already nacked), or a handler that threw. */
  problem?(reason: string): void;
  close(): void;
}

export class PduLink {
  private buffered: Buffer | null = null;
  private sequence = 0;
  private corked = false;
  closed = false;

  constructor(
    readonly socket: Socket,
    private readonly handlers: PduLinkHandlers,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.report(`socket error: ${err.message}`));
    socket.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      this.safely(() => this.handlers.close());
    });
  }

  /** Sequence numbers 1 … 0x7FFFFFFF, wrapping (§2.6). */
  nextSequence(): number {
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    return this.sequence;
  }

  send(command: CommandName, sequence: number, fields?: Parameters<typeof encodePdu>[2], status = 0): boolean {
    if (this.closed || !this.socket.writable) return false;
    this.write(encodePdu(command, sequence, fields, status));
    return true;
  }

  /** Writes raw bytes (the simulated SMSC uses this to inject malformed PDUs). */
  write(bytes: Buffer): void {
    if (this.closed || !this.socket.writable) return;
    // Many PDUs leave in one tick under load: one writev instead of one syscall each.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const buf = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    let offset = 0;
    while (buf.length - offset >= 4) {
      const length = buf.readUInt32BE(offset);
      if (length < HEADER_LENGTH || length > MAX_PDU_LENGTH) {
        const seq = buf.length - offset >= 16 ? buf.readUInt32BE(offset + 12) : 0;
        this.send('generic_nack', seq, undefined, STATUS.ESME_RINVCMDLEN);
        this.report(`PDU length ${length} outside ${HEADER_LENGTH}…${MAX_PDU_LENGTH}: closing the connection`);
        this.buffered = null;
        this.socket.end();
        return;
      }
      if (buf.length - offset < length) break;
      const frame = buf.subarray(offset, offset + length);
      offset += length;
      this.dispatch(frame);
      if (this.closed) return;
    }
    this.buffered = offset < buf.length ? Buffer.from(buf.subarray(offset)) : null;
  }

  private dispatch(frame: Buffer): void {
    const decoded = decodePdu(frame);
    if (!decoded.ok) {
      // Never nack a response or a nack: the peer would answer with another nack, for ever.
      if ((decoded.commandId & 0x80000000) === 0) this.send('generic_nack', decoded.sequence, undefined, decoded.nack);
      this.report(decoded.reason);
      return;
    }
    this.safely(() => this.handlers.pdu(decoded.pdu));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.report(`handler failed: ${(err as Error).message}`);
    }
  }

  private report(reason: string): void {
    try {
      this.handlers.problem?.(reason);
    } catch {
      // A reporting failure must not become a crash either.
    }
  }
}
