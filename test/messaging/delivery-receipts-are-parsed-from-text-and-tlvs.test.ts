import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeliveryReceipt, receiptIdCandidates, formatReceiptText, parseReceiptDate } from '../../src/messaging/sms/dlr.ts';

const std = 'id:0123456789 sub:001 dlvrd:001 submit date:2611230915 done date:2611230916 stat:DELIVRD err:000 text:Uw betaling stat:X';

test('a table of receipts, standard and real-world variants', () => {
  const rows: Array<[string, string, object, object | string]> = [
    ['standard', std, {}, { providerId: '0123456789', state: 'DELIVRD', errorCode: '000', doneAt: '2026-11-23T09:16:00.000Z' }],
    ['undeliverable with error', 'id:77 sub:001 dlvrd:000 submit date:2611230915 done date:2611230917 stat:UNDELIV err:001 text:', {}, { providerId: '77', state: 'UNDELIV', errorCode: '001' }],
    ['lower case keys and state', 'id:ab12 stat:delivrd err:000', {}, { providerId: 'ab12', state: 'DELIVRD', errorCode: '000' }],
    ['spelled out state', 'id:5 stat:DELIVERED', {}, { providerId: '5', state: 'DELIVRD', errorCode: '000' }],
    ['rejected / expired', 'id:5 stat:REJECTD err:0B', {}, { providerId: '5', state: 'REJECTD', errorCode: '0B' }],
    ['expired', 'id:5 stat:EXPIRED', {}, { providerId: '5', state: 'EXPIRED' }],
    ['missing dates and counts', 'id:9 stat:ACCEPTD', {}, { providerId: '9', state: 'ACCEPTD' }],
    ['dates with seconds', 'id:9 done date:261123091659 stat:DELIVRD', {}, { doneAt: '2026-11-23T09:16:59.000Z' }],
    ['underscore date keys', 'id:9 done_date:2611230916 stat:DELIVRD', {}, { doneAt: '2026-11-23T09:16:00.000Z' }],
    ['impossible date is dropped, not invented', 'id:9 done date:2602310916 stat:DELIVRD', {}, { doneAt: undefined }],
    ['TLVs win over the text', 'id:111 stat:DELIVRD', { receiptedMessageId: 'AB', messageState: 5 }, { providerId: 'AB', state: 'UNDELIV' }],
    ['TLV id with text state', 'stat:EXPIRED', { receiptedMessageId: 'X1' }, { providerId: 'X1', state: 'EXPIRED' }],
    ['TLV state only', 'id:42', { messageState: 2 }, { providerId: '42', state: 'DELIVRD' }],
    ['no id anywhere', 'stat:DELIVRD', {}, 'no message id'],
    ['no state anywhere', 'id:42 err:000', {}, 'no stat'],
    ['unknown state word', 'id:42 stat:BOGUS', {}, 'unknown stat'],
    ['not a receipt at all', 'Hallo, ik heb betaald', {}, 'no message id'],
  ];
  for (const [name, text, tlvs, want] of rows) {
    const got = parseDeliveryReceipt(text, tlvs);
    if (typeof want === 'string') {
      assert.equal(got.ok, false, name);
      assert.match((got as { reason: string }).reason, new RegExp(want), name);
      continue;
    }
    assert.ok(got.ok, `${name}: ${JSON.stringify(got)}`);
    for (const [k, v] of Object.entries(want)) assert.equal((got.receipt as unknown as Record<string, unknown>)[k], v, `${name}: ${k}`);
  }
});

test('text after text: is not read as fields', () => {
  const got = parseDeliveryReceipt('id:1 stat:DELIVRD text:stat:UNDELIV id:2');
  assert.ok(got.ok);
  assert.equal(got.receipt.providerId, '1');
  assert.equal(got.receipt.state, 'DELIVRD');
});

test('a receipt id in decimal matches a submit id in hex and the reverse', () => {
  assert.ok(receiptIdCandidates('255').includes('ff'));
  assert.ok(receiptIdCandidates('FF').includes('255'));
  assert.ok(receiptIdCandidates('00000255').includes('255'));
});

test('the simulated SMSC writes receipts this parser reads back', () => {
  const text = formatReceiptText({ id: 'abc', state: 'UNDELIV', err: '001', submitAt: Date.UTC(2026, 10, 23, 9, 15), doneAt: Date.UTC(2026, 10, 23, 9, 16), text: 'Uw factuur' });
  const got = parseDeliveryReceipt(text);
  assert.deepEqual(got, { ok: true, receipt: { channel: 'sms', providerId: 'abc', state: 'UNDELIV', errorCode: '001', doneAt: '2026-11-23T09:16:00.000Z' } });
  assert.equal(parseReceiptDate('2611231260'), undefined);
});
