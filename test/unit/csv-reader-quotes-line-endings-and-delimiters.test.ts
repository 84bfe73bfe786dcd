import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvReader, DelimiterError, detectDelimiter } from '../../src/campaigns/import/csv.ts';

function read(text: string, chunk = text.length) {
  const out: unknown[] = [];
  const r = new CsvReader({ record: (f, line) => out.push([line, f]), broken: (line, reason) => out.push(['broken', line, reason]) });
  for (let i = 0; i < text.length; i += chunk) r.push(text.slice(i, i + chunk));
  r.end();
  return { out, delimiter: r.delimiter };
}

const TEXT = 'a;b;c\r\n1;2;3\n"x;y";"multi\r\nline";z\r4;5;6\n\n"q""uote";"";c\r\n7;8;9';
const EXPECTED = [
  [1, ['a', 'b', 'c']],
  [2, ['1', '2', '3']],
  [3, ['x;y', 'multi\r\nline', 'z']],
  [5, ['4', '5', '6']],
  [7, ['q"uote', '', 'c']],
  [8, ['7', '8', '9']],
];

test('quoted separators, quotes and newlines, and CRLF/LF/CR line endings; each record knows the line it starts on', () => {
  assert.deepEqual(read(TEXT).out, EXPECTED);
});

test('the result does not depend on how the stream is chunked', () => {
  for (const size of [1, 2, 3, 5, 7, 64]) assert.deepEqual(read(TEXT, size).out, EXPECTED, `chunks of ${size}`);
});

test('an unclosed quote at the end of the file is reported with its line', () => {
  assert.deepEqual(read('a;b\n1;2\n3;"cut off\nhere').out, [
    [1, ['a', 'b']],
    [2, ['1', '2']],
    ['broken', 3, 'unclosed quote: the line is cut off or a quote is missing'],
  ]);
});

test('the delimiter is the one the header line uses; tabs and pipes are named', () => {
  assert.equal(detectDelimiter('debiteurnummer;naam;telefoon'), ';');
  assert.equal(detectDelimiter('debtor_ref,name,phone'), ',');
  assert.equal(detectDelimiter('"naam, voluit";telefoon;bedrag'), ';');
  assert.equal(detectDelimiter('a;b,c;d'), ';');
  assert.throws(() => detectDelimiter('a\tb\tc'), (e) => e instanceof DelimiterError && /tabs/.test(e.message));
  assert.throws(() => detectDelimiter('a|b|c'), (e) => e instanceof DelimiterError && /'\|'/.test(e.message));
  assert.equal(read('debtor_ref,name\nD1,"Jansen, J."').delimiter, ',');
});
