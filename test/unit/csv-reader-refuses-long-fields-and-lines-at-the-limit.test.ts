/**
 * The reader refuses a field past 64 Ki characters and a line past 1 Mi characters as soon
 * as its input passes the limit: it never holds more than limit + one chunk, so a hostile
 * 100 MB line costs the same as a 1 MB one. Proved by counting what it was given and what
 * it holds, not by timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvLimitError, CsvReader, MAX_FIELD_CHARS, MAX_RECORD_CHARS } from '../../src/campaigns/import/csv.ts';

const HEADER = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\n';
const CHUNK = 4096;

/**
 * Feeds `head`, then `filler` repeated for ever, in chunks of CHUNK characters, until the
 * reader throws; returns the error, how many characters it was given and the most it held.
 */
function feedForever(head: string, filler: string, chunk = CHUNK) {
  const records: number[] = [];
  const r = new CsvReader({ record: (_f, line) => records.push(line), broken: () => assert.fail('broken') });
  const piece = filler.repeat(Math.ceil(chunk / filler.length)).slice(0, chunk);
  let given = 0;
  let held = 0;
  let text = head;
  for (;;) {
    try {
      r.push(text);
    } catch (err) {
      assert.ok(err instanceof CsvLimitError, String(err));
      return { err, given: given + text.length, held, records };
    }
    given += text.length;
    held = Math.max(held, r.buffered);
    text = piece;
    // A reader without the limit would run for ever; 100× the limit is proof enough of that.
    if (given > 100 * MAX_RECORD_CHARS) assert.fail('no limit: the reader took 100 MiB of one line');
  }
}

function readAll(text: string, chunk = text.length) {
  const out: [number, number[]][] = [];
  const r = new CsvReader({ record: (f, line) => out.push([line, f.map((x) => x.length)]), broken: () => assert.fail('broken') });
  for (let i = 0; i < text.length; i += chunk) r.push(text.slice(i, i + chunk));
  r.end();
  return out;
}

function refusal(text: string, chunk = text.length): CsvLimitError {
  try {
    readAll(text, chunk);
  } catch (err) {
    if (err instanceof CsvLimitError) return err;
    throw err;
  }
  assert.fail('accepted');
}

test('an endless line of short fields is refused as a too-long line once 1 MiB has passed, holding no more than that and one chunk', () => {
  const { err, given, held, records } = feedForever(HEADER + 'D1;Naam;0612345678;12,50;F1', ';x');
  assert.equal(err.kind, 'record');
  assert.equal(err.line, 2);
  assert.deepEqual(records, [1]);
  assert.ok(given <= HEADER.length + MAX_RECORD_CHARS + 2 * CHUNK, `given ${given}`);
  assert.ok(held <= MAX_RECORD_CHARS + CHUNK, `held ${held}`);
});

test('an endless field is refused as a too-long field in its column once 64 KiB has passed', () => {
  const { err, given } = feedForever(HEADER + 'D1;', 'x');
  assert.equal(err.kind, 'field');
  assert.equal(err.line, 2);
  assert.equal(err.column, 2);
  assert.ok(given <= HEADER.length + 3 + MAX_FIELD_CHARS + 2 * CHUNK, `given ${given}`);
  assert.equal(err.start.length, MAX_FIELD_CHARS, 'the start of the field is kept, not the field');
});

test('a quote left open is refused at the field limit instead of swallowing the rest of the file', () => {
  const { err, given } = feedForever(HEADER + 'D1;"Naam;0612345678;12,50;F1\n', 'D2;Piet;0612345679;12,50;F2\n');
  assert.equal(err.kind, 'field');
  assert.equal(err.line, 2);
  assert.equal(err.column, 2);
  assert.ok(given <= HEADER.length + MAX_FIELD_CHARS + 2 * CHUNK, `given ${given}`);
});

test('an endless line of quoted fields is refused at the line limit', () => {
  // Read-sized chunks: a quoted record still arriving is parsed again with each chunk (at most limit / chunk times).
  const chunk = 65_536;
  const { err, given, held } = feedForever(HEADER + 'D1;"Naam"', ';"x;y"', chunk);
  assert.equal(err.kind, 'record');
  assert.equal(err.line, 2);
  assert.ok(given <= HEADER.length + MAX_RECORD_CHARS + 2 * chunk, `given ${given}`);
  assert.ok(held <= MAX_RECORD_CHARS + chunk, `held ${held}`);
});

test('an endless header line is refused as line 1', () => {
  const { err, given } = feedForever('debiteurnummer;naam', ';kolom');
  assert.equal(err.kind, 'record');
  assert.equal(err.line, 1);
  assert.ok(given <= MAX_RECORD_CHARS + 2 * CHUNK, `given ${given}`);
});

test('a field of exactly 64 KiB and a line of exactly 1 MiB are read; one character more is refused, however the input is chunked', () => {
  const field = 'x'.repeat(MAX_FIELD_CHARS);
  const fieldRow = `D1;${field};0612345678;12,50;F1`;
  // 16 fields of 64 KiB minus the 15 separators and the short first field: exactly 1 MiB.
  const cells = ['D1', ...Array(15).fill('y'.repeat(MAX_FIELD_CHARS))];
  cells.push('z'.repeat(MAX_RECORD_CHARS - cells.join(';').length - 1));
  const lineRow = cells.join(';');
  assert.equal(lineRow.length, MAX_RECORD_CHARS);
  for (const chunk of [1000, 65_536, 10_000_000]) {
    assert.deepEqual(readAll(`${HEADER}${fieldRow}\n`, chunk)[1], [2, [2, MAX_FIELD_CHARS, 10, 5, 2]], `chunks of ${chunk}`);
    assert.equal(readAll(`${HEADER}${lineRow}\r\n`, chunk)[1]![1].length, cells.length, `chunks of ${chunk}`);
    assert.equal(readAll(`${HEADER}"${field.slice(2)}""x"\n`, chunk)[1]![1][0], MAX_FIELD_CHARS, `quoted, chunks of ${chunk}`);

    const longField = refusal(`${HEADER}D1;${field}x;0612345678\n`, chunk);
    assert.deepEqual([longField.kind, longField.line, longField.column], ['field', 2, 2], `chunks of ${chunk}`);
    const longQuoted = refusal(`${HEADER}D1;"${field.slice(1)}""x"\n`, chunk);
    assert.deepEqual([longQuoted.kind, longQuoted.line, longQuoted.column], ['field', 2, 2], `quoted, chunks of ${chunk}`);
    const longLine = refusal(`${HEADER}${lineRow}z\n`, chunk);
    assert.deepEqual([longLine.kind, longLine.line, longLine.column], ['record', 2, cells.length], `chunks of ${chunk}`);
  }
});

test('many long lines in a row are each read, and the reader never holds more than one line and one chunk', () => {
  const line = Array(MAX_RECORD_CHARS / 8 - 1).fill('1234567').join(';');
  const lines = 6;
  const text = HEADER + `${line}\n`.repeat(lines);
  const r = new CsvReader({ record: (f, n) => seen.push([n, f.length]), broken: () => assert.fail('broken') });
  const seen: [number, number][] = [];
  let held = 0;
  for (let i = 0; i < text.length; i += 65_536) {
    r.push(text.slice(i, i + 65_536));
    held = Math.max(held, r.buffered);
  }
  r.end();
  assert.equal(seen.length, lines + 1);
  assert.ok(held <= MAX_RECORD_CHARS + 65_536, `held ${held}`);
});

test('a file with old Mac line endings (CR only) is read as it streams, not held until its end', () => {
  const r = new CsvReader({ record: () => count++, broken: () => assert.fail('broken') });
  let count = 0;
  const row = 'D1;Naam;0612345678;12,50;F1\r';
  r.push(HEADER.replace('\n', '\r') + row.repeat(10_000));
  // The header and all rows but the last, whose CR may yet be followed by an LF.
  assert.equal(count, 10_000, 'every complete line is out before the end');
  assert.ok(r.buffered <= row.length);
  for (let i = 0; i < 50; i++) r.push(row.repeat(10_000));
  r.end();
  assert.equal(count, 510_001);
});
