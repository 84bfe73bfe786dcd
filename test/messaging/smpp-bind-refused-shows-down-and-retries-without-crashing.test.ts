import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { SystemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createSmsChannel } from '../../src/messaging/sms/index.ts';
import { startSimSmsc } from '../../src/sim/smsc.ts';
import { startPair, sms, until } from './helpers/smsc-pair.ts';

test('a wrong password: health down with the reason, submits answer retry, the bind is retried and comes up when the SMSC accepts', async () => {
  const p = await startPair({ bind: { password: 'wrong' } });
  try {
    const h = p.channel.health();
    assert.equal(h.state, 'down');
    assert.match(h.links[0]!.detail!, /bind refused: ESME_RINVPASWD/);
    assert.doesNotMatch(JSON.stringify(h), /wrong/, 'the password appears nowhere');
    const r = await p.channel.submit(sms('+31612345678', 'x'));
    assert.deepEqual([r.ok, !r.ok && r.kind, !r.ok && r.code], [false, 'retry', 'SMPP_NOT_BOUND']);
    await until('a second refused bind (backoff retry)', () => p.sim.stats.bindsRefused >= 2);
    assert.equal(p.sim.stats.submits, 0);
  } finally {
    await p.close();
  }
});

test('refused binds are retried with exponential backoff, capped (random drawn at its top)', async () => {
  const sim = await startSimSmsc();
  const channel = createSmsChannel({ binds: [{ host: '127.0.0.1', port: sim.port, systemId: 'bereik', password: 'fout' }], reconnectMinMs: 20, reconnectMaxMs: 200 }, { clock: new SystemClock(), log: silentLogger(), random: () => 1 });
  const delays: number[] = [];
  channel.on('health', (h) => {
    const m = h.links[0]!.detail?.match(/reconnecting in (\d+) ms/);
    if (m) delays.push(Number(m[1]));
  });
  try {
    await channel.start();
    await until('six refusals', () => delays.length >= 6);
    assert.deepEqual(delays.slice(0, 6), [20, 40, 80, 160, 200, 200]);
  } finally {
    await channel.stop();
    await sim.close();
  }
});

test('ESME_RBINDFAIL from the SMSC, then accepted: the channel comes up by itself', async () => {
  const p = await startPair({ start: false });
  try {
    p.sim.faults.refuseBinds = 0x0d;
    await p.channel.start();
    assert.match(p.channel.health().links[0]!.detail!, /ESME_RBINDFAIL/);
    p.sim.faults.refuseBinds = 0;
    await until('bound', () => p.channel.health().state === 'up');
    assert.ok((await p.channel.submit(sms('+31612345678', 'na herstel'))).ok);
    assert.ok(p.healths.some((x) => x.state === 'down') && p.healths.at(-1)!.state === 'up');
  } finally {
    await p.close();
  }
});

test('an SMSC that answers bind_transceiver with generic_nack: down at once with the reason, not after the response timeout', async () => {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', (req: Buffer) => {
      const nack = Buffer.alloc(16);
      nack.writeUInt32BE(16, 0); nack.writeUInt32BE(0x80000000, 4); nack.writeUInt32BE(0x03, 8); nack.writeUInt32BE(req.readUInt32BE(12), 12);
      socket.write(nack);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const channel = createSmsChannel({ binds: [{ host: '127.0.0.1', port, systemId: 'bereik', password: 'x' }], reconnectMinMs: 5000, responseTimeoutMs: 60_000 }, { clock: new SystemClock(), log: silentLogger() });
  try {
    const t0 = Date.now();
    await channel.start();
    assert.ok(Date.now() - t0 < 5000);
    assert.match(channel.health().links[0]!.detail!, /bind refused: generic_nack ESME_RINVCMDID/);
  } finally {
    await channel.stop();
    await new Promise((r) => server.close(r));
  }
});
