/**
 * Pass 2 of an import: the rows pass 1 accepted are upserted in batches, one
 * transaction per batch, yielding to the event loop between batches so the API and
 * the dialer keep running during a large import. Upserts make re-imports idempotent:
 * debtors by external ref, phones by (debtor, number), claims by (debtor, invoice),
 * contacts by (campaign, claim).
 *
 * Each batch is staged in temporary tables and upserted set-based (store/imports.ts
 * ImportStage; one transaction, per-row foreign-key checks replaced by one parent check): measured ~1.8× faster than one upsert per row and table, and faster
 * than passing batches as JSON through json_each (SQLite re-parses each row's JSON for
 * every field it extracts).
 *
 * Debtors and claims are written with each batch; phones and contacts wait and are
 * written together every `flushRows` rows (and at the end), so a contact never exists
 * before its debtor's phones. The phone-number index is keyed by random numbers: every
 * write touches most of its pages and each commit copies them to the WAL again, so
 * writing it less often is the largest saving left (scripts/bench-import-floor.ts). The
 * price is a longer pause of the event loop at each flush, so the service only uses long
 * flushes while nothing is dialling (ImportService).
 */
import { createReadStream } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Store } from '../../store/repositories.ts';
import { deserialise, type SpilledRow } from './spill.ts';

export interface WriteOptions {
  store: Pick<Store, 'debtors' | 'claims' | 'contacts' | 'imports'>;
  spillPath: string;
  campaignId: number;
  importId: number;
  timeZone: string;
  /** The import's own timestamp: unique, so "created by this import" can be counted afterwards. */
  now: string;
  /** Lines pass 1 found to repeat an earlier (debtor, invoice) pair, ascending: not written. */
  skipLines?: readonly number[];
  batchSize?: number;
  /** Before each batch: how many rows of phones and contacts may wait for a flush (default: one batch). */
  flushRows?(): number;
  onProgress?(rows: number): void;
  /**
   * Called inside the transaction that makes rows whole (phones and contacts written too),
   * with how many rows are whole so far: the import record can say so even after a kill -9.
   */
  onWritten?(rows: number): void;
  /** Checked between batches: an interrupted import stops after a whole batch. */
  signal?: AbortSignal;
}

export interface WriteResult {
  rowsImported: number;
  debtorsCreated: number;
  claimsCreated: number;
  claimsUpdated: number;
}

export async function writeRows(o: WriteOptions): Promise<WriteResult> {
  const { debtors, claims, contacts } = o.store;
  const stage = o.store.imports.stage();
  const { now, campaignId, importId, timeZone } = o;
  const batchSize = o.batchSize ?? 5000;
  /** Rows whose debtor and claim are written. */
  let rows = 0;

  let waiting = 0;
  const flushDeferred = () => {
    debtors.upsertStagedPhones(now);
    contacts.upsertStaged(campaignId, importId, now);
    stage.clearDeferred();
    waiting = 0;
    // In the same transaction as the rows, so a kill between batches leaves a true count.
    o.onWritten?.(rows);
  };
  const writeBatch = (batch: SpilledRow[], last: boolean) =>
    stage.batch(campaignId, importId, () => {
      if (rows === 0) stage.clearDeferred();
      const from = stage.load(batch);
      debtors.upsertStaged(timeZone, now, from);
      claims.upsertStaged(now, from);
      waiting += batch.length;
      rows += batch.length;
      if (last || waiting >= (o.flushRows?.() ?? batchSize)) flushDeferred();
    });

  let batch: SpilledRow[] = [];
  const flush = async (last = false) => {
    if (o.signal?.aborted) {
      // What is written stays whole: the waiting phones and contacts go in before stopping.
      if (waiting > 0) stage.batch(campaignId, importId, flushDeferred);
      o.signal.throwIfAborted();
    }
    writeBatch(batch, last);
    batch = [];
    o.onProgress?.(rows);
    await nextTurn();
  };
  const skip = o.skipLines ?? [];
  let s = 0;
  const take = (text: string) => {
    const row = deserialise(text);
    while (s < skip.length && skip[s]! < row.line) s++;
    if (s < skip.length && skip[s] === row.line) return;
    batch.push(row);
  };
  let rest = '';
  for await (const chunk of createReadStream(o.spillPath, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      take(text.slice(start, nl));
      start = nl + 1;
      if (batch.length >= batchSize) await flush();
    }
    rest = text.slice(start);
  }
  if (rest) take(rest);
  await flush(true);
  const claimsCreated = claims.countCreatedAt(now);
  return { rowsImported: rows, debtorsCreated: debtors.countCreatedAt(now), claimsCreated, claimsUpdated: rows - claimsCreated };
}
