import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, split, encodeSms, decodeGsm7, decodeUcs2, encodeGsm7, isGsm7, decodeByDataCoding } from '../../src/messaging/sms/gsm.ts';

test('a table of texts: encoding, units and parts the console shows before sending', () => {
  const rows: Array<[string, string, 'gsm7' | 'ucs2', number, number, number]> = [
    ['empty', '', 'gsm7', 0, 1, 160],
    ['plain 160', 'a'.repeat(160), 'gsm7', 160, 1, 160],
    ['plain 161', 'a'.repeat(161), 'gsm7', 161, 2, 153],
    ['exactly two parts', 'a'.repeat(153 * 2), 'gsm7', 306, 2, 153],
    ['one past two parts', 'a'.repeat(153 * 2 + 1), 'gsm7', 307, 3, 153],
    ['euro counts two septets', '€', 'gsm7', 2, 1, 160],
    ['80 euros fill one part', '€'.repeat(80), 'gsm7', 160, 1, 160],
    ['79 euros and 3 letters overflow', '€'.repeat(79) + 'abc', 'gsm7', 161, 2, 153],
    ['extension characters ^{}[]~\\|', '^{}[]~\\|', 'gsm7', 16, 1, 160],
    ['é is in the GSM alphabet', 'Café éèùì', 'gsm7', 9, 1, 160],
    ['ê is not: UCS-2', 'Crêpe', 'ucs2', 5, 1, 70],
    ['UCS-2 70', 'ê'.repeat(70), 'ucs2', 70, 1, 70],
    ['UCS-2 71', 'ê'.repeat(71), 'ucs2', 71, 2, 67],
    ['emoji counts two units', 'Betaald 👍', 'ucs2', 10, 1, 70],
    ['35 emoji fill one part', '👍'.repeat(35), 'ucs2', 70, 1, 70],
  ];
  for (const [name, text, encoding, units, parts, perPart] of rows) {
    assert.deepEqual(measure(text), { encoding, units, parts, perPart }, name);
  }
});

test('an escape pair is never cut across parts: the € moves whole to the next part', () => {
  const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
  const parts = split(text);
  assert.equal(parts.length, 2);
  assert.equal(parts[0], 'a'.repeat(152));
  assert.equal(parts[1], '€' + 'b'.repeat(10));
  const enc = encodeSms(text);
  assert.equal(enc.parts[0]!.length, 152);
  assert.equal(parts.join(''), text);
});

test('a surrogate pair is never cut across parts: the emoji moves whole to the next part', () => {
  const text = 'ê'.repeat(66) + '😀' + 'x'.repeat(10);
  const parts = split(text);
  assert.equal(parts.length, 2);
  assert.equal(parts[0], 'ê'.repeat(66));
  assert.ok(parts[1]!.startsWith('😀'));
  for (const p of encodeSms(text).parts) assert.ok(p.length <= 67 * 2);
  assert.equal(encodeSms(text).parts.map((p) => decodeUcs2(p)).join(''), text);
});

test('GSM text and UCS-2 text round-trip through the wire bytes', () => {
  const gsm = 'Uw factuur van €12,50 [ref ~123] staat open. Betaal via {link} | Ça va? Ñ ß @£$¥';
  assert.ok(isGsm7(gsm));
  const enc = encodeSms(gsm);
  assert.equal(enc.dataCoding, 0);
  assert.equal(decodeGsm7(Buffer.concat(enc.parts)), gsm);
  assert.deepEqual([...encodeGsm7('€')], [0x1b, 0x65]);
  assert.deepEqual([...encodeGsm7('@')], [0x00]);
  const ucs = 'Dank u 🙏 — Zoë, ça coûte 5 €';
  const u = encodeSms(ucs);
  assert.equal(u.dataCoding, 8);
  assert.equal(decodeByDataCoding(Buffer.concat(u.parts), 8), ucs);
});

test('network bytes that are not valid decode without throwing', () => {
  assert.equal(decodeGsm7(Buffer.from([0x41, 0x1b])), 'A');
  assert.equal(decodeGsm7(Buffer.from([0x1b, 0x41])), 'A');
  assert.equal(decodeGsm7(Buffer.from([0xc1])), 'A');
  assert.equal(decodeUcs2(Buffer.from([0x00, 0x41, 0x00])), 'A');
  assert.equal(decodeByDataCoding(Buffer.from('caf\xe9', 'latin1'), 3), 'café');
});
