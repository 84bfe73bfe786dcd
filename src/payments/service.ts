/**
 * Payments in, shared by the API (POST /payments/files, POST /payments) and
 * `bereik payments import`: a file is read twice — once to check it whole (a cut-off or
 * refused file writes nothing), once to match and store each entry in batches, yielding
 * between batches so calls and the API keep going. Every entry is stored once per
 * (source, external id), so the same file twice, two overlapping statements or a webhook
 * retried change nothing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BereikError } from '../lib/errors.ts';
import { isoUtc, type Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/repositories.ts';
import type { ClaimEffect, NewPayment, PaymentFileCounts, PaymentFileRow, PaymentRow } from '../store/payments.ts';
import type { PaymentFileKind } from '../store/types.ts';
import { Camt053Parser, CamtFormatError } from './camt053.ts';
import { parsePaymentCsv } from './csv.ts';
import { matchPayment } from './match.ts';
import { XmlError } from './xml.ts';
import type { EntrySink, IgnoredEntry, PaymentEntry, RejectedEntry } from './types.ts';

/** Bad entries listed in a summary; the count covers them all. */
export const MAX_LISTED_REJECTS = 1000;
const BATCH = 2000;

export interface PaymentFileSummary extends PaymentFileCounts {
  fileId: number;
  fileName: string | null;
  kind: PaymentFileKind;
  sha256: string;
  /** The same file was read before: nothing changed, the counts are those of the first time. */
  alreadyImported: boolean;
  /** Claims this file paid in full. */
  claimsPaid: number;
  rejects: RejectedEntry[];
  ignoredEntries: IgnoredEntry[];
}

/** What one entry did. */
export type EntryOutcome =
  | { kind: 'duplicate'; payment: PaymentRow }
  | { kind: 'matched' | 'unmatched' | 'reversed' | 'reversal_unmatched'; payment: PaymentRow; effect: ClaimEffect | null; reason?: string };

export interface PaymentServiceDeps {
  store: Pick<Store, 'payments'>;
  clock: Clock;
  log: Logger;
}

export class PaymentService {
  constructor(private readonly d: PaymentServiceDeps) {}

  /** Matches and stores one entry (a file's, or the webhook's). */
  apply(e: PaymentEntry, fileId: number | null, at: string): EntryOutcome {
    const payments = this.d.store.payments;
    const existing = payments.byExternalId(e.source, e.externalId);
    if (existing) return { kind: 'duplicate', payment: existing };
    const m = matchPayment(e, payments);
    const { invoiceRef: _i, debtorRef: _d, claimId: _c, where: _w, ...facts } = e;
    const p: NewPayment = {
      ...facts,
      claimId: m.matched ? m.claim.id : null, debtorId: m.matched ? m.claim.debtorId : (m.debtorId ?? null), matchedBy: m.matched ? m.rule : null, fileId,
    };
    if (e.kind === 'reversal') {
      const r = payments.recordReversal(p, at);
      if (r.kind === 'duplicate') return { kind: 'duplicate', payment: r.existing };
      return r.original ? { kind: 'reversed', payment: r.payment, effect: r.effect } : { kind: 'reversal_unmatched', payment: r.payment, effect: null, reason: 'no earlier payment found that this storno takes back' };
    }
    const r = payments.record(p, at);
    if (r.kind === 'duplicate') return { kind: 'duplicate', payment: r.existing };
    return m.matched ? { kind: 'matched', payment: r.payment, effect: r.effect } : { kind: 'unmatched', payment: r.payment, effect: null, reason: m.reason };
  }

  /** Reads a payment file (CSV or CAMT.053, told apart by its content) into payments. */
  async importFile(o: { path: string; fileName: string | null; signal?: AbortSignal }): Promise<PaymentFileSummary> {
    const { sha256, kind } = await inspect(o.path);
    const payments = this.d.store.payments;
    const known = payments.fileBySha(sha256);
    if (known?.completedAt) return { ...summaryOf(known), fileName: known.name, alreadyImported: true, claimsPaid: 0, rejects: [], ignoredEntries: [] };

    // Pass 1: the whole file must read before anything is written.
    await this.read(o.path, kind, { entry: () => {}, reject: () => {}, ignore: () => {} });

    const at = isoUtc(this.d.clock.now());
    const file = payments.startFile({ sha256, name: o.fileName, kind }, at);
    const s: PaymentFileSummary = {
      fileId: file.id, fileName: o.fileName, kind, sha256, alreadyImported: false,
      entries: 0, matched: 0, unmatched: 0, duplicates: 0, reversed: 0, ignored: 0, rejected: 0, claimsPaid: 0, rejects: [], ignoredEntries: [],
    };
    let pending: PaymentEntry[] = [];
    /** Writes what is pending, BATCH entries per transaction, yielding between them (a CSV arrives whole). */
    const flush = async (all: boolean) => {
      while (pending.length >= BATCH || (all && pending.length > 0)) {
        const batch = pending.splice(0, BATCH);
        payments.batch(() => {
          for (const e of batch) this.count(s, this.apply(e, file.id, at));
        });
        o.signal?.throwIfAborted();
        await nextTurn();
      }
    };
    const sink: EntrySink = {
      entry: (e) => {
        s.entries++;
        pending.push(e);
      },
      reject: (r) => {
        s.rejected++;
        if (s.rejects.length < MAX_LISTED_REJECTS) s.rejects.push(r);
      },
      ignore: (i) => {
        s.ignored++;
        if (s.ignoredEntries.length < MAX_LISTED_REJECTS) s.ignoredEntries.push(i);
      },
    };
    await this.read(o.path, kind, sink, () => flush(false));
    await flush(true);
    const { entries, matched, unmatched, duplicates, reversed, ignored, rejected } = s;
    payments.finishFile(file.id, { entries, matched, unmatched, duplicates, reversed, ignored, rejected }, isoUtc(this.d.clock.now()));
    this.d.log.info({ fileId: file.id, kind, entries: s.entries, matched: s.matched, unmatched: s.unmatched, duplicates: s.duplicates, reversed: s.reversed, rejected: s.rejected }, 'payment file read');
    return s;
  }

  private count(s: PaymentFileSummary, r: EntryOutcome): void {
    if (r.kind === 'duplicate') s.duplicates++;
    else if (r.kind === 'matched') s.matched++;
    else if (r.kind === 'reversed') s.reversed++;
    else s.unmatched++;
    if (r.kind !== 'duplicate' && r.effect?.becamePaid) s.claimsPaid++;
  }

  /** Feeds the file to its parser; `between` runs after every chunk (where a batch is written). */
  private async read(path: string, kind: PaymentFileKind, sink: EntrySink, between?: () => Promise<void>): Promise<void> {
    try {
      if (kind === 'csv') {
        parsePaymentCsv(decodeCsv(await readFile(path)), sink);
        await between?.();
        return;
      }
      const parser = new Camt053Parser(sink);
      const decoder = new TextDecoder('utf-8', { fatal: true });
      for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
        parser.push(decoder.decode(chunk, { stream: true }));
        await between?.();
      }
      parser.push(decoder.decode());
      parser.end();
    } catch (err) {
      if (err instanceof XmlError || err instanceof CamtFormatError) throw new BereikError('PAYMENT_BAD_FILE', `CAMT.053: ${err.message}`, { kind });
      if (err instanceof TypeError && (err as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
        throw new BereikError('PAYMENT_BAD_FILE', 'CAMT.053: the file is not UTF-8', { kind });
      }
      throw err;
    }
  }
}

function summaryOf(f: PaymentFileRow): Omit<PaymentFileSummary, 'fileName' | 'alreadyImported' | 'claimsPaid' | 'rejects' | 'ignoredEntries'> {
  return { fileId: f.id, kind: f.kind, sha256: f.sha256, entries: f.entries, matched: f.matched, unmatched: f.unmatched, duplicates: f.duplicates, reversed: f.reversed, ignored: f.ignored, rejected: f.rejected };
}

/** The file's SHA-256 and whether it is XML (a CAMT statement) or CSV, from its first bytes. */
async function inspect(path: string): Promise<{ sha256: string; kind: PaymentFileKind }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    h.update(chunk);
    size += chunk.length;
  }
  if (size === 0) throw new BereikError('PAYMENT_BAD_FILE', 'the file is empty');
  const fd = await open(path);
  try {
    const { buffer, bytesRead } = await fd.read(Buffer.alloc(512), 0, 512, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\ufeff/, '').trimStart();
    if (bytesRead >= 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))) {
      throw new BereikError('PAYMENT_BAD_FILE', 'the file is UTF-16; save it as UTF-8');
    }
    return { sha256: h.digest('hex'), kind: head.startsWith('<') ? 'camt053' : 'csv' };
  } finally {
    await fd.close();
  }
}

/** UTF-8 (with or without BOM), else Windows-1252 as older Dutch back offices write it. */
function decodeCsv(bytes: Buffer): string {
  if (bytes.includes(0)) throw new BereikError('PAYMENT_BAD_FILE', 'the file is binary (it holds NUL bytes): send a CSV or a CAMT.053 XML file');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
