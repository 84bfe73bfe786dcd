import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, until } from './helpers/smsc-pair.ts';

test('a handset reply reaches the channel decoded, long and UCS-2 replies reassembled from their parts', async () => {
  const p = await startPair();
  try {
    const long = 'Ik heb gisteren betaald, zie bijlage. '.repeat(8);
    const emoji = 'BETAALD 👍 groetjes Zoë '.repeat(6);
    assert.deepEqual(await p.sim.reply('+31612345678', '+3197010000000', 'STOP'), [0]);
    const statuses = await p.sim.reply('+31612345678', '+3197010000000', long);
    assert.ok(statuses.length > 1 && statuses.every((s) => s === 0));
    await p.sim.reply('+31687654321', '+3197010000000', emoji);
    await until('three replies', () => p.inbound.length === 3);
    assert.deepEqual(p.inbound, [
      { channel: 'sms', from: '+31612345678', to: '+3197010000000', body: 'STOP' },
      { channel: 'sms', from: '+31612345678', to: '+3197010000000', body: long },
      { channel: 'sms', from: '+31687654321', to: '+3197010000000', body: emoji },
    ]);
    assert.equal(p.receipts.length, 0);
  } finally {
    await p.close();
  }
});

test('a listener that throws does not stop the reply from being acknowledged, nor the next one from arriving', { timeout: 10_000 }, async () => {
  const p = await startPair();
  try {
    let calls = 0;
    p.channel.prependListener('inbound', () => {
      if (++calls === 1) throw new Error('outbox busy');
    });
    // Before: the throw escaped onDeliver, no deliver_sm_resp went out, and the SMSC waited for ever.
    assert.deepEqual(await p.sim.reply('+31612345678', '+3197010000000', 'BEL MIJ'), [0]);
    assert.deepEqual(await p.sim.reply('+31612345678', '+3197010000000', 'REGELING'), [0]);
    await until('the second reply', () => calls === 2);
    // EventEmitter skips the later listeners of the event that threw; the next event reaches them all.
    assert.deepEqual(p.inbound.map((m) => m.body), ['REGELING']);
    assert.equal(p.channel.health().state, 'up');
  } finally {
    await p.close();
  }
});
