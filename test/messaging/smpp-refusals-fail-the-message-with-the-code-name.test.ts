import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, sms } from './helpers/smsc-pair.ts';

test('an SMSC refusal fails the message as permanent with the code name; a queue-full answer is retry', async () => {
  const p = await startPair({ tuning: { throttleBackoffMs: 50 } });
  try {
    p.sim.faults.refuseDestinations = { '+31612345601': 0x0b, '+31612345602': 0x401, '+31612345603': 0x14 };
    const [bad, vendor, full] = await Promise.all(['01', '02', '03'].map((n) => p.channel.submit(sms(`+316123456${n}`, 'x'))));
    assert.deepEqual(bad, { ok: false, kind: 'permanent', code: 'ESME_RINVDSTADR', reason: 'the SMSC refused the message with ESME_RINVDSTADR' });
    assert.deepEqual([vendor!.ok, !vendor!.ok && vendor!.kind, !vendor!.ok && vendor!.code], [false, 'permanent', 'ESME_0x00000401']);
    assert.deepEqual([full!.ok, !full!.ok && full!.kind, !full!.ok && full!.code], [false, 'retry', 'ESME_RMSGQFUL']);
    assert.equal(p.sim.inbox('+31612345601').length, 0);
  } finally {
    await p.close();
  }
});

test('a refused later part leaves the message uncertain (earlier parts are with the SMSC): never resent blindly', async () => {
  const p = await startPair();
  try {
    let n = 0;
    p.sim.faults.refuseDestinations = new Proxy({}, { get: (_t, to) => (to === '+31612345678' && ++n === 2 ? 0x45 : undefined) });
    const r = await p.channel.submit(sms('+31612345678', 'twee delen '.repeat(20)));
    assert.deepEqual([r.ok, !r.ok && r.kind, !r.ok && r.code], [false, 'uncertain', 'SMS_PARTIAL']);
  } finally {
    await p.close();
  }
});
