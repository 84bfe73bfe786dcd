import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { FakeAgentDesk, runCall, type KeyScript, type SeedOptions } from '../helpers/fake-call.ts';

const say = (key: Parameters<typeof renderPrompt>[0]) => renderPrompt(key, 'nl', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' });
const label = (t: string) =>
  /^Goedendag, u wordt gebeld/.test(t) ? 'identity' : /^Wij bellen namens/.test(t) ? 'message' : /^Maak een keuze/.test(t) ? 'menu' : t;
const DETAIL = [/Energie Noord/, /F 2 0 2 6/, /euro/i, /factuur/i];

function inbound(callerNumber: string, keys: KeyScript[], seeds: SeedOptions[], deps: Parameters<typeof runCall>[0]['deps'] = {}) {
  return runCall({ args: ['inbound', '0201234567'], callerNumber, script: { keys }, seeds, deps });
}

test('a known caller (national 06 number) who has not heard the message gets it, after confirming who they are', async () => {
  const r = await inbound('0612345678', [{ afterPrompt: 2, keys: '1' }, { afterPrompt: 4, keys: '1' }], [{}]);
  assert.equal(r.phone.answeredByApp, true);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', 'message', 'menu', say('paylink_sent'), say('goodbye')]);
  assert.equal(r.summary.direction, 'inbound');
  assert.equal(r.summary.result, 'paylink_requested');
  assert.equal(r.row.fromNumber, '+31612345678');
  assert.equal(r.row.debtorId, r.seeded[0]!.debtorId);
  assert.deepEqual(r.sms.map((m) => m.to_e164), ['+31612345678']);
  assert.ok(r.heardAt[0], 'hearing it on a callback counts for the contact too');
});

test('a known caller who already heard the message is put through to an agent', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await inbound('+31 (0)6 1234 5678', [{ afterPrompt: 2, keys: '1' }], [{ mode: 'progressive', messageHeardAt: '2026-11-20T10:00:00.000Z' }], { agents: desk });
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', say('transfer_wait')]);
  assert.equal(desk.requests.length, 1);
  assert.equal(desk.requests[0]!.reason, 'callback');
  assert.equal(desk.requests[0]!.claimId, r.seeded[0]!.claimId);
  assert.equal(r.summary.result, 'transferred');
});

test('heard, but no agent free: no_agent_available and a callback request', async () => {
  const r = await inbound('0031612345678', [{ afterPrompt: 2, keys: '1' }], [{ mode: 'progressive', messageHeardAt: '2026-11-20T10:00:00.000Z' }], { agents: new FakeAgentDesk('no_agent', false) });
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', say('no_agent_available')]);
  assert.deepEqual(r.callbacks, [{ reason: 'no_agent' }]);
  assert.equal(r.summary.result, 'callback_requested');
});

test('an unknown number keys the debtor number and #, then is recognised', async () => {
  const r = await inbound('+31699999999', [{ afterPrompt: 2, keys: '12345#' }, { afterPrompt: 3, keys: '1' }, { afterPrompt: 5, keys: '3' }], [{ externalRef: '12345' }]);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), say('ask_debtor_number'), 'identity', 'message', 'menu', say('dispute_recorded'), say('goodbye')]);
  assert.equal(r.row.dtmfPath, '12345#13');
  assert.equal(r.summary.result, 'dispute');
});

test('a withheld number with a wrong debtor number three times hears no debt detail and is not found', async () => {
  const r = await inbound('', [2, 4, 6].map((n) => ({ afterPrompt: n, keys: '999#' })), [{ externalRef: '12345' }]);
  assert.deepEqual(r.phone.texts, [
    say('inbound_welcome'),
    say('ask_debtor_number'), say('debtor_not_found'),
    say('ask_debtor_number'), say('debtor_not_found'),
    say('ask_debtor_number'), say('debtor_not_found'),
    say('goodbye'),
  ]);
  for (const t of r.phone.texts) for (const d of DETAIL) assert.doesNotMatch(t, d);
  assert.equal(r.summary.result, 'debtor_not_found');
  assert.equal(r.row.fromNumber, null);
});

test('an unknown caller goes to the general agent queue when inbound.unknownCaller is queue', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await inbound('', [], [{}], { agents: desk, unknownCaller: 'queue' });
  assert.equal(desk.requests[0]!.reason, 'unknown_caller');
  assert.equal(desk.requests[0]!.debtorId, null);
  assert.equal(r.summary.result, 'transferred');
});

test('several open claims: the caller hears about the highest amount first', async () => {
  const r = await inbound('0612345678', [{ afterPrompt: 2, keys: '1' }], [
    { externalRef: 'A1', creditor: 'Klein BV', invoiceRef: 'K1', amountCents: 120_00 },
    { externalRef: 'A2', creditor: 'Groot BV', invoiceRef: 'G1', amountCents: 900_00, phone: '+31612345678' },
  ]);
  assert.match(r.phone.texts[2]!, /Groot BV/);
});
