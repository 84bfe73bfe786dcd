import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignState, callsOf, contact, rig, seedCampaign, setCampaignState } from './dialer-fixture.ts';

const debtors = (n: number) => Array.from({ length: n }, (_, i) => ({ phones: [`+3161200000${i}`] }));

test('pausing stops new dials at once while live calls finish; resuming continues', async () => {
  const r = rig();
  const { campaignId, contactIds } = seedCampaign(r.db, { debtors: debtors(6), settings: { maxCallsPerSecond: 2 } });
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 2);
  setCampaignState(r.db, campaignId, 'paused');
  await r.clock.advance(5000);
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 2, 'no new call while paused');
  for (const c of r.tel.open()) c.end({ cause: 19 });
  await r.clock.advance(0);
  assert.equal(contactIds.filter((id) => contact(r.db, id).status === 'in_progress').length, 0, 'the live calls were recorded');
  setCampaignState(r.db, campaignId, 'running');
  await r.dialer.tick();
  assert.equal(r.tel.calls.length, 4);
});

test('a campaign with nothing pending or in progress is finished by the dialer', async () => {
  const r = rig();
  const { campaignId } = seedCampaign(r.db, { debtors: debtors(2), settings: { maxAttemptsTotal: 1 } });
  await r.dialer.tick();
  assert.equal(campaignState(r.db, campaignId), 'running');
  for (const c of r.tel.open()) c.end({ cause: 17 });
  await r.clock.advance(1000);
  await r.dialer.tick();
  assert.equal(campaignState(r.db, campaignId), 'finished');
  const stats = r.dialer.stats(campaignId)!;
  assert.equal(stats.contacts.exhausted, 2);
  assert.equal(stats.busy, 2);
});

test('after a restart, calls gone from Asterisk are interrupted and their contacts dialled again; ringing calls are followed', async () => {
  const first = rig();
  const { contactIds } = seedCampaign(first.db, { debtors: debtors(3), settings: { retryDelayMinutes: { interrupted: 30 } } });
  await first.dialer.start();
  await first.clock.advance(0);
  assert.equal(first.tel.calls.length, 3);
  const [ringing, inFlow, gone] = first.tel.calls as [typeof first.tel.calls[0], typeof first.tel.calls[0], typeof first.tel.calls[0]];
  inFlow.enterStasis('HUMAN');
  await first.clock.advance(0);
  await first.dialer.stop({ drain: false });
  // While Bereik is down: one channel disappears without anyone hearing of it.
  first.tel.alive.delete(gone.id);

  const second = rig({ db: first.db, clock: first.clock, tel: first.tel });
  const report = await second.dialer.start();
  assert.deepEqual(report, { adopted: 1, interrupted: 2, released: 0 });
  assert.ok(inFlow.hungUp, 'the call whose flow died with the old process is hung up');
  const byCall = (id: string) => first.db.prepare(`SELECT state, disposition, result FROM calls WHERE id = ?`).get(id);
  assert.deepEqual(byCall(gone.id), { state: 'interrupted', disposition: 'failed', result: 'interrupted' });
  assert.deepEqual(byCall(inFlow.id), { state: 'interrupted', disposition: 'failed', result: 'interrupted' });
  assert.equal(contact(first.db, contactIds[0]!).status, 'in_progress', 'the ringing call still owns its contact');

  ringing.end({ cause: 17, dialStatus: 'BUSY' });
  await second.clock.advance(0);
  assert.deepEqual(callsOf(first.db, contactIds[0]!).map((c) => c.disposition), ['busy']);
  assert.equal(second.tel.calls.length, 3, 'nothing was dialled twice');

  await second.clock.advance(31 * 60_000);
  const numbers = second.tel.calls.slice(3).map((c) => c.number).sort();
  assert.deepEqual(numbers, [inFlow.number, ringing.number, gone.number].sort(), 'each contact dialled once more after its delay');
  await second.dialer.stop();
});

test('a call whose channel disappears without an end event is recorded by the watchdog, not left in progress', async () => {
  const r = rig();
  const { contactIds } = seedCampaign(r.db, { debtors: debtors(1) });
  await r.dialer.start();
  await r.clock.advance(0);
  const [call] = r.tel.calls;
  // Asterisk lost the channel and nobody told the client.
  r.tel.alive.delete(call!.id);
  await r.clock.advance(60_000);
  assert.equal(contact(r.db, contactIds[0]!).status, 'in_progress', 'still within the ring time and its margin');
  await r.clock.advance(3 * 60_000);
  assert.equal(contact(r.db, contactIds[0]!).status, 'pending');
  assert.equal(callsOf(r.db, contactIds[0]!)[0]!.state, 'ended');
  await r.dialer.stop();
});

test('an agent campaign dials no more calls than the pacer allows', async () => {
  const r = rig();
  seedCampaign(r.db, { debtors: debtors(6), mode: 'progressive', settings: { maxCallsPerSecond: 10 } });
  const at = '2026-11-23T08:00:00Z';
  for (const [i, state] of ['available', 'available', 'talking'].entries()) {
    r.db.prepare(`INSERT INTO agents (name, endpoint, state, state_since, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(`a${i}`, `PJSIP/agent${i}`, state, at, at, at);
  }
  assert.equal((await r.dialer.tick()).originated, 2, 'one call per available agent');
  await r.clock.advance(1000);
  assert.equal((await r.dialer.tick()).originated, 0, 'both agents have a call on its way');
});

test('after a graceful stop no new call starts, and calls still live are recorded when they end', async () => {
  const r = rig();
  const { contactIds } = seedCampaign(r.db, { debtors: debtors(3), settings: { maxCallsPerSecond: 1 } });
  await r.dialer.start();
  await r.clock.advance(0);
  assert.equal(r.tel.calls.length, 1);
  await r.dialer.stop();
  await r.clock.advance(10_000);
  assert.equal(r.tel.calls.length, 1, 'stopped: nothing more dialled');
  r.tel.calls[0]!.end({ cause: 17 });
  await r.clock.advance(0);
  assert.equal(callsOf(r.db, contactIds[0]!)[0]!.disposition, 'busy');
  assert.equal(contact(r.db, contactIds[0]!).status, 'pending');
});

test('a campaign started between ticks is dialled at once when the dialer is poked', async () => {
  const r = rig();
  await r.dialer.start();
  await r.clock.advance(100);
  seedCampaign(r.db, { debtors: debtors(1) });
  r.dialer.poke();
  await r.clock.advance(0);
  assert.equal(r.tel.calls.length, 1, 'dialled without waiting for the next tick');
  await r.dialer.stop();
});
