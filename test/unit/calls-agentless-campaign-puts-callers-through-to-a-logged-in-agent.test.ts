/**
 * The callback rule holds in every campaign mode (DESIGN.md, inbound path 3): a debtor of an
 * agentless campaign who calls back having heard the message, or who presses the agent
 * option, is put through to a logged-in agent; only without one does the fallback apply
 * (a callback request and the no-agent message). The agentless outbound call is not paced
 * for an agent: the desk is asked for a free one at the moment the debtor chooses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { FakeAgentDesk, runCall, type KeyScript, type SeedOptions } from '../helpers/fake-call.ts';

const say = (key: Parameters<typeof renderPrompt>[0]) => renderPrompt(key, 'nl', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' });
const label = (t: string) =>
  /^Goedendag, u wordt gebeld/.test(t) ? 'identity' : /^Wij bellen namens/.test(t) ? 'message' : /^Maak een keuze/.test(t) ? 'menu' : t;
const HEARD = '2026-11-20T10:00:00.000Z';

function callBack(keys: KeyScript[], seed: SeedOptions, desk: FakeAgentDesk) {
  return runCall({ args: ['inbound', '0201234567'], callerNumber: '+31612345678', script: { keys: [{ afterPrompt: 2, keys: '1' }, ...keys] }, seeds: [{ mode: 'agentless', ...seed }], deps: { agents: desk } });
}

function outbound(keys: KeyScript[], seed: SeedOptions, desk: FakeAgentDesk) {
  return runCall({ args: ['outbound', 'call-1', 'HUMAN', ''], script: { keys: [{ afterPrompt: 1, keys: '1' }, ...keys] }, seeds: [{ callId: 'call-1', mode: 'agentless', ...seed }], deps: { agents: desk } });
}

test('agentless: a caller who heard the message is put through to the logged-in agent', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await callBack([], { messageHeardAt: HEARD }, desk);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', say('transfer_wait')]);
  assert.equal(desk.requests.length, 1, 'the desk was asked for an agent');
  assert.equal(desk.requests[0]!.reason, 'callback');
  assert.equal(desk.requests[0]!.claimId, r.seeded[0]!.claimId);
  assert.equal(r.summary.result, 'transferred');
  assert.equal(r.row.agentId, 7, 'the call is stored as talked with the agent');
  assert.deepEqual(r.callbacks, [], 'nobody has to call them back');
});

test('agentless: a caller who heard the message, with no agent logged in, gets the no-agent message and a callback request', async () => {
  const desk = new FakeAgentDesk('no_agent', false);
  const r = await callBack([], { messageHeardAt: HEARD }, desk);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', say('no_agent_available')]);
  assert.equal(desk.requests.length, 0, 'no transfer is attempted with nobody logged in');
  assert.deepEqual(r.callbacks, [{ reason: 'no_agent' }]);
  assert.equal(r.summary.result, 'callback_requested');
});

test('agentless: a caller who heard the message, when no agent comes free in time, gets the no-agent message and a callback request', async () => {
  const desk = new FakeAgentDesk('no_agent', true);
  const r = await callBack([], { messageHeardAt: HEARD }, desk);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', say('transfer_wait'), say('no_agent_available')]);
  assert.equal(desk.requests.length, 1);
  assert.deepEqual(r.callbacks, [{ reason: 'no_agent' }]);
  assert.equal(r.summary.result, 'callback_requested');
});

test('agentless: a caller who has not heard the message hears it, and 2 puts them through', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await callBack([{ afterPrompt: 4, keys: '2' }], { messageHeardAt: null }, desk);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', 'message', 'menu', say('transfer_wait')]);
  assert.match(r.phone.texts[3]!, /medewerker/, 'the menu offers the agent');
  assert.equal(desk.requests[0]!.reason, 'menu');
  assert.equal(r.summary.result, 'transferred');
});

test('agentless: a high-risk caller goes straight to the logged-in agent, heard or not (segmentation first)', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await callBack([], { messageHeardAt: null, risk: 'high' }, desk);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', say('transfer_wait')]);
  assert.equal(desk.requests[0]!.reason, 'callback');
  assert.equal(r.summary.result, 'transferred');
});

test('agentless: a small claim calling back after hearing the message stays self-service, even with an agent logged in', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await callBack([{ afterPrompt: 4, keys: '1' }], { messageHeardAt: HEARD, amountCents: 40_00 }, desk);
  assert.deepEqual(r.phone.texts.map(label), [say('inbound_welcome'), 'identity', 'message', 'menu', say('paylink_sent'), say('goodbye')]);
  assert.doesNotMatch(r.phone.texts[3]!, /medewerker/);
  assert.equal(desk.requests.length, 0);
});

test('agentless outbound: 2 puts the debtor through to an agent who is logged in at that moment', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await outbound([{ afterPrompt: 3, keys: '2' }], {}, desk);
  assert.deepEqual(r.phone.texts.map(label), ['identity', 'message', 'menu', say('transfer_wait')]);
  assert.equal(desk.requests.length, 1);
  assert.equal(desk.requests[0]!.reason, 'menu');
  assert.equal(desk.requests[0]!.dtmfPath, '12');
  assert.equal(desk.requests[0]!.agentId, undefined, 'no agent was reserved for the call in advance');
  assert.equal(r.summary.result, 'transferred');
  assert.equal(r.row.agentId, 7);
});

test('agentless outbound: 2 with nobody logged in records a callback request and says no one is free', async () => {
  const desk = new FakeAgentDesk('no_agent', false);
  const r = await outbound([{ afterPrompt: 3, keys: '2' }], {}, desk);
  assert.deepEqual(r.phone.texts.slice(3), [say('no_agent_available')]);
  assert.deepEqual(r.callbacks, [{ reason: 'no_agent' }]);
  assert.equal(r.summary.result, 'callback_requested');
});

test('agentless outbound: a high-risk debtor still hears the message and the whole menu first (the call was paced for the IVR), and 2 reaches the agent', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await outbound([{ afterPrompt: 3, keys: '2' }], { risk: 'high' }, desk);
  assert.deepEqual(r.phone.texts.map(label), ['identity', 'message', 'menu', say('transfer_wait')]);
  assert.match(r.phone.texts[2]!, /betaallink/);
  assert.match(r.phone.texts[2]!, /medewerker/);
  assert.equal(r.summary.result, 'transferred');
});
