import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { openDb } from '../../src/store/db.ts';
import { AgentStore } from '../../src/store/agents.ts';
import { AgentRegistry } from '../../src/agents/registry.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

function setup(wrapUpSec = 30) {
  const db = openDb(':memory:');
  const clock = new FakeClock('2026-11-23T09:00:00Z');
  const reg = new AgentRegistry({ agents: createSqliteStore(db).agents, clock, log: silentLogger(), wrapUpSec });
  return { db, clock, reg };
}

test('two debtors asking at once never get the same agent', () => {
  const { db, reg } = setup();
  const one = reg.create({ name: 'Anna', endpoint: 'PJSIP/agent1', skills: [] });
  reg.apply(one.id, 'go_available');
  const first = reg.reserve('');
  const second = reg.reserve('');
  assert.equal(first?.id, one.id);
  assert.equal(second, undefined);
  assert.equal(new AgentStore(db).get(one.id)?.state, 'reserved', 'the reservation is persisted');
  db.close();
});

test('after a conversation the agent wraps up, and becomes available when the wrap-up time has passed', async () => {
  const { db, clock, reg } = setup(30);
  const ag = reg.create({ name: 'Bram', endpoint: 'PJSIP/agent2', skills: ['nl'] });
  reg.apply(ag.id, 'go_available');
  reg.reserve('nl');
  reg.apply(ag.id, 'ring');
  reg.apply(ag.id, 'answer');
  await clock.advance(120_000);
  reg.apply(ag.id, 'hang_up');
  assert.equal(reg.get(ag.id)?.state, 'wrap_up');
  await clock.advance(29_000);
  assert.equal(reg.get(ag.id)?.state, 'wrap_up');
  await clock.advance(1_000);
  assert.equal(reg.get(ag.id)?.state, 'available');
  assert.equal(new AgentStore(db).get(ag.id)?.stateSince, '2026-11-23T09:02:30.000Z');
  assert.equal(clock.pending, 0);
  db.close();
});

test('ending wrap-up early cancels the wrap-up timer; a refused change says why', async () => {
  const { db, clock, reg } = setup(30);
  const ag = reg.create({ name: 'Cor', endpoint: 'PJSIP/agent3', skills: [] });
  reg.apply(ag.id, 'go_available');
  reg.reserve('');
  reg.apply(ag.id, 'ring');
  reg.apply(ag.id, 'answer');
  assert.throws(() => reg.apply(ag.id, 'pause'), (e) => isBereikError(e, 'CONFLICT') && /cannot pause while talking/.test(e.message));
  reg.apply(ag.id, 'hang_up');
  reg.apply(ag.id, 'wrap_up_end');
  assert.equal(clock.pending, 0);
  reg.apply(ag.id, 'pause');
  await clock.advance(60_000);
  assert.equal(reg.get(ag.id)?.state, 'paused');
  db.close();
});

test('after a restart an agent who was on a call comes back in wrap-up, not stuck talking', () => {
  const { db, clock, reg } = setup();
  const ag = reg.create({ name: 'Dien', endpoint: 'PJSIP/agent4', skills: [] });
  reg.apply(ag.id, 'go_available');
  reg.reserve('');
  reg.apply(ag.id, 'ring');
  reg.apply(ag.id, 'answer');
  reg.close();
  const again = new AgentRegistry({ agents: createSqliteStore(db).agents, clock, log: silentLogger(), wrapUpSec: 30 });
  assert.equal(again.get(ag.id)?.state, 'wrap_up');
  again.close();
  db.close();
});
