import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, sms, until } from './helpers/smsc-pair.ts';

test('the connection drops with PDUs in flight: those submits are uncertain, the bind reconnects, the next one goes through', async () => {
  const p = await startPair({ bind: { windowSize: 5 } });
  try {
    p.sim.faults.respDelayMs = 60_000;
    const pending = Array.from({ length: 3 }, (_, i) => p.channel.submit(sms('+31612345678', `m${i}`, i)));
    await until('three submits at the SMSC', () => p.sim.stats.submits === 3);
    p.sim.dropConnections();
    const results = await Promise.all(pending);
    for (const r of results) assert.deepEqual([r.ok, !r.ok && r.kind, !r.ok && r.code], [false, 'uncertain', 'SMPP_CONNECTION_LOST']);
    p.sim.faults.respDelayMs = 0;
    await until('bound again', () => p.channel.health().state === 'up');
    assert.ok((await p.channel.submit(sms('+31612345678', 'na de val'))).ok);
  } finally {
    await p.close();
  }
});

test('the SMSC restarts: health goes down, then up again on the same port, and sending resumes', async () => {
  const p = await startPair();
  try {
    await p.sim.close();
    await until('down', () => p.channel.health().state === 'down');
    const r = await p.channel.submit(sms('+31612345678', 'tijdens de herstart'));
    assert.equal(!r.ok && r.kind, 'retry');
    await p.sim.listen();
    await until('up', () => p.channel.health().state === 'up', 8000);
    assert.ok((await p.channel.submit(sms('+31612345678', 'erna'))).ok);
    assert.deepEqual(p.sim.inbox('+31612345678').map((m) => m.text), ['erna']);
  } finally {
    await p.close();
  }
});

test('an unanswered enquire_link marks the link dead: it is cut and rebuilt', async () => {
  const p = await startPair({ bind: { enquireLinkSec: 1 }, tuning: { enquireLinkTimeoutMs: 200 } });
  try {
    p.sim.faults.enquireLinkDelayMs = Infinity;
    await until('a dead-link reconnect', () => p.healths.some((h) => h.links[0]!.detail?.includes('enquire_link unanswered')), 5000);
    p.sim.faults.enquireLinkDelayMs = 0;
    await until('up', () => p.channel.health().state === 'up');
    assert.ok(p.sim.stats.binds >= 2);
  } finally {
    await p.close();
  }
});

test('malformed PDUs from the SMSC are answered with generic_nack and never crash the channel', async () => {
  const p = await startPair();
  try {
    // An unknown command id, then a deliver_sm whose body stops after two fields.
    const unknown = Buffer.alloc(16);
    unknown.writeUInt32BE(16, 0); unknown.writeUInt32BE(0x00000777, 4); unknown.writeUInt32BE(9, 12);
    const truncated = Buffer.alloc(19);
    truncated.writeUInt32BE(19, 0); truncated.writeUInt32BE(0x00000005, 4); truncated.writeUInt32BE(10, 12);
    p.sim.sendRaw(Buffer.concat([unknown, truncated]));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(p.channel.health().state, 'up');
    assert.ok((await p.channel.submit(sms('+31612345678', 'nog steeds'))).ok);
    // A length field no framer can trust: the link is cut and rebuilt, still no crash.
    const bogus = Buffer.alloc(16);
    bogus.writeUInt32BE(5, 0);
    p.sim.sendRaw(bogus);
    await until('rebound', () => p.sim.stats.binds >= 2 && p.channel.health().state === 'up');
    assert.ok((await p.channel.submit(sms('+31612345678', 'weer'))).ok);
  } finally {
    await p.close();
  }
});
