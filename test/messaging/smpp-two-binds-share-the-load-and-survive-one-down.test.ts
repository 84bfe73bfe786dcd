import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createSmsChannel } from '../../src/messaging/sms/index.ts';
import { startSimSmsc } from '../../src/sim/smsc.ts';
import { startPair, sms, until } from './helpers/smsc-pair.ts';

test('two binds: messages alternate between them, and both come back after the SMSC cuts them', async () => {
  const p = await startPair({ binds: 2 });
  try {
    assert.equal(p.sim.sessions, 2);
    for (let i = 0; i < 10; i++) assert.ok((await p.channel.submit(sms('+31612345678', `rr${i}`, i))).ok);
    assert.deepEqual(p.sim.submitsPerSession, [5, 5]);
    p.sim.dropConnections();
    await until('both up again', () => p.sim.sessions === 2 && p.channel.health().state === 'up');
    assert.ok((await p.channel.submit(sms('+31612345678', 'daarna'))).ok);
  } finally {
    await p.close();
  }
});

test('one of two binds refused: health degraded naming it, every message goes over the bound one', async () => {
  const sim = await startSimSmsc({ credentials: [{ systemId: 'bereik', password: 'secret' }] });
  const channel = createSmsChannel(
    {
      binds: [
        { ...sim.bindConfig(), name: 'kpn' },
        { name: 'backup', host: '127.0.0.1', port: sim.port, systemId: 'bereik', password: 'verkeerd' },
      ],
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
    },
    { clock: new SystemClock(), log: silentLogger(), random: () => 0 },
  );
  try {
    await channel.start();
    const h = channel.health();
    assert.equal(h.state, 'degraded');
    assert.deepEqual(h.links.map((l) => [l.name, l.state]), [['kpn', 'bound'], ['backup', 'down']]);
    assert.match(h.links[1]!.detail!, /ESME_RINVPASWD/);
    for (let i = 0; i < 6; i++) assert.ok((await channel.submit(sms('+31612345678', `m${i}`, i))).ok);
    assert.deepEqual(sim.submitsPerSession, [6]);
  } finally {
    await channel.stop();
    await sim.close();
  }
});
