/**
 * CSV import into a campaign, shared by the API (POST /campaigns/:id/imports) and
 * `bereik import`. The whole file is checked before anything is written (pass 1);
 * by default one bad row means nothing is imported and every bad row is reported;
 * with skipInvalid the good rows are imported and the bad ones kept for a rejects CSV.
 *
 * importFile() answers when the import is done; start() answers as soon as the import is
 * recorded and lets it run on (the API's `Prefer: respond-async`), with progress() telling
 * how far it is and close() stopping it cleanly when the service shuts down.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BereikError } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { ImportRecord } from '../../store/imports.ts';
import type { EventRepository, ImportRepository, Store } from '../../store/repositories.ts';
import type { CampaignService } from '../service.ts';
import { NotUtf8, validateFile, type BadRow, type Encoding, type ValidateResult } from './validate-pass.ts';
import { writeRows, type WriteResult } from './write-pass.ts';
import type { RowError } from './row.ts';
import { UTF8_BOM, csvLine } from './rejects.ts';
import { makeTempDir, removeStaleTempDirs } from './temp.ts';

/**
 * Bad rows stored per import (all their errors), the first found; the rest are only
 * counted. A file that is wrong on every line would otherwise store (and answer) itself
 * again; the first thousand say what is wrong, and the answer says how many there were.
 */
export const MAX_STORED_BAD_ROWS = 1_000;

/**
 * Rows of phones and contacts that may wait between flushes while nothing is dialling
 * (write-pass.ts): about a third off the write pass, for a pause of the event loop of
 * ≈ 0.3 s at each flush, which a live call must not get. While a campaign runs or a call
 * is live, they are written with every batch.
 */
export const QUIET_FLUSH_ROWS = 50_000;

export interface ImportRequest {
  campaignId: number;
  path: string;
  fileName?: string | null;
  skipInvalid?: boolean;
  onProgress?(phase: ImportPhase, rows: number): void;
  /** Called once the import is recorded (status 'running'), with its id. */
  onStarted?(importId: number): void;
  /** Stops the import between chunks/batches; it is then recorded as failed ("interrupted"). */
  signal?: AbortSignal;
}

export type ImportPhase = 'validating' | 'writing';

/** How far a running import is: rows checked (validating) or written (writing) so far. */
export interface ImportProgress {
  phase: ImportPhase;
  rows: number;
}

export interface ImportResult extends ImportRecord {
  encoding: Encoding;
  delimiter: string;
  ignoredColumns: string[];
  errors: RowError[];
  errorsTotal: number;
  timings: { readParseMs: number; validateMs: number; writeMs: number; totalMs: number };
}

export class ImportService {
  private readonly store: ImportRepository;
  private readonly events: EventRepository;
  private readonly live = new Map<number, ImportProgress>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  /** The write pass in progress, if any: the next waits for it (see oneWriterAtATime). */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: { store: Store; clock: Clock; log: Logger; campaigns: CampaignService; liveCalls?: () => number }) {
    this.store = deps.store.imports;
    this.events = deps.store.events;
  }

  async importFile(req: ImportRequest): Promise<ImportResult> {
    const campaign = this.deps.campaigns.get(req.campaignId);
    if (campaign.state === 'finished') throw new BereikError('CONFLICT', `campaign ${campaign.id} is finished; create a new campaign for new claims`);
    const t0 = performance.now();
    const now = this.uniqueNow();
    const importId = this.store.create({ campaignId: campaign.id, fileName: req.fileName ?? null, skipInvalid: !!req.skipInvalid, now });
    const progress: ImportProgress = { phase: 'validating', rows: 0 };
    this.live.set(importId, progress);
    req.onStarted?.(importId);
    const signal = req.signal ? AbortSignal.any([req.signal, this.stopping.signal]) : this.stopping.signal;
    const onProgress = (phase: ImportPhase, rows: number) => {
      progress.phase = phase;
      progress.rows = rows;
      req.onProgress?.(phase, rows);
    };
    const log = this.deps.log.child({ campaignId: campaign.id, importId });
    const dir = makeTempDir('import');
    const spillPath = join(dir, 'rows.jsonl');
    // The stored bad rows' errors (answered inline), and how many errors were found in all.
    const errors: RowError[] = [];
    let errorsTotal = 0;
    let storedRows = 0;
    let lastStoredLine = 0;
    try {
      const run = (encoding: Encoding) =>
        validateFile({
          path: req.path,
          encoding,
          spillPath,
          defaultLanguage: campaign.language,
          defaultCountry: campaign.defaultCountry,
          onHeader: (names) => this.store.saveHeader(importId, names),
          onBadRows: (rows: BadRow[]) => {
            errorsTotal += rows.length;
            const kept = rows.filter((r) => {
              // A row's errors arrive together: a row is stored whole or not at all.
              if (r.line !== lastStoredLine) {
                if (storedRows >= MAX_STORED_BAD_ROWS) return false;
                storedRows++;
                lastStoredLine = r.line;
              }
              return true;
            });
            for (const r of kept) errors.push({ line: r.line, column: r.column, value: r.value, reason: r.reason });
            this.store.addErrors(importId, kept);
          },
          onProgress: (n) => onProgress('validating', n),
          signal,
        });
      let v: ValidateResult;
      try {
        v = await run('utf-8');
      } catch (err) {
        if (!(err instanceof NotUtf8)) throw err;
        // Not valid UTF-8: the other encoding back offices use. Start over, forgetting the first attempt.
        this.store.clearErrors(importId);
        errors.length = 0;
        errorsTotal = 0;
        storedRows = 0;
        lastStoredLine = 0;
        v = await run('windows-1252');
      }
      this.store.saveFormat(importId, { encoding: v.encoding, delimiter: v.delimiter, ignoredColumns: v.header.ignored });
      if (v.duplicateLines.length > 0) {
        // Duplicates are found after the pass, so they arrived last: list the first bad rows by line again.
        errors.splice(0, errors.length, ...this.store.errors(importId, { limit: errors.length, offset: 0 }).items);
      }
      const t1 = performance.now();
      const base = { fileSha256: v.sha256, rowsTotal: v.rowsTotal, rowsRejected: v.badLines, errorsTotal };
      if (v.badLines > 0 && !req.skipInvalid) {
        this.store.finish(importId, 'rejected', { ...base, rowsImported: 0 }, null, this.isoNow());
        log.info({ rowsTotal: v.rowsTotal, rowsRejected: v.badLines }, 'import rejected: bad rows, nothing written');
        throw new BereikError(
          'IMPORT_BAD_ROW',
          `${v.badLines} of ${v.rowsTotal} rows are invalid; nothing was imported. Fix them, or upload again with skipInvalid=true to import the ${v.goodRows} good rows.`,
          { importId, rowsTotal: v.rowsTotal, rowsRejected: v.badLines, errorsTotal, errors, errorsTruncated: errorsTotal > errors.length },
        );
      }
      let w: WriteResult;
      try {
        w = await this.oneWriterAtATime(() =>
          this.store.bulk(() =>
            writeRows({
              store: this.deps.store, spillPath, campaignId: campaign.id, importId, timeZone: campaign.settings.defaultTimeZone, now, skipLines: v.duplicateLines,
              flushRows: () => (this.quiet() ? QUIET_FLUSH_ROWS : 0),
              onProgress: (n) => onProgress('writing', n),
              onWritten: (n) => this.store.recordWritten(importId, n),
              signal,
            }),
          ),
        );
      } catch (err) {
        const written = this.get(importId).rowsImported;
        const why = signal.aborted
          ? `interrupted while writing; the rows written so far stay: ${written} of ${v.rowsTotal} (re-import the file to finish)`
          : `writing failed: ${(err as Error).message}`;
        this.store.finish(importId, 'failed', base, why, this.isoNow());
        throw err;
      }
      const status = v.badLines > 0 ? 'partial' : 'completed';
      this.store.finish(importId, status, { ...base, ...w }, null, this.isoNow());
      const t2 = performance.now();
      this.events.append({ at: this.isoNow(), kind: 'import.finished', campaignId: campaign.id, data: { importId, status, rows: w.rowsImported, rejected: v.badLines } });
      log.info({ status, rowsTotal: v.rowsTotal, rowsImported: w.rowsImported, rowsRejected: v.badLines, encoding: v.encoding }, 'import finished');
      return {
        ...this.get(importId),
        encoding: v.encoding,
        delimiter: v.delimiter,
        ignoredColumns: v.header.ignored,
        errors,
        errorsTotal,
        timings: { readParseMs: t1 - t0 - v.validateMs, validateMs: v.validateMs, writeMs: t2 - t1, totalMs: t2 - t0 },
      };
    } catch (err) {
      if (err instanceof BereikError && err.code === 'IMPORT_BAD_FILE') {
        this.store.finish(importId, 'rejected', {}, err.message, this.isoNow());
        log.info({ reason: err.message }, 'import rejected: bad file');
        throw new BereikError('IMPORT_BAD_FILE', err.message, { importId, ...(err.details as object | undefined) });
      } else if (!(err instanceof BereikError) && this.store.get(importId)?.status === 'running') {
        this.store.finish(importId, 'failed', {}, signal.aborted ? 'interrupted while checking; nothing was written' : (err as Error).message, this.isoNow());
      }
      throw err;
    } finally {
      this.live.delete(importId);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Starts an import and resolves with its record (status 'running') as soon as it is
   * recorded; it goes on in the background and ends as importFile() would, in the store.
   * A request refused before it starts (no such campaign, campaign finished) rejects here.
   * `done` runs when the import has ended, however it ended (e.g. to remove the upload).
   */
  start(req: ImportRequest, done: () => void = () => {}): Promise<ImportRecord> {
    return new Promise((resolve, reject) => {
      let started = false;
      const run = this.importFile({ ...req, onStarted: (id) => ((started = true), req.onStarted?.(id), resolve(this.get(id))) })
        .then(
          () => undefined,
          (err: unknown) => {
            if (!started) reject(err);
            // After the start the outcome is in the import record; only the unexpected is logged.
            else if (!(err instanceof BereikError)) this.deps.log.error({ err }, 'background import failed');
          },
        )
        .finally(() => {
          this.background.delete(run);
          done();
        });
      this.background.add(run);
    });
  }

  /** How far a running import of this process is; null when it is not running here. */
  progress(id: number): ImportProgress | null {
    const p = this.live.get(id);
    return p ? { ...p } : null;
  }

  /** Stops running imports between batches (recorded as failed, "interrupted") and waits for them. */
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.background]);
  }

  /**
   * Imports left 'running' by a process that stopped mid-import (a crash, a kill) are marked
   * failed, so an operator does not wait on them for ever, and the temporary files of such
   * processes are removed. Called when the service starts.
   */
  recoverInterrupted(): { imports: number; tempDirs: string[] } {
    const imports = this.store.failRunning(
      (rows) => `the service stopped during this import; ${rows} rows were written before that and stay, re-import the file to finish`,
      this.isoNow(),
    );
    return { imports, tempDirs: removeStaleTempDirs() };
  }

  get(id: number): ImportRecord {
    const r = this.store.get(id);
    if (!r) throw new BereikError('NOT_FOUND', `import ${id} does not exist`);
    return r;
  }

  /** Encoding, delimiter and ignored columns of the file, once its check pass has ended. */
  format(id: number) {
    this.get(id);
    return this.store.format(id) ?? null;
  }

  errors(id: number, page: { limit: number; offset: number }) {
    this.get(id);
    return this.store.errors(id, page);
  }

  listForCampaign(campaignId: number, page: { limit: number; offset: number }) {
    this.deps.campaigns.get(campaignId);
    return this.store.listForCampaign(campaignId, page);
  }

  /** The rejected rows as CSV: the file's own columns plus a reason, formula-escaped. Yields text in pages. */
  *rejectsCsv(id: number): Generator<string> {
    this.get(id);
    const header = this.store.header(id) ?? [];
    yield UTF8_BOM + csvLine([...header.map((h) => h.trim()), 'reason']);
    let after = 0;
    for (;;) {
      const page = this.store.rejectedRows(id, after, 1000);
      if (page.length === 0) return;
      let out = '';
      for (const r of page) {
        const cells = header.length ? header.map((_, i) => r.fields[i] ?? '') : r.fields;
        out += csvLine([...cells, `line ${r.line}: ${r.reasons}`]);
      }
      after = page.at(-1)!.line;
      yield out;
    }
  }

  /**
   * Write passes run one at a time: rows staged for a later flush live in this connection's
   * temporary tables between batches, and a second import writing meanwhile would flush
   * them into its own campaign. (SQLite has one writer anyway; checking runs in parallel.)
   */
  private oneWriterAtATime<T>(write: () => Promise<T>): Promise<T> {
    const mine = this.writing.then(write);
    this.writing = mine.catch(() => undefined);
    return mine;
  }

  /** Nothing is dialling: no campaign running (in any process on this database) and no call live here. */
  private quiet(): boolean {
    return (this.deps.liveCalls?.() ?? 0) === 0 && this.deps.campaigns.list({ limit: 1, offset: 0, state: 'running' }).total === 0;
  }

  private isoNow(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /** Strictly after every earlier import's timestamp: counts of "created by this import" rely on it. */
  private uniqueNow(): string {
    const latest = this.store.latestCreatedAt();
    const t = Math.max(this.deps.clock.now(), latest ? Date.parse(latest) + 1 : 0);
    return new Date(t).toISOString();
  }
}
