/**
 * Pass 1 of an import: stream the file once, decode it, parse it, check every row, and
 * keep only what pass 2 needs: good rows as JSON lines in a spill file on disk, bad rows
 * handed out in batches, and each row's (debtor, invoice) fingerprint in bucket files.
 * After the pass the buckets name the duplicates; only when there are any is the file
 * read once more, to report those lines with their values. Memory stays flat in file size.
 */
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { BereikError } from '../../lib/errors.ts';
import { CsvLimitError, CsvReader, DelimiterError, MAX_FIELD_CHARS, MAX_RECORD_CHARS, type Delimiter } from './csv.ts';
import { mapHeader, type HeaderMap } from './headers.ts';
import { RowReader, clipValue, type RowError } from './row.ts';
import { PhoneNormaliser } from './phones.ts';
import { DuplicateSpool, type Duplicate } from './dedupe.ts';
import { serialise } from './spill.ts';
import type { Language } from '../settings.ts';

export type Encoding = 'utf-8' | 'windows-1252';

/** The file is not valid UTF-8: read it again as Windows-1252. */
export class NotUtf8 extends Error {}

export interface BadRow extends RowError {
  /** JSON of the row's fields, on the first error of a line (for the rejects CSV). */
  raw: string | null;
}

export interface ValidateOptions {
  path: string;
  encoding: Encoding;
  spillPath: string;
  defaultLanguage: Language;
  defaultCountry: string;
  /** Called with each batch of bad rows (and once at the end with the rest). */
  onBadRows(rows: BadRow[]): void;
  onHeader(names: string[]): void;
  onProgress?(rows: number): void;
  signal?: AbortSignal;
}

export interface ValidateResult {
  sha256: string;
  encoding: Encoding;
  delimiter: Delimiter;
  header: HeaderMap;
  rowsTotal: number;
  goodRows: number;
  badLines: number;
  /** Lines in the spill file that repeat an earlier (debtor, invoice) pair: pass 2 skips them. Ascending. */
  duplicateLines: number[];
  /** Time spent checking rows (parsing is the rest of the pass). */
  validateMs: number;
}

/** Bytes a data row takes at the least, to size the duplicate buckets from the file size. */
const MIN_ROW_BYTES = 40;

const badFile = (message: string, details?: unknown) => new BereikError('IMPORT_BAD_FILE', message, details);
const ERROR_BATCH = 500;
const PROGRESS_EVERY = 100_000;

export async function validateFile(o: ValidateOptions): Promise<ValidateResult> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder(o.encoding, { fatal: o.encoding === 'utf-8' });
  const phones = new PhoneNormaliser(o.defaultCountry);
  const dupes = new DuplicateSpool(dirname(o.spillPath), statSync(o.path).size / MIN_ROW_BYTES);
  const spill = createWriteStream(o.spillPath);
  let spillBuf = '';
  let header: HeaderMap | undefined;
  let reader: RowReader | undefined;
  let otherDelimiter = ',';
  let rowsTotal = 0;
  let goodRows = 0;
  let badLines = 0;
  let lastBadLine = 0;
  let validateMs = 0;
  let bytes = 0;
  const pending: BadRow[] = [];
  const errs: RowError[] = [];

  const reject = (line: number, fields: string[] | null, raw: string, list: RowError[]) => {
    for (const e of list) {
      pending.push({ ...e, raw: line !== lastBadLine ? JSON.stringify((fields ?? [raw]).map(clipCell)) : null });
      lastBadLine = line;
    }
    badLines++;
    if (pending.length >= ERROR_BATCH) o.onBadRows(pending.splice(0));
  };

  const csv = new CsvReader({
    record(fields, line, raw) {
      if (!header) {
        header = mapHeader(fields);
        reader = new RowReader(header, phones, o.defaultLanguage);
        otherDelimiter = csv.delimiter === ';' ? ',' : ';';
        o.onHeader(header.names);
        return;
      }
      if (isBlank(fields)) return;
      rowsTotal++;
      checkShape(header, fields, line, raw, otherDelimiter);
      const t0 = performance.now();
      errs.length = 0;
      const row = reader!.read(fields, line, errs);
      if (row) {
        dupes.add(row.debtorRef + '\u0001' + row.invoiceRef, line);
        goodRows++;
        spillBuf += serialise(row);
      }
      validateMs += performance.now() - t0;
      if (errs.length) reject(line, fields, raw, errs);
      if (o.onProgress && rowsTotal % PROGRESS_EVERY === 0) o.onProgress(rowsTotal);
    },
    broken(line, reason, raw) {
      if (!header) throw badFile(`line ${line}: ${reason}`, { line });
      rowsTotal++;
      reject(line, null, raw, [{ line, column: null, value: clipValue(raw), reason }]);
    },
  });

  try {
    for await (const chunk of createReadStream(o.path, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer>) {
      o.signal?.throwIfAborted();
      if (bytes === 0) sniffStart(chunk);
      bytes += chunk.length;
      hash.update(chunk);
      if (chunk.indexOf(0) !== -1) throw badFile('the file is binary, not a CSV text file (it contains NUL bytes)');
      csv.push(decode(decoder, chunk, true));
      if (spillBuf.length > 0) {
        if (!spill.write(spillBuf)) await once(spill, 'drain');
        spillBuf = '';
      }
    }
    csv.push(decode(decoder, undefined, false));
    csv.end();
  } catch (err) {
    // The spill file may still be opening: wait until it is closed, or its late ENOENT (the
    // caller removes the directory as soon as this throws) would be an uncaught 'error'.
    await discardStream(spill);
    dupes.discard();
    if (err instanceof DelimiterError) throw badFile(err.message, { line: 1 });
    if (err instanceof CsvLimitError) throw tooLong(err, header);
    throw err;
  }
  spill.end(spillBuf);
  await once(spill, 'close');

  if (bytes === 0) throw badFile('the file is empty (0 bytes)');
  if (!header) throw badFile('the file is empty: no header and no rows');
  if (rowsTotal === 0) throw badFile('the file has a header but no data rows', { line: 1 });
  const duplicates = await dupes.finish();
  if (duplicates.length) {
    const t0 = performance.now();
    await reportDuplicates(o, csv.delimiter!, duplicates, (line, fields, list) => reject(line, fields, '', list));
    validateMs += performance.now() - t0;
    goodRows -= duplicates.length;
  }
  if (pending.length) o.onBadRows(pending.splice(0));
  return {
    sha256: hash.digest('hex'), encoding: o.encoding, delimiter: csv.delimiter!, header, rowsTotal, goodRows, badLines,
    duplicateLines: duplicates.map((d) => d.line), validateMs,
  };
}

/** Destroys a write stream and resolves when it has closed; an error it still raises is dropped. */
async function discardStream(stream: WriteStream): Promise<void> {
  stream.on('error', () => {});
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  stream.destroy();
  await closed;
}

/**
 * Reads the (already checked) file once more and reports each duplicate line as a bad row:
 * the invoice column, its value, and the line the pair was first on.
 */
async function reportDuplicates(
  o: ValidateOptions,
  delimiter: Delimiter,
  duplicates: Duplicate[],
  reject: (line: number, fields: string[], list: RowError[]) => void,
): Promise<void> {
  const decoder = new TextDecoder(o.encoding);
  let header: HeaderMap | undefined;
  let reader: RowReader | undefined;
  let next = 0;
  const errs: RowError[] = [];
  const csv = new CsvReader(
    {
      record(fields, line) {
        if (!header) {
          header = mapHeader(fields);
          reader = new RowReader(header, new PhoneNormaliser(o.defaultCountry), o.defaultLanguage);
          return;
        }
        const d = duplicates[next];
        if (!d || d.line !== line) return;
        next++;
        errs.length = 0;
        const row = reader!.read(fields, line, errs)!;
        reject(line, fields, [{
          line,
          column: header.names[header.index.invoice_ref!]!.trim(),
          value: clipValue(row.invoiceRef),
          reason: `duplicate: debtor ${row.debtorRef} with invoice ${row.invoiceRef} is already on line ${d.firstLine}`,
        }]);
      },
      broken() {},
    },
    delimiter,
  );
  for await (const chunk of createReadStream(o.path, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer>) {
    o.signal?.throwIfAborted();
    csv.push(decoder.decode(chunk, { stream: true }));
    if (next === duplicates.length) return;
  }
  csv.push(decoder.decode());
  csv.end();
}

function decode(decoder: TextDecoder, chunk: Buffer | undefined, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    throw new NotUtf8();
  }
}

/** UTF-16 and known binary formats, named so the operator knows what to re-export. */
function sniffStart(b: Buffer): void {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    throw badFile('the file is UTF-16; save it as CSV UTF-8 (or Windows-1252) instead');
  }
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) throw badFile('the file is a ZIP/Excel workbook, not a CSV; save it as CSV first');
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') throw badFile('the file is a PDF, not a CSV');
}

/**
 * A bad row's cells as kept for the rejects CSV. A cell the import would take is at most
 * 500 characters (row.ts), so longer ones are an error or an ignored column either way:
 * keeping their first 1,000 characters loses nothing a corrected re-import needs.
 */
const MAX_REJECT_CELL = 1000;
function clipCell(cell: string): string {
  return cell.length > MAX_REJECT_CELL ? cell.slice(0, MAX_REJECT_CELL - 1) + '…' : cell;
}

/** A field or line past the reader's limit: where, and the start of what was too long. */
function tooLong(err: CsvLimitError, header: HeaderMap | undefined): BereikError {
  const name = header?.names[err.column - 1]?.trim();
  const where = `column ${err.column}${name ? ` (${name})` : ''}`;
  const details = { line: err.line, column: err.column, ...(name ? { columnName: name } : {}), value: clipValue(err.start) };
  if (err.kind === 'field') {
    return badFile(`line ${err.line}, ${where}: the field is longer than ${MAX_FIELD_CHARS.toLocaleString('en')} characters, the most a field may hold (is a closing quote missing?)`, details);
  }
  return badFile(`line ${err.line}: the line is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters, the most a line may hold (passed in ${where})`, details);
}

function isBlank(fields: string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

/** File-level shape problems that show on a data row: data without a column name, or the other separator. */
function checkShape(h: HeaderMap, fields: string[], line: number, raw: string, other: string): void {
  if (fields.length === 1 && h.names.length > 1 && raw.includes(other)) {
    throw badFile(`wrong delimiter: the header is separated by '${other === ',' ? ';' : ','}' but line ${line} by '${other}'`, { line });
  }
  for (let i = h.names.length; i < fields.length; i++) {
    if (fields[i]!.trim() !== '') {
      throw badFile(`line ${line} has data in column ${i + 1}, which has no name in the header`, { line, column: i + 1, value: clipValue(fields[i]!) });
    }
  }
  for (const i of h.unnamed) {
    if ((fields[i] ?? '').trim() !== '') {
      throw badFile(`line ${line} has data in column ${i + 1}, which has no name in the header`, { line, column: i + 1, value: clipValue(fields[i]!) });
    }
  }
}
