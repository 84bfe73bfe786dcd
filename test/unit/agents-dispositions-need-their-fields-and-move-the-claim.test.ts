import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, isoUtc } from '../../src/lib/clock.ts';
import { openDb } from '../../src/store/db.ts';
import { createCall } from '../../src/store/calls.ts';
import { AgentStore } from '../../src/store/agents.ts';
import { listCallbacksForDebtor } from '../../src/store/callbacks.ts';
import { recordAgentDisposition, type DispositionInput } from '../../src/agents/dispositions.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

function setup() {
  const db = openDb(':memory:');
  const clock = new FakeClock('2026-11-23T10:00:00Z');
  const now = isoUtc(clock.now());
  const debtor = Number(db.prepare(`INSERT INTO debtors (external_ref, name, created_at, updated_at) VALUES ('D1', 'Jan', ?, ?)`).run(now, now).lastInsertRowid);
  const claim = Number(
    db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, 'C', 'F1', 10000, ?, ?)`).run(debtor, now, now).lastInsertRowid,
  );
  const agent = new AgentStore(db).create({ name: 'Anna', endpoint: 'PJSIP/a1', skills: [] }, now);
  const stranger = new AgentStore(db).create({ name: 'Bob', endpoint: 'PJSIP/a2', skills: [] }, now);
  createCall(db, { id: 'c1', direction: 'inbound', createdAt: now, debtorId: debtor });
  createCall(db, { id: 'c1-agent', direction: 'agent', createdAt: now, debtorId: debtor, agentId: agent.id, parentCallId: 'c1' });
  const status = () => (db.prepare('SELECT status FROM claims WHERE id = ?').get(claim) as { status: string }).status;
  return { db, clock, debtor, claim, agent: agent.id, stranger: stranger.id, status };
}

const refused: [string, Partial<DispositionInput>, RegExp][] = [
  ['a promise without a date', { kind: 'promise_to_pay', amountCents: 100 }, /promiseDate is required/],
  ['a promise without an amount', { kind: 'promise_to_pay', promiseDate: '2026-12-01' }, /amountCents is required/],
  ['a promise dated in the past', { kind: 'promise_to_pay', promiseDate: '2026-11-22', amountCents: 100 }, /promiseDate must not be in the past/],
  ['an arrangement without an amount', { kind: 'payment_arrangement' }, /amountCents is required/],
  ['a callback without a time', { kind: 'callback' }, /callbackAt is required/],
  ['a callback in the past', { kind: 'callback', callbackAt: '2026-11-23T09:00:00Z' }, /callbackAt must be in the future/],
  ['an empty note', { kind: 'other', note: '  ' }, /note is required/],
  ['a call of someone else', { kind: 'dispute', callId: 'nope' }, /callId is not a call of this debtor/],
];
for (const [name, input, msg] of refused) {
  test(`disposition refused: ${name}`, () => {
    const s = setup();
    assert.throws(() => recordAgentDisposition(createSqliteStore(s.db), s.clock, s.agent, { claimId: s.claim, ...input } as DispositionInput), (e) => isBereikError(e, 'VALIDATION') && msg.test(e.message));
    assert.equal(s.status(), 'open', 'nothing was written');
  });
}

test('each result moves the claim to the status it implies', () => {
  for (const [kind, extra, want] of [
    ['promise_to_pay', { promiseDate: '2026-12-01', amountCents: 5000 }, 'promised'],
    ['payment_arrangement', { amountCents: 2500 }, 'arranged'],
    ['dispute', {}, 'disputed'],
    ['wrong_person', {}, 'open'],
  ] as const) {
    const s = setup();
    recordAgentDisposition(createSqliteStore(s.db), s.clock, s.agent, { claimId: s.claim, callId: 'c1', kind, ...extra });
    assert.equal(s.status(), want, kind);
  }
});

test('a callback result books a callback request at the agreed time', () => {
  const s = setup();
  recordAgentDisposition(createSqliteStore(s.db), s.clock, s.agent, { claimId: s.claim, kind: 'callback', callbackAt: '2026-11-26T09:30:00+01:00' });
  assert.deepEqual(listCallbacksForDebtor(s.db, s.debtor).map((c) => [c.reason, c.dueAt, c.status]), [['agent_callback', '2026-11-26T08:30:00.000Z', 'open']]);
});

test('an agent cannot record on a debtor who was never put through to them, and is told no more than for a claim that does not exist', () => {
  const s = setup();
  const refusal = (claimId: number) => {
    try {
      recordAgentDisposition(createSqliteStore(s.db), s.clock, s.stranger, { claimId, kind: 'dispute' });
    } catch (e) {
      assert.ok(isBereikError(e, 'NOT_FOUND'));
      return e.message.replace(String(claimId), '#');
    }
    assert.fail(`claim ${claimId} was recorded`);
  };
  assert.equal(refusal(s.claim), refusal(999_999));
  assert.equal(s.status(), 'open');
});
