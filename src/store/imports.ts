/**
 * Import records and their bad rows. The file's header is kept as a row at line 0 of
 * import_errors (reason '(header)') so the rejects CSV can repeat the original columns
 * without a schema change, and so is the format found in the file (reason '(format)');
 * every query here hides them.
 */
import { hostname } from 'node:os';
import type { Db } from './db.ts';

/** This process, as recorded on the imports it runs: host/pid. */
const OWNER = `${hostname()}/${process.pid}`;

function ownerAlive(owner: string | null): boolean {
  const m = owner ? /^(.*)\/(\d+)$/.exec(owner) : null;
  if (!m || m[1] !== hostname() || Number(m[2]) === process.pid) return false;
  try {
    process.kill(Number(m[2]), 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import type { ImportStatus } from './types.ts';

export type { ImportStatus };

export interface ImportRecord {
  id: number;
  campaignId: number;
  fileName: string | null;
  fileSha256: string;
  status: ImportStatus;
  skipInvalid: boolean;
  rowsTotal: number;
  rowsImported: number;
  rowsRejected: number;
  debtorsCreated: number;
  claimsCreated: number;
  claimsUpdated: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ImportErrorRow {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export type ImportCounts = Pick<ImportRecord, 'fileSha256' | 'rowsTotal' | 'rowsImported' | 'rowsRejected' | 'debtorsCreated' | 'claimsCreated' | 'claimsUpdated'>;

const COLS = `id, campaign_id AS campaignId, file_name AS fileName, file_sha256 AS fileSha256, status, skip_invalid AS skipInvalid,
  rows_total AS rowsTotal, rows_imported AS rowsImported, rows_rejected AS rowsRejected, debtors_created AS debtorsCreated,
  claims_created AS claimsCreated, claims_updated AS claimsUpdated, error, created_at AS createdAt, finished_at AS finishedAt`;

const HEADER_REASON = '(header)';
const FORMAT_REASON = '(format)';

/** What the check pass found out about the file itself, shown beside the counts. */
export interface ImportFormat {
  encoding: string;
  delimiter: string;
  ignoredColumns: string[];
}

/** Temporary tables a batch of checked import rows is loaded into before the set-based upserts. */
export const STAGE = 'temp.import_stage';
/** The rows (STAGE) and phones staged since the last flush: contacts and phones are written together, so a contact never exists before its debtor's phones. */
export const STAGE_PHONES = 'temp.import_stage_phones';

/** One checked import row as the staging tables take it; phones in E.164, first = preferred. */
export interface StagedRow {
  debtorRef: string;
  name: string;
  email: string | null;
  language: string;
  risk: string;
  amountCents: number;
  invoiceRef: string;
  dueDate: string | null;
  creditor: string;
  payUrl: string | null;
  /** Betalingskenmerk, 16 digits (optional column). */
  paymentReference: string | null;
  phones: string[];
}

const STAGE_COLS = 11;
/** Rows per multi-row INSERT (11 parameters each, well under SQLite's 32,766 limit). */
const PER_INSERT = 100;

/**
 * Loads batches of checked rows into per-connection temporary tables with multi-row
 * INSERTs, so the debtor/claim/contact upserts run as one INSERT … SELECT each. That
 * halves the write cost against one upsert per row and table (scripts/bench-import.ts):
 * per-row statement overhead is paid once per batch. Rows and phones stay staged until
 * the next flush, across batches and their transactions, so only one import may write
 * through a connection at a time (ImportService runs write passes one after another).
 */
export class ImportStage {
  private readonly many;
  private readonly one;
  private readonly manyPhones;
  private readonly onePhone;
  private readonly lastRow;
  private readonly parents;
  private readonly args: unknown[] = [];

  constructor(private readonly db: Db) {
    // Staging tables in RAM, not a temp file (~10 % faster writes). Changing temp_store drops
    // existing temp tables, so it is set once, before the first import creates them.
    if (db.pragma('temp_store', { simple: true }) !== 2) db.pragma('temp_store = MEMORY');
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS import_stage (debtor_ref TEXT, name TEXT, email TEXT, language TEXT, risk TEXT,
               amount_cents INTEGER, invoice_ref TEXT, due_date TEXT, creditor TEXT, pay_url TEXT, payment_reference TEXT);
             CREATE TEMP TABLE IF NOT EXISTS import_stage_phones (debtor_ref TEXT, e164 TEXT, position INTEGER);`);
    const values = (n: number, cols: number) => Array(n).fill(`(${Array(cols).fill('?').join(',')})`).join(',');
    this.many = db.prepare(`INSERT INTO ${STAGE} VALUES ${values(PER_INSERT, STAGE_COLS)}`);
    this.one = db.prepare(`INSERT INTO ${STAGE} VALUES ${values(1, STAGE_COLS)}`);
    this.manyPhones = db.prepare(`INSERT INTO ${STAGE_PHONES} VALUES ${values(PER_INSERT, 3)}`);
    this.onePhone = db.prepare(`INSERT INTO ${STAGE_PHONES} VALUES ${values(1, 3)}`);
    this.lastRow = db.prepare(`SELECT coalesce(max(rowid), 0) FROM ${STAGE}`).pluck();
    this.parents = db.prepare(`SELECT 1 FROM campaigns c JOIN imports i ON i.campaign_id = c.id WHERE c.id = ? AND i.id = ?`).pluck();
  }

  /**
   * Runs one batch's transaction with SQLite's per-row foreign-key checks off: every id the
   * staged upserts write comes from a join inside the same transaction (debtor → claim →
   * contact), so the only parents left to prove are the campaign and the import, checked
   * once per batch here instead of once per row. Measured ~15 % off the write pass at
   * 1,000,000 rows (scripts/bench-import.ts). The pragma only takes effect outside a
   * transaction, and nothing else runs on this connection while the synchronous batch does.
   */
  batch(campaignId: number, importId: number, write: () => void): void {
    const fk = this.db.pragma('foreign_keys', { simple: true }) as number;
    if (fk && this.db.inTransaction) {
      this.db.transaction(() => (this.checkParents(campaignId, importId), write()))();
      return;
    }
    this.db.pragma('foreign_keys = OFF');
    try {
      this.db.transaction(() => (this.checkParents(campaignId, importId), write()))();
    } finally {
      if (fk) this.db.pragma('foreign_keys = ON');
    }
  }

  private checkParents(campaignId: number, importId: number): void {
    if (this.parents.get(campaignId, importId) === undefined) throw new Error(`campaign ${campaignId} or import ${importId} no longer exists`);
  }

  /** Empties the rows and phones staged since the last flush (call inside a transaction). */
  clearDeferred(): void {
    this.db.exec(`DELETE FROM ${STAGE}; DELETE FROM ${STAGE_PHONES}`);
  }

  /**
   * Adds a batch to the rows and phones waiting for the next flush (call inside the batch's
   * transaction); returns the last rowid before it, so this batch's rows are those after it.
   */
  load(rows: StagedRow[]): number {
    const from = this.lastRow.get() as number;
    const a = this.args;
    a.length = 0;
    let n = 0;
    for (const r of rows) {
      a.push(r.debtorRef, r.name, r.email, r.language, r.risk, r.amountCents, r.invoiceRef, r.dueDate, r.creditor, r.payUrl, r.paymentReference);
      if (++n === PER_INSERT) {
        this.many.run(a);
        a.length = 0;
        n = 0;
      }
    }
    for (let i = 0; i < a.length; i += STAGE_COLS) this.one.run(a.slice(i, i + STAGE_COLS));
    a.length = 0;
    n = 0;
    let last = '';
    for (const r of rows) {
      // Consecutive rows of one debtor carry the same phones; stage them once.
      if (r.debtorRef === last) continue;
      last = r.debtorRef;
      for (let p = 0; p < r.phones.length; p++) {
        a.push(r.debtorRef, r.phones[p], p);
        if (++n === PER_INSERT) {
          this.manyPhones.run(a);
          a.length = 0;
          n = 0;
        }
      }
    }
    for (let i = 0; i < a.length; i += 3) this.onePhone.run(a.slice(i, i + 3));
    a.length = 0;
    return from;
  }
}


export class ImportStore {
  private readonly errorStmt;

  constructor(private readonly db: Db) {
    this.errorStmt = db.prepare(`INSERT INTO import_errors (import_id, line, column_name, value, reason, raw) VALUES (?, ?, ?, ?, ?, ?)`);
  }

  create(i: { campaignId: number; fileName: string | null; skipInvalid: boolean; now: string }): number {
    const r = this.db
      .prepare(`INSERT INTO imports (campaign_id, file_name, file_sha256, status, skip_invalid, created_at, owner) VALUES (?, ?, '', 'running', ?, ?, ?)`)
      .run(i.campaignId, i.fileName, i.skipInvalid ? 1 : 0, i.now, OWNER);
    return Number(r.lastInsertRowid);
  }

  /**
   * Runs a bulk write with a larger page cache (32 MB) and fewer WAL checkpoints, then
   * restores the settings. A million-row import touches far more index pages than the
   * default 2 MB cache holds; the measured gain is ~25 % (scripts/bench-import.ts).
   * Checkpoints every 40,000 WAL pages (~160 MB), not 10,000: phones_by_e164 is keyed by
   * random numbers, so every batch dirties most of its leaf pages and each commit appends
   * them to the WAL again; a longer WAL lets one checkpoint copy each page once instead of
   * once per two or three batches (first import of 1,000,000 rows: write pass ~15 % faster
   * than at 10,000; 100,000 measured the same within noise but slowed re-imports, and needs
   * a 400 MB WAL). Durability is unchanged (synchronous stays as configured); afterwards
   * the WAL is checkpointed and truncated so the disk space comes back.
   */
  async bulk<T>(fn: () => Promise<T>): Promise<T> {
    const cache = this.db.pragma('cache_size', { simple: true }) as number;
    const checkpoint = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.db.pragma('cache_size = -32768');
    this.db.pragma('wal_autocheckpoint = 40000');
    try {
      return await fn();
    } finally {
      this.db.pragma(`cache_size = ${cache}`);
      this.db.pragma(`wal_autocheckpoint = ${checkpoint}`);
      // Best effort: a reader elsewhere may hold the WAL; SQLite then checkpoints later on its own.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }

  /**
   * Marks imports still 'running' whose process is gone as failed with this reason; returns
   * how many. An import of a live process on this host (a `bereik import` beside the
   * service) is left alone; one recorded on another host cannot be checked and is failed.
   */
  failRunning(reason: (rowsWritten: number) => string, now: string): number {
    const running = this.db.prepare(`SELECT id, owner, rows_imported AS rows FROM imports WHERE status = 'running'`).all() as { id: number; owner: string | null; rows: number }[];
    const fail = this.db.prepare(`UPDATE imports SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'running'`);
    let n = 0;
    for (const r of running) if (!ownerAlive(r.owner)) n += fail.run(reason(r.rows), now, r.id).changes;
    return n;
  }

  /** The latest created_at of any import, so a new import can take a strictly later timestamp. */
  latestCreatedAt(): string | null {
    return (this.db.prepare(`SELECT max(created_at) FROM imports`).pluck().get() as string | null) ?? null;
  }

  /** Rows written so far (call inside the write batch's transaction, so the count and the rows commit together). */
  recordWritten(id: number, rows: number): void {
    this.db.prepare(`UPDATE imports SET rows_imported = ? WHERE id = ?`).run(rows, id);
  }

  /** errorsTotal: every error found, of which only the first bad rows are stored. */
  finish(id: number, status: ImportStatus, counts: Partial<ImportCounts> & { errorsTotal?: number }, error: string | null, now: string): void {
    this.db
      .prepare(
        `UPDATE imports SET status = @status, file_sha256 = coalesce(@fileSha256, file_sha256), rows_total = coalesce(@rowsTotal, rows_total),
           rows_imported = coalesce(@rowsImported, rows_imported), rows_rejected = coalesce(@rowsRejected, rows_rejected),
           debtors_created = coalesce(@debtorsCreated, debtors_created), claims_created = coalesce(@claimsCreated, claims_created),
           claims_updated = coalesce(@claimsUpdated, claims_updated), errors_total = coalesce(@errorsTotal, errors_total),
           error = @error, finished_at = @now
         WHERE id = @id`,
      )
      .run({
        id, status, error, now,
        fileSha256: counts.fileSha256 ?? null, rowsTotal: counts.rowsTotal ?? null, rowsImported: counts.rowsImported ?? null,
        rowsRejected: counts.rowsRejected ?? null, debtorsCreated: counts.debtorsCreated ?? null,
        claimsCreated: counts.claimsCreated ?? null, claimsUpdated: counts.claimsUpdated ?? null, errorsTotal: counts.errorsTotal ?? null,
      });
  }

  get(id: number): ImportRecord | undefined {
    const r = this.db.prepare(`SELECT ${COLS} FROM imports WHERE id = ?`).get(id) as (Omit<ImportRecord, 'skipInvalid'> & { skipInvalid: number }) | undefined;
    return r && { ...r, skipInvalid: r.skipInvalid === 1 };
  }

  listForCampaign(campaignId: number, opts: { limit: number; offset: number }): { items: ImportRecord[]; total: number } {
    const items = (this.db.prepare(`SELECT ${COLS} FROM imports WHERE campaign_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`).all(campaignId, opts.limit, opts.offset) as (Omit<ImportRecord, 'skipInvalid'> & { skipInvalid: number })[])
      .map((r) => ({ ...r, skipInvalid: r.skipInvalid === 1 }));
    const total = this.db.prepare(`SELECT count(*) FROM imports WHERE campaign_id = ?`).pluck().get(campaignId) as number;
    return { items, total };
  }

  /** Writes a batch of bad rows in one transaction; `raw` (JSON of the row's fields) only on a line's first error. */
  addErrors(importId: number, errors: (ImportErrorRow & { raw: string | null })[]): void {
    this.db.transaction(() => {
      for (const e of errors) this.errorStmt.run(importId, e.line, e.column, e.value, e.reason, e.raw);
    })();
  }

  saveHeader(importId: number, names: string[]): void {
    this.errorStmt.run(importId, 0, null, null, HEADER_REASON, JSON.stringify(names));
  }

  header(importId: number): string[] | undefined {
    const raw = this.db.prepare(`SELECT raw FROM import_errors WHERE import_id = ? AND line = 0 AND reason = ?`).pluck().get(importId, HEADER_REASON) as string | undefined;
    return raw ? (JSON.parse(raw) as string[]) : undefined;
  }

  saveFormat(importId: number, format: ImportFormat): void {
    this.errorStmt.run(importId, 0, null, null, FORMAT_REASON, JSON.stringify(format));
  }

  /** The file's format, once the check pass has read it all; undefined before (or for imports from before it was kept). */
  format(importId: number): ImportFormat | undefined {
    const raw = this.db.prepare(`SELECT raw FROM import_errors WHERE import_id = ? AND line = 0 AND reason = ?`).pluck().get(importId, FORMAT_REASON) as string | undefined;
    return raw ? (JSON.parse(raw) as ImportFormat) : undefined;
  }

  /** Drops what a first attempt recorded (the file turned out not to be UTF-8 and is read again). */
  clearErrors(importId: number): void {
    this.db.prepare(`DELETE FROM import_errors WHERE import_id = ?`).run(importId);
  }

  /** A page of the stored errors; stored: how many are stored, total: how many were found (more when the list was cut). */
  errors(importId: number, opts: { limit: number; offset: number }): { items: ImportErrorRow[]; stored: number; total: number } {
    const items = this.db
      .prepare(`SELECT line, column_name AS column, value, reason FROM import_errors WHERE import_id = ? AND line > 0 ORDER BY line, id LIMIT ? OFFSET ?`)
      .all(importId, opts.limit, opts.offset) as ImportErrorRow[];
    const stored = this.db.prepare(`SELECT count(*) FROM import_errors WHERE import_id = ? AND line > 0`).pluck().get(importId) as number;
    const found = this.db.prepare(`SELECT errors_total FROM imports WHERE id = ?`).pluck().get(importId) as number | null | undefined;
    return { items, stored, total: Math.max(found ?? 0, stored) };
  }

  /** Bad rows one per line, in file order, after `afterLine`: the row's fields and its reasons. Paged so no query stays open across awaits. */
  rejectedRows(importId: number, afterLine: number, limit: number): { line: number; fields: string[]; reasons: string }[] {
    const rows = this.db
      .prepare(
        `SELECT line, max(raw) AS raw, group_concat(CASE WHEN column_name IS NULL THEN reason ELSE column_name || ': ' || reason END, '; ') AS reasons
         FROM import_errors WHERE import_id = ? AND line > ? GROUP BY line ORDER BY line LIMIT ?`,
      )
      .all(importId, afterLine, limit) as { line: number; raw: string | null; reasons: string }[];
    return rows.map((r) => ({ line: r.line, fields: r.raw ? (JSON.parse(r.raw) as string[]) : [], reasons: r.reasons }));
  }
}
