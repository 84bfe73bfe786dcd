/**
 * A file refused on its first chunk (UTF-16, a workbook, binary) makes the check throw
 * while its spill file may still be opening; the import then removes its temporary
 * directory at once. In CI the spill's open came after that and failed with an uncaught
 * ENOENT, which took the import API test down. The check must settle only once the spill
 * is closed. To hold the open for as long as we like, the spill path here is a FIFO: its
 * open for writing waits until someone opens it for reading.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFile } from '../../src/campaigns/import/validate-pass.ts';

test('a file refused on its first chunk settles only after its spill file is closed', { timeout: 20_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-test-refused-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'utf16.csv');
  writeFileSync(file, Buffer.from([0xff, 0xfe, 0x64, 0x00, 0x65, 0x00]));
  const spillPath = join(dir, 'rows.jsonl');
  execFileSync('mkfifo', [spillPath]);

  let settled = false;
  const check = validateFile({
    path: file, encoding: 'utf-8', spillPath, defaultLanguage: 'nl', defaultCountry: 'NL',
    onHeader: () => {}, onBadRows: () => {},
  }).finally(() => (settled = true));
  let reader: number;
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(settled, false, 'the check answered while its spill file was still opening');
  } finally {
    // Let the spill's open finish (a reader on the FIFO), however the assertion went.
    reader = openSync(spillPath, constants.O_RDONLY | constants.O_NONBLOCK);
    t.after(() => closeSync(reader));
  }
  await assert.rejects(check, (err: Error & { code?: string }) => err.code === 'IMPORT_BAD_FILE' && /UTF-16/.test(err.message));
});
