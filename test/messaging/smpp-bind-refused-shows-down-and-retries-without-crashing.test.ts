import { test } from 'node:test';
import assert from 'node:assert/strict';
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
