import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, sms, until } from './helpers/smsc-pair.ts';

test('GSM, UCS-2 and concatenated messages reach the handset as written, each with one receipt', async () => {
  const p = await startPair();
  try {
    assert.equal(p.channel.health().state, 'up');
    const short = 'Uw factuur van €12,50 staat open. Betaal via https://b.nl/p/x [ref 42]';
    const ucs = 'Dank u 🙏 Zoë — ça coûte 5 €';
    const long = 'Beste klant, '.repeat(30) + '€ einde';
    const longUcs = 'Grüße 👋 ê'.repeat(20);
    const results = await Promise.all([short, ucs, long, longUcs].map((t, i) => p.channel.submit(sms('+31612345678', t, i))));
    for (const r of results) assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(results.map((r) => (r.ok ? r.parts : 0)), [1, 1, 3, 3]);
    const box = p.sim.inbox('+31612345678');
    await until('four messages on the handset', () => box.length === 4);
    const texts = box.map((m) => m.text).sort();
    assert.deepEqual(texts, [short, ucs, long, longUcs].sort());
    assert.equal(box.find((m) => m.text === ucs)!.dataCoding, 8);
    assert.equal(box.find((m) => m.text === short)!.from, '+3197010000000');
    await until('four receipts', () => p.receipts.length === 4);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(p.receipts.length, 4, 'one receipt per message, not per part');
    assert.deepEqual(new Set(p.receipts.map((r) => r.providerId)), new Set(results.map((r) => (r.ok ? r.providerId : ''))));
    assert.ok(p.receipts.every((r) => r.state === 'DELIVRD'));
  } finally {
    await p.close();
  }
});

test('an alphanumeric sender arrives as text; an undeliverable number gets UNDELIV with its error', async () => {
  const p = await startPair();
  try {
    const r = await p.channel.submit(sms('+31612345699', 'Herinnering', 7, { kind: 'alphanumeric', value: 'IncassoNrd' }));
    assert.ok(r.ok);
    assert.equal(p.sim.inbox('+31612345699')[0]!.from, 'IncassoNrd');
    await until('receipt', () => p.receipts.length === 1);
    assert.deepEqual(p.receipts[0], { channel: 'sms', providerId: r.providerId, state: 'UNDELIV', errorCode: '001', doneAt: p.receipts[0]!.doneAt });
  } finally {
    await p.close();
  }
});

test('unsendable messages are refused as permanent without touching the network', async () => {
  const p = await startPair();
  try {
    const rows: Array<[ReturnType<typeof sms>, string]> = [
      [sms('0612345678', 'x'), 'SMS_BAD_DESTINATION'],
      [sms('+31612345678', 'x', 1, { kind: 'alphanumeric', value: 'WayTooLongSender' }), 'SMS_BAD_SENDER'],
      [sms('+31612345678', ''), 'SMS_EMPTY'],
      [sms('+31612345678', 'a'.repeat(153 * 10 + 1)), 'SMS_TOO_LONG'],
    ];
    for (const [msg, code] of rows) {
      const r = await p.channel.submit(msg);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.kind, 'permanent');
        assert.equal(r.code, code);
      }
    }
    assert.equal(p.sim.stats.submits, 0);
  } finally {
    await p.close();
  }
});
