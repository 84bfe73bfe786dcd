import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotUtf8, validateFile, type Encoding } from '../../src/campaigns/import/validate-pass.ts';
import { deserialise } from '../../src/campaigns/import/spill.ts';

const HEADER = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\r\n';

async function names(bytes: Buffer, encoding: Encoding, t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-enc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'f.csv');
  writeFileSync(path, bytes);
  const header: string[][] = [];
  const r = await validateFile({
    path, encoding, spillPath: join(dir, 'spill'), defaultLanguage: 'nl', defaultCountry: 'NL',
    onBadRows: (rows) => assert.fail(JSON.stringify(rows).slice(0, 300)), onHeader: (n) => header.push(n),
  });
  const { readFileSync } = await import('node:fs');
  return { result: r, header: header[0]!, rows: readFileSync(join(dir, 'spill'), 'utf8').trim().split('\n').map((l) => deserialise(l).name) };
}

test('UTF-8 with a byte-order mark: the BOM does not end up in the first column name', async (t) => {
  const { header, rows } = await names(Buffer.from('\ufeff' + HEADER + 'D1;Zoë Müller;0612345678;1,00;F1\r\n'), 'utf-8', t);
  assert.equal(header[0], 'debiteurnummer');
  assert.deepEqual(rows, ['Zoë Müller']);
});

test('Windows-1252 bytes are not valid UTF-8; read as Windows-1252 they give é, ë and €', async (t) => {
  const bytes = Buffer.from(HEADER + 'D1;José Ëlsbeth;0612345678;€ 1,00;F1\r\n', 'latin1');
  bytes[bytes.indexOf(Buffer.from('€ 1', 'latin1'))] = 0x80; // € is 0x80 in Windows-1252
  await assert.rejects(names(bytes, 'utf-8', t), NotUtf8);
  const { rows } = await names(bytes, 'windows-1252', t);
  assert.deepEqual(rows, ['José Ëlsbeth']);
});

test('a multi-byte UTF-8 character split across read chunks still decodes (streaming decoder)', async (t) => {
  // Fixed-width rows up to just before the 1 MiB read boundary, then a name whose "é" straddles it.
  const row = (i: number) => `D${String(i).padStart(6, '0')};Naam Achternaam;0612345678;1,00;F${String(i).padStart(6, '0')}\r\n`;
  const boundary = 1 << 20;
  const count = Math.floor((boundary - HEADER.length - 200) / row(0).length);
  let text = HEADER;
  for (let i = 0; i < count; i++) text += row(i);
  const k = boundary - 1 - text.length - 'X1;'.length;
  text += 'X1;' + 'x'.repeat(k) + 'é;0612345678;1,00;F1\r\n';
  assert.equal(Buffer.from(text).subarray(boundary - 1, boundary + 1).toString(), 'é');
  const { rows } = await names(Buffer.from(text), 'utf-8', t);
  assert.equal(rows.at(-1)!.slice(-2), 'xé');
});
