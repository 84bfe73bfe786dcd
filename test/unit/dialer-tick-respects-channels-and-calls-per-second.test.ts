import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rig, seedCampaign } from './dialer-fixture.ts';

const phones = (n: number, base = 31612000000) => Array.from({ length: n }, (_, i) => ({ phones: [`+${base + i}`] }));

test('a tick starts no more calls than the free channels and the campaign calls-per-second allow', async () => {
  const r = rig({ trunkCps: 10 });
  seedCampaign(r.db, { debtors: phones(40), settings: { maxConcurrentChannels: 8, maxCallsPerSecond: 5 } });

  assert.equal((await r.dialer.tick()).originated, 5, 'first tick: the campaign bucket holds 5 calls');
  await r.clock.advance(1000);
  assert.equal((await r.dialer.tick()).originated, 3, 'second tick: only 3 of 8 channels are free');
  await r.clock.advance(1000);
  assert.equal((await r.dialer.tick()).originated, 0, 'all 8 channels busy');

  for (const c of r.tel.open().slice(0, 4)) c.end({ cause: 17, dialStatus: 'BUSY' });
  await r.clock.advance(1000);
  assert.equal((await r.dialer.tick()).originated, 4, 'four channels freed');
  assert.equal(r.tel.open().length, 8);
});

test('the trunk budget is shared by all running campaigns', async () => {
  const r = rig({ trunkCps: 4 });
  seedCampaign(r.db, { debtors: phones(20), settings: { maxCallsPerSecond: 10 } });
  seedCampaign(r.db, { debtors: phones(20, 31613000000), settings: { maxCallsPerSecond: 10 } });
  assert.equal((await r.dialer.tick()).originated, 4);
  await r.clock.advance(500);
  assert.equal((await r.dialer.tick()).originated, 2, 'half a second refills half the trunk budget');
  const second = r.tel.calls.filter((c) => c.number.startsWith('+31613')).length;
  assert.ok(second > 0 && second < 6, `both campaigns got calls out (second: ${second} of 6)`);
});

test('originate goes to the trunk endpoint, into bereik-outbound, with caller ID, ring timeout and call id', async () => {
  const r = rig();
  seedCampaign(r.db, { debtors: [{ phones: ['+31612345678'] }], settings: { ringTimeoutSec: 30, callerName: 'Incasso "Noord"' } });
  await r.dialer.tick();
  const [call] = r.tel.calls;
  assert.ok(call?.opts, 'one call placed');
  assert.equal(call.opts.endpoint, 'PJSIP/+31612345678@trunk');
  assert.deepEqual(call.opts.route, { kind: 'dialplan', context: 'bereik-outbound', extension: 's', priority: 1 });
  assert.equal(call.opts.callerId, '"Incasso Noord" <+31201234567>');
  assert.equal(call.opts.timeoutSec, 30);
  assert.equal(call.opts.variables?.BEREIK_CALL_ID, call.id);
  const row = r.db.prepare(`SELECT state, to_number, from_number FROM calls WHERE id = ?`).get(call.id);
  assert.deepEqual(row, { state: 'dialing', to_number: '+31612345678', from_number: '+31201234567' });
});

test('one debtor is never dialled twice at once, even for two claims in two campaigns', async () => {
  const r = rig();
  const a = seedCampaign(r.db, { debtors: [{ phones: ['+31612345678'] }] });
  seedCampaign(r.db, { debtors: [{ phones: [], debtorId: a.debtorIds[0]! }] });
  assert.equal((await r.dialer.tick()).originated, 1);
  await r.clock.advance(1000);
  assert.equal((await r.dialer.tick()).originated, 0, 'the debtor is on the phone');
  const deferred = r.db.prepare(`SELECT data FROM events WHERE kind = 'contact_deferred'`).all() as { data: string }[];
  assert.equal(deferred.length, 1);
  assert.equal(JSON.parse(deferred[0]!.data).reason, 'debtor_on_call');
});

test('two dialers on one database never claim the same contact', async () => {
  const r1 = rig();
  const r2 = rig({ db: r1.db, clock: r1.clock });
  seedCampaign(r1.db, { debtors: phones(7), settings: { maxCallsPerSecond: 10, maxConcurrentChannels: 30 } });
  await Promise.all([r1.dialer.tick(), r2.dialer.tick()]);
  const dialled = [...r1.tel.calls, ...r2.tel.calls].map((c) => c.number);
  assert.equal(dialled.length, 7);
  assert.equal(new Set(dialled).size, 7);
});
