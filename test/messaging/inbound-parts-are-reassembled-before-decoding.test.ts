import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { Reassembler, readParts } from '../../src/messaging/sms/concat.ts';
import { encodeUcs2, encodeGsm7 } from '../../src/messaging/sms/gsm.ts';

const meta = { from: '+31612345678', to: '+3197010000000' };

function collect() {
  const clock = new FakeClock();
  const got: Array<{ text: string; complete: boolean }> = [];
  const r = new Reassembler(clock, 60_000, (_m, text, complete) => got.push({ text, complete }));
  return { clock, got, r };
}

test('parts out of order, a 16-bit reference, and a surrogate pair a sender split across parts', () => {
  const { got, r } = collect();
  const bytes = encodeUcs2('Hoi 😀!');
  // Cut between the two halves of the emoji (another sender's splitter may do that).
  const [a, b] = [bytes.subarray(0, 10), bytes.subarray(10)];
  const udh16 = (seq: number) => Buffer.from([0x06, 0x08, 0x04, 0x12, 0x34, 2, seq]);
  r.add(meta, { esmClass: 0x40, dataCoding: 8, message: Buffer.concat([udh16(2), b]) });
  assert.equal(got.length, 0);
  r.add(meta, { esmClass: 0x40, dataCoding: 8, message: Buffer.concat([udh16(2), b]) });
  r.add(meta, { esmClass: 0x40, dataCoding: 8, message: Buffer.concat([udh16(1), a]) });
  assert.deepEqual(got, [{ text: 'Hoi 😀!', complete: true }]);
});

test('sar_* TLVs instead of a UDH; a GSM escape cut across parts still decodes', () => {
  const { got, r } = collect();
  const bytes = encodeGsm7('Prijs: €5');
  const cut = bytes.indexOf(0x1b) + 1;
  r.add(meta, { esmClass: 0, dataCoding: 0, message: bytes.subarray(0, cut), sar: { ref: 7, total: 2, seq: 1 } });
  r.add(meta, { esmClass: 0, dataCoding: 0, message: bytes.subarray(cut), sar: { ref: 7, total: 2, seq: 2 } });
  assert.deepEqual(got, [{ text: 'Prijs: €5', complete: true }]);
});

test('a part that never comes: the rest is released after the wait with a gap marker', async () => {
  const { clock, got, r } = collect();
  const udh = (seq: number) => Buffer.from([0x05, 0x00, 0x03, 9, 3, seq]);
  r.add(meta, { esmClass: 0x40, dataCoding: 0, message: Buffer.concat([udh(1), encodeGsm7('Ik betaal ')]) });
  r.add(meta, { esmClass: 0x40, dataCoding: 0, message: Buffer.concat([udh(3), encodeGsm7(' volgende week')]) });
  await clock.advance(60_000);
  assert.deepEqual(got, [{ text: 'Ik betaal […] volgende week', complete: false }]);
  assert.equal(r.waiting, 0);
});

test('a UDH that claims more bytes than there are, or a part number out of range, is not trusted', () => {
  assert.deepEqual(readParts({ esmClass: 0x40, message: Buffer.from([0x20, 0x00]) }).body.length, 0);
  assert.equal(readParts({ esmClass: 0x40, message: Buffer.from([0x05, 0x00, 0x03, 1, 2, 3, 0x41]) }).part, undefined);
  assert.equal(readParts({ esmClass: 0, message: Buffer.from('x'), sar: { ref: 1, total: 0, seq: 1 } }).part, undefined);
});
