import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, sms, until } from './helpers/smsc-pair.ts';

test('a receipt that arrives before its submit_sm_resp still updates that message', async () => {
  const p = await startPair();
  try {
    p.sim.faults.receiptBeforeResp = true;
    const r = await p.channel.submit(sms('+31612345699', 'vroeg'));
    assert.ok(r.ok);
    await until('receipt', () => p.receipts.length === 1);
    assert.equal(p.receipts[0]!.providerId, r.providerId);
    assert.equal(p.receipts[0]!.state, 'UNDELIV');
  } finally {
    await p.close();
  }
});

test('duplicate receipts are emitted once', async () => {
  const p = await startPair();
  try {
    p.sim.faults.duplicateReceipts = 2;
    const results = await Promise.all([1, 2, 3].map((i) => p.channel.submit(sms('+31612345678', `d${i}`, i))));
    await until('receipts sent', () => p.sim.stats.receiptsSent === 9);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(p.receipts.length, 3);
    assert.deepEqual(p.receipts.map((x) => x.providerId).sort(), results.map((x) => (x.ok ? x.providerId : '')).sort());
  } finally {
    await p.close();
  }
});

test('receipts naming the message in decimal match the hex id from submit_sm_resp', async () => {
  const p = await startPair({ sim: { receiptIds: 'decimal' } });
  try {
    const r = await p.channel.submit(sms('+31612345678', 'hex'));
    assert.ok(r.ok);
    await until('receipt', () => p.receipts.length === 1);
    assert.equal(p.receipts[0]!.providerId, r.providerId);
  } finally {
    await p.close();
  }
});

test('a receipt whose text has no id is matched by its receipted_message_id TLV', async () => {
  const p = await startPair({ sim: { receiptIds: 'omitted', receiptTlvs: true } });
  try {
    const r = await p.channel.submit(sms('+31612345697', 'tlv'));
    assert.ok(r.ok);
    await until('receipt', () => p.receipts.length === 1);
    assert.equal(p.receipts[0]!.providerId, r.providerId);
    assert.equal(p.receipts[0]!.state, 'REJECTD');
  } finally {
    await p.close();
  }
});
