import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { MessageComposer } from '../../src/messaging/compose.ts';
import { CampaignService } from '../../src/campaigns/service.ts';
import { PaymentService } from '../../src/payments/service.ts';
import { blankEntry } from '../../src/payments/types.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/repositories.ts';
import { StrategyPlanner } from '../../src/strategy/planner.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';
import { shippedDefault } from './strategy-fixture.ts';

function rig() {
  const store = memoryStore();
  const clock = new FakeClock('2026-11-23T07:00:00Z'); // Monday 08:00 in Amsterdam
  const log = silentLogger();
  const composer = new MessageComposer({ store, clock, publicUrl: 'https://bereik.example.nl', smsSender: 'number:+3197010587400', emailFrom: 'Incasso <noreply@example.nl>', linkTtlDays: 30 });
  const campaigns = new CampaignService({ store, clock, log });
  const planner = new StrategyPlanner({ store, clock, log, composer, campaigns, callerId: '+31201234567' });
  const strategy = store.strategies.save({ id: 'default', name: 'Default', json: JSON.stringify(shippedDefault()) }, true, '2026-11-01T00:00:00.000Z');
  const day = (iso: string) => clock.set(iso);
  return { store, clock, planner, strategy, day, payments: new PaymentService({ store, clock, log }) };
}

const actions = (store: Store, debtorId: number) =>
  store.strategies.actionsOf(debtorId).reverse().map((a) => `${a.plannedFor} ${a.action}${a.kind ? `:${a.kind}` : ''} ${a.status}${a.reason ? `:${a.reason}` : ''}`);

test('day 0: the pay link by SMS and e-mail, recorded with strategy, version, arm, segment and claims; a disputed debtor gets nothing; a second run the same day adds nothing', async () => {
  const r = rig();
  const small = seedDebtor(r.store, { claims: [{ cents: 4_000 }, { cents: 8_000 }] });
  const disputed = seedDebtor(r.store);
  sqliteHandle(r.store).prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, status, created_at, updated_at) VALUES (?, 'Gas BV', 'X-1', 500, 'disputed', ?, ?)`).run(disputed.debtorId, 'x', 'x');

  const counts = await r.planner.planDay();
  assert.equal(counts.today, '2026-11-23');
  assert.deepEqual([counts.debtors, counts.assigned, counts.planned, counts.executed], [2, 2, 2, 2], 'both are in the strategy; only one is written to');
  assert.deepEqual(counts.stoppedBy, { dispute: 1 });
  assert.deepEqual(actions(r.store, small.debtorId), ['2026-11-23 sms executed', '2026-11-23 email executed']);
  assert.deepEqual(actions(r.store, disputed.debtorId), []);

  const [sms, email] = r.store.strategies.actionsOf(small.debtorId).reverse();
  assert.deepEqual(
    { id: sms!.strategyId, version: sms!.strategyVersion, arm: sms!.arm, segment: sms!.segment, claims: sms!.claimIds, open: sms!.openCents, channel: sms!.channel },
    { id: 'default', version: r.strategy.version, arm: 'champion', segment: 'small', claims: small.claimIds, open: 12_000, channel: 'sms' },
  );
  const msg = r.store.messages.get(sms!.messageId!)!;
  assert.equal(msg.channel, 'sms');
  assert.equal(msg.source, 'strategy', 'not held to a campaign\'s lifecycle by the outbox');
  assert.equal(msg.to, small.mobile);
  assert.match(msg.body, /https:\/\/bereik\.example\.nl\/p\//, 'a tracked pay link');
  assert.equal(r.store.messages.get(email!.messageId!)!.to, small.email);

  const [again, atTheSameTime] = await Promise.all([r.planner.planDay(), r.planner.planDay()]);
  assert.strictEqual(again, atTheSameTime, 'a second call during a run shares it');
  assert.deepEqual([again.planned, again.executed], [0, 0]);
  assert.equal(r.store.strategies.actionsOf(small.debtorId).length, 2);
});

test('a large amount goes to an agent on day 1: a contact in the strategy\'s progressive campaign, running, which the dialer calls', async () => {
  const r = rig();
  const big = seedDebtor(r.store, { claims: [{ cents: 150_000 }] });
  await r.planner.planDay();
  await r.day('2026-11-24T07:00:00Z');
  const counts = await r.planner.planDay();
  assert.deepEqual(counts.plannedBy, { call_agent: 1 });
  const [call] = r.store.strategies.actionsOf(big.debtorId);
  assert.equal(call!.status, 'executed');
  const campaign = r.store.campaigns.get(call!.campaignId!)!;
  assert.deepEqual([campaign.name, campaign.mode, campaign.state], ['Strategy: Default (agent)', 'progressive', 'running']);
  const contact = sqliteHandle(r.store).prepare(`SELECT status, debtor_id AS debtorId, claim_id AS claimId FROM contacts WHERE id = ?`).get(call!.contactId) as { status: string; debtorId: number; claimId: number };
  assert.deepEqual(contact, { status: 'pending', debtorId: big.debtorId, claimId: big.claimIds[0] });
});

test('a claim paid between planning and execution: the planned call is stopped and nothing is queued; the next day nothing is planned', async () => {
  const r = rig();
  const small = seedDebtor(r.store);
  await r.planner.planDay();
  await r.day('2026-11-26T07:00:00Z'); // day 3: the automated call
  const planned = await r.planner.plan();
  assert.deepEqual(planned.plannedBy, { call_ivr: 1 });
  r.payments.apply({ ...blankEntry('api', 'test'), externalId: 'psp-1', amountCents: 12_345, bookedOn: '2026-11-26', claimId: small.claimIds[0]! }, null, '2026-11-26T07:01:00.000Z');
  const done = await r.planner.execute();
  assert.deepEqual([done.executed, done.stopped], [0, 1]);
  assert.deepEqual(actions(r.store, small.debtorId), ['2026-11-23 sms executed', '2026-11-23 email executed', '2026-11-26 call_ivr stopped:paid_in_full']);
  assert.equal(sqliteHandle(r.store).prepare(`SELECT count(*) FROM contacts`).pluck().get(), 0, 'no call queued');
  await r.day('2026-11-30T07:00:00Z');
  assert.equal((await r.planner.planDay()).debtors, 0, 'a paid debtor is not visited');
});

test('an SMS step for a debtor without a mobile is skipped with the reason, and the timeline goes on', async () => {
  const r = rig();
  const d = seedDebtor(r.store, { mobile: '+31201111111' }); // a landline
  await r.planner.planDay();
  assert.deepEqual(actions(r.store, d.debtorId), ['2026-11-23 sms skipped:NO_MOBILE', '2026-11-23 email executed']);
});
