import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { dialerRoutes } from '../../src/dialer/runtime/routes.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { rig, seedCampaign, summary } from './dialer-fixture.ts';

test('GET /campaigns/:id/stats shows contacts by status and what the calls came to', async () => {
  const r = rig();
  const { campaignId } = seedCampaign(r.db, { debtors: [1, 2, 3, 4].map((i) => ({ phones: [`+3161200000${i}`] })), settings: { maxAttemptsTotal: 1 } });
  await r.dialer.tick();
  const [paid, busy, machine] = r.tel.calls;
  paid!.enterStasis('HUMAN');
  machine!.enterStasis('MACHINE');
  busy!.end({ cause: 17 });
  await r.clock.advance(0);
  r.dialer.onCallFinished(summary(paid!.id, 'paylink_requested', { identityConfirmed: true, messageHeard: true }));
  r.dialer.onCallFinished(summary(machine!.id, 'voicemail_left', { disposition: 'machine' }));
  paid!.end({ cause: 16 });
  machine!.end({ cause: 16 });
  await r.clock.advance(0);

  const app = Fastify();
  registerErrorHandling(app);
  let guarded = 0;
  await app.register(dialerRoutes, { stats: (id) => r.dialer.stats(id), guard: async () => void guarded++ });
  try {
    const res = await app.inject({ method: 'GET', url: `/campaigns/${campaignId}/stats` });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.contacts, { pending: 0, in_progress: 1, done: 1, exhausted: 2, invalid: 0, dnc: 0, total: 4 });
    assert.deepEqual([body.answered, body.busy, body.machine, body.paylinks, body.calls.live], [1, 1, 1, 1, 1]);
    assert.equal(guarded, 1, 'the guard ran');
    const missing = await app.inject({ method: 'GET', url: '/campaigns/999/stats' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'NOT_FOUND');
  } finally {
    await app.close();
  }
});
