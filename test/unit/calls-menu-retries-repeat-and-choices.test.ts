import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { FakeAgentDesk, runCall, type KeyScript, type SeedOptions } from '../helpers/fake-call.ts';

const say = (key: Parameters<typeof renderPrompt>[0]) => renderPrompt(key, 'nl', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' });
const label = (t: string) =>
  /^Goedendag, u wordt gebeld/.test(t) ? 'identity' : /^Wij bellen namens/.test(t) ? 'message' : /^Maak een keuze/.test(t) ? 'menu' : t;

/** Confirms identity, then presses the given keys after the given prompts. */
function outbound(keys: KeyScript[], seed: SeedOptions = {}, deps: Parameters<typeof runCall>[0]['deps'] = {}) {
  return runCall({ args: ['outbound', 'call-1', 'HUMAN', ''], script: { keys: [{ afterPrompt: 1, keys: '1' }, ...keys] }, seeds: [{ callId: 'call-1', ...seed }], deps });
}

test('three wrong keys in the menu: invalid_choice each time, then a polite close with result no_choice', async () => {
  const r = await outbound([3, 5, 7].map((n) => ({ afterPrompt: n, keys: '7' })));
  assert.deepEqual(r.phone.texts.map(label), ['identity', 'message', 'menu', say('invalid_choice'), 'menu', say('invalid_choice'), 'menu', say('invalid_choice'), say('goodbye')]);
  assert.equal(r.summary.result, 'no_choice');
  assert.equal(r.row.dtmfPath, '1777');
  assert.equal(r.row.messageHeard, true, 'the message itself played to the end');
});

test('9 plays the message again; 3 then records a dispute', async () => {
  const r = await outbound([{ afterPrompt: 3, keys: '9' }, { afterPrompt: 5, keys: '3' }]);
  assert.deepEqual(r.phone.texts.map(label), ['identity', 'message', 'menu', 'message', 'menu', say('dispute_recorded'), say('goodbye')]);
  assert.equal(r.summary.result, 'dispute');
  assert.equal(r.claimStatus[0], 'disputed');
  assert.equal(r.row.dtmfPath, '193');
});

test('a valid key during the message stops it, counts as heard and is acted on', async () => {
  const r = await outbound([{ afterPrompt: 2, on: 'start', delayMs: 1500, keys: '1' }]);
  assert.deepEqual(r.phone.texts.map(label), ['identity', 'message', say('paylink_sent'), say('goodbye')]);
  assert.equal(r.phone.heard[1]!.end, 'stopped', 'barge-in stopped the message');
  assert.equal(r.summary.result, 'paylink_requested');
  assert.equal(r.row.messageHeard, true);
  assert.ok(r.heardAt[0]);
});

test('a small claim is self-service: no agent option in the menu', async () => {
  const r = await outbound([{ afterPrompt: 3, keys: '2' }, { afterPrompt: 5, keys: '2' }, { afterPrompt: 7, keys: '1' }], { amountCents: 40_00 });
  const menu = r.phone.texts[2]!;
  assert.match(menu, /Toets 1 voor een betaallink/);
  assert.doesNotMatch(menu, /medewerker/);
  assert.deepEqual(r.phone.texts.slice(3).map(label), [say('invalid_choice'), 'menu', say('invalid_choice'), 'menu', say('paylink_sent'), say('goodbye')]);
  assert.equal(r.summary.result, 'paylink_requested');
});

/** A debtor calling back who has not heard the message (agent campaign): welcome, identity, message, menu. */
function callback(keys: KeyScript[], seed: SeedOptions = {}, deps: Parameters<typeof runCall>[0]['deps'] = {}) {
  return runCall({
    args: ['inbound', '0201234567'],
    callerNumber: '+31612345678',
    script: { keys: [{ afterPrompt: 2, keys: '1' }, ...keys] },
    seeds: [{ mode: 'progressive', ...seed }],
    deps,
  });
}

test('2 with agents on duty puts the debtor through; the desk gets the keys pressed', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await callback([{ afterPrompt: 4, keys: '2' }], {}, { agents: desk });
  assert.deepEqual(r.phone.texts.slice(4), [say('transfer_wait')]);
  assert.equal(r.summary.result, 'transferred');
  assert.equal(desk.requests[0]!.reason, 'menu');
  assert.equal(desk.requests[0]!.dtmfPath, '12');
  assert.equal(r.row.agentId, 7);
});

test('no agent free: the no_agent_available message and a callback request', async () => {
  const r = await callback([{ afterPrompt: 4, keys: '2' }], {}, { agents: new FakeAgentDesk('no_agent') });
  assert.deepEqual(r.phone.texts.slice(4), [say('transfer_wait'), say('no_agent_available')]);
  assert.equal(r.summary.result, 'callback_requested');
  assert.deepEqual(r.callbacks, [{ reason: 'no_agent' }]);
});

test('a high amount goes straight to an agent after the identity check, without the automated message', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await callback([], { amountCents: 5_000_00 }, { agents: desk });
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', say('transfer_wait')]);
  assert.equal(desk.requests[0]!.reason, 'callback');
  assert.equal(r.summary.result, 'transferred');
});

test('an agent campaign that answers by IVR (answeredBy ivr) puts an outbound debtor through on 2', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await outbound([{ afterPrompt: 3, keys: '2' }], { mode: 'progressive', settings: { answeredBy: 'ivr' } }, { agents: desk });
  assert.deepEqual(r.phone.texts.map(label), ['identity', 'message', 'menu', say('transfer_wait')]);
  assert.equal(desk.requests[0]!.reason, 'menu');
  assert.equal(r.summary.result, 'transferred');
});
