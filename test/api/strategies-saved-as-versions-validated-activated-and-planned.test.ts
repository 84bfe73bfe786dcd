import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { startTestApp } from '../helpers/app.ts';
import { seedDebtor } from '../helpers/messages.ts';

async function rig(t: { after(fn: () => Promise<void>): void }) {
  // Monday 23 November 2026, 08:00 in Amsterdam.
  const h = await startTestApp({ clock: new FakeClock('2026-11-23T07:00:00Z'), telephony: false, messaging: false, config: { strategies: { callerId: '+31201234567', defaultId: 'default' } } });
  t.after(() => h.close());
  return h;
}

const doc = (name: string) => ({ id: 'digital', name, segments: [{ name: 'all', steps: [{ day: 0, action: 'email' }, { day: 2, action: 'sms' }] }] });

test('the shipped default is installed and active at first start; a saved document becomes the next version, active, the old one kept', async (t) => {
  const h = await rig(t);
  const list = (await (await h.api('/strategies')).json()) as Array<{ strategy: { id: string; version: number }; active: boolean }>;
  assert.deepEqual(list.map((s) => [s.strategy.id, s.strategy.version, s.active]), [['default', 1, true]]);

  const first = await h.api('/strategies', { method: 'POST', json: doc('Digital') });
  assert.equal(first.status, 201);
  const second = await h.api('/strategies', { method: 'POST', json: { ...doc('Digital, v2'), version: 99 } });
  const v2 = (await second.json()) as { strategy: { version: number; name: string }; active: boolean };
  assert.deepEqual([v2.strategy.version, v2.strategy.name, v2.active], [2, 'Digital, v2', true], 'the version is the store\'s, not the document\'s');
  const versions = (await (await h.api('/strategies/digital/versions')).json()) as Array<{ strategy: { version: number }; active: boolean }>;
  assert.deepEqual(versions.map((v) => [v.strategy.version, v.active]), [[2, true], [1, false]]);

  const back = await h.api('/strategies/digital/versions/1/activate', { method: 'POST' });
  assert.equal(back.status, 200);
  assert.equal(((await (await h.api('/strategies/digital')).json()) as { strategy: { version: number } }).strategy.version, 1);
  assert.equal((await h.api('/strategies/digital/versions/7/activate', { method: 'POST' })).status, 404);
  assert.equal((await h.api('/strategies/nope')).status, 404);
});

test('a bad document is refused with 400, each problem naming its path; nothing is stored', async (t) => {
  const h = await rig(t);
  const res = await h.api('/strategies', { method: 'POST', json: { id: 'bad', name: 'Bad', segments: [{ name: 'all', steps: [{ day: 0, action: 'fax' }, { action: 'external' }] }] } });
  assert.equal(res.status, 400);
  const body = ((await res.json()) as { error: { code: string; message: string; details: Array<{ field: string; rule: string }> } }).error;
  assert.equal(body.code, 'VALIDATION');
  assert.deepEqual(body.details.map((d) => [d.field, d.rule]), [
    ['strategy.segments[0].steps[0].action', 'not_allowed'],
    ['strategy.segments[0].steps[1]', 'step_trigger'],
    ['strategy.segments[0].steps[1].kind', 'kind_needed'],
  ]);
  assert.match(body.message, /strategy\.segments\[0\]\.steps\[0\]\.action must be one of/);
  assert.equal((await h.api('/strategies/bad')).status, 404);
});

test('POST /strategies/plan runs today\'s plan and the debtor\'s actions are listed; operators only', async (t) => {
  const h = await rig(t);
  const d = seedDebtor(h.app.deps.store);
  const res = await h.api('/strategies/plan', { method: 'POST' });
  assert.equal(res.status, 200);
  const counts = (await res.json()) as Record<string, unknown>;
  assert.deepEqual([counts.today, counts.debtors, counts.planned, counts.executed], ['2026-11-23', 1, 2, 2]);
  const actions = (await (await h.api(`/debtors/${d.debtorId}/actions`)).json()) as Array<{ action: string; status: string; strategyId: string; arm: string; segment: string; messageId: number }>;
  assert.deepEqual(actions.map((a) => [a.action, a.status, a.strategyId, a.arm, a.segment]).sort(), [
    ['email', 'executed', 'default', 'champion', 'small'],
    ['sms', 'executed', 'default', 'champion', 'small'],
  ]);
  assert.ok(actions.every((a) => a.messageId > 0));
  assert.equal((await h.api('/strategies/plan', { method: 'POST', role: 'agent' })).status, 403);
});
