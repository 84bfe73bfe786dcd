import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, sms } from './helpers/smsc-pair.ts';

test('a full window: never more than windowSize PDUs outstanding, the rest wait and all get through', async () => {
  const p = await startPair({ bind: { windowSize: 3, maxPerSecond: 10000 } });
  try {
    p.sim.faults.respDelayMs = 50;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => p.channel.submit(sms('+31612345678', `bericht ${i}`, i))));
    assert.ok(results.every((r) => r.ok));
    assert.equal(p.sim.stats.maxOutstanding, 3);
    assert.equal(p.sim.inbox('+31612345678').length, 12);
  } finally {
    await p.close();
  }
});

test('ESME_RTHROTTLED answers retry with retryAfterMs; after the pause the same message goes through', async () => {
  const p = await startPair({ tuning: { throttleBackoffMs: 200 } });
  try {
    p.sim.faults.throttleNext = 1;
    const r = await p.channel.submit(sms('+31612345678', 'eerste'));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.kind, 'retry');
      assert.equal(r.code, 'ESME_RTHROTTLED');
      assert.ok(r.retryAfterMs! > 0 && r.retryAfterMs! <= 200);
    }
    assert.equal(p.channel.health().links[0]!.state, 'throttled');
    const t0 = Date.now();
    assert.ok((await p.channel.submit(sms('+31612345678', 'eerste'))).ok);
    assert.ok(Date.now() - t0 >= 150, 'the bind waited out the pause before the next submit_sm');
    assert.equal(p.sim.inbox('+31612345678').length, 1, 'the throttled attempt was not delivered');
  } finally {
    await p.close();
  }
});

test('a throttled later part is retried on the bind: the message is sent once, whole', async () => {
  // The SMSC takes one submit per second: part 2 is throttled until the next second starts.
  const p = await startPair({ tuning: { throttleBackoffMs: 300 } });
  try {
    const text = 'lang '.repeat(40);
    p.sim.faults.maxPerSecond = 1;
    const r = await p.channel.submit(sms('+31612345678', text));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.parts, 2);
    assert.ok(p.sim.stats.throttled >= 1);
    assert.deepEqual(p.sim.inbox('+31612345678').map((m) => m.text), [text]);
  } finally {
    await p.close();
  }
});

test('the per-bind rate limit spaces submits out', async () => {
  const p = await startPair({ bind: { maxPerSecond: 20 } });
  try {
    const t0 = Date.now();
    // 20 pass at once (the bucket starts full), the next 10 need half a second.
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => p.channel.submit(sms('+31612345678', `r${i}`, i))));
    assert.ok(results.every((r) => r.ok));
    assert.ok(Date.now() - t0 >= 400, `took ${Date.now() - t0} ms`);
  } finally {
    await p.close();
  }
});

test('a window that stays full: waiting submits come back as retry SMPP_QUEUE_FULL, and the queue is bounded', async () => {
  const p = await startPair({ bind: { windowSize: 1 }, tuning: { queueTimeoutMs: 200, maxQueued: 2 } });
  try {
    p.sim.faults.respDelayMs = 3_000;
    const first = p.channel.submit(sms('+31612345678', 'in het venster', 1));
    const waiting = [2, 3].map((i) => p.channel.submit(sms('+31612345678', `wacht ${i}`, i)));
    const overflow = await p.channel.submit(sms('+31612345678', 'te veel', 4));
    assert.deepEqual([overflow.ok, !overflow.ok && overflow.kind, !overflow.ok && overflow.code], [false, 'retry', 'SMPP_QUEUE_FULL']);
    for (const r of await Promise.all(waiting)) assert.deepEqual([r.ok, !r.ok && r.kind, !r.ok && r.code], [false, 'retry', 'SMPP_QUEUE_FULL']);
    assert.equal(p.sim.stats.submits, 1, 'nothing that came back as retry reached the SMSC');
    assert.ok((await first).ok);
  } finally {
    await p.close();
  }
});
