import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';
import { listDispositions } from '../../src/store/dispositions.ts';
import { desktop } from '../helpers/desk-socket.ts';

test('operators manage agents; an agent token works only the agent routes; the desktop socket follows a transfer; the result lands on the claim', async () => {
  const rig = await openRig({ wrapUpSec: 600 });
  try {
    const srv = await rig.serve();
    const op = srv.token('operator');
    const admin = srv.token('admin');
    const call = (path: string, token: string, method = 'GET', json?: unknown) =>
      fetch(srv.url + path, { method, headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) }, body: json ? JSON.stringify(json) : undefined });

    const created = await call('/agents', op, 'POST', { name: 'Anna de Vries', endpoint: 'PJSIP/agent1', skills: ['nl'] });
    assert.equal(created.status, 201);
    const anna = await created.json();
    assert.equal(anna.state, 'offline');
    assert.equal((await call('/agents', op, 'POST', { name: 'Dup', endpoint: 'PJSIP/agent1' })).status, 409);
    assert.equal((await call('/agents', op, 'POST', { name: 'Bad', endpoint: 'agent1' })).status, 400);
    assert.equal((await call(`/agents/${anna.id}/token`, op, 'POST')).status, 403, 'only an admin hands out tokens');
    const tokRes = await call(`/agents/${anna.id}/token`, admin, 'POST');
    assert.equal(tokRes.status, 201);
    const annaToken = (await tokRes.json()).token as string;
    assert.equal((await call('/agents', annaToken)).status, 403, 'an agent cannot list agents');
    assert.equal((await call('/agent/me', op)).status, 403, 'an operator token is no agent');
    rig.sim.asterisk.setBehaviour('PJSIP/agent1', { outcome: 'answer', ringMs: 2000 });

    const desk = await desktop(srv.url, annaToken);
    const hello = await desk.next((m) => m.type === 'hello');
    assert.equal(hello.agent.name, 'Anna de Vries');
    assert.equal(hello.case, null);
    desk.ws.send(JSON.stringify({ type: 'state', state: 'available' }));
    await desk.next((m) => m.type === 'agent' && m.agent.state === 'available');
    assert.equal((await (await call('/agent/me', annaToken)).json()).agent.state, 'available');

    const { call: debtorCall, callId } = await rig.debtorCall();
    assert.deepEqual(await rig.desk.transfer(rig.request(debtorCall, callId)), { kind: 'connected', agentId: anna.id });
    const ringing = await desk.next((m) => m.type === 'case' && m.case?.phase === 'ringing');
    assert.equal(ringing.case.debtor.name, 'Jan Jansen');
    assert.equal(ringing.case.claims[0].amountCents, 123456);
    assert.equal(ringing.case.dtmfPath, '12');
    await desk.next((m) => m.type === 'case' && m.case?.phase === 'connected');
    const cases = await (await call('/agent/cases', annaToken)).json();
    assert.equal(cases.length, 1);
    assert.equal(cases[0].parentCallId, callId);

    const bad = await call('/agent/dispositions', annaToken, 'POST', { claimId: rig.claimId, callId, kind: 'promise_to_pay', amountCents: 50000 });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /promiseDate is required/);
    // Another agent cannot write on a debtor who never reached them.
    const bob = rig.desk.registry.create({ name: 'Bob', endpoint: 'PJSIP/agent9', skills: [] });
    const other = await call('/agent/dispositions', srv.token('agent', bob.id), 'POST', { claimId: rig.claimId, kind: 'dispute' });
    assert.equal(other.status, 404, 'as if the claim did not exist');

    const ok = await call('/agent/dispositions', annaToken, 'POST', { claimId: rig.claimId, callId, kind: 'promise_to_pay', promiseDate: '2030-01-15', amountCents: 50000, note: 'pays half first' });
    assert.equal(ok.status, 201);
    assert.deepEqual(
      listDispositions(rig.db, { agentId: anna.id }).map((d) => [d.kind, d.promiseDate, d.amountCents, d.callId]),
      [['promise_to_pay', '2030-01-15', 50000, callId]],
    );
    assert.equal((rig.db.prepare('SELECT status FROM claims WHERE id = ?').get(rig.claimId) as { status: string }).status, 'promised');

    rig.sim.asterisk.hangUpPhone(debtorCall.id, 16);
    await rig.desk.whenFinished(callId);
    await desk.next((m) => m.type === 'agent' && m.agent.state === 'wrap_up');
    await desk.next((m) => m.type === 'case' && m.case?.phase === 'ended');

    // A second socket (a reload) gets the state and the case at once.
    const again = await desktop(srv.url, annaToken);
    const hello2 = await again.next((m) => m.type === 'hello');
    assert.equal(hello2.agent.state, 'wrap_up');
    assert.equal(hello2.case.phase, 'ended');
    again.ws.close();

    const end = await call('/agent/wrapup/end', annaToken, 'POST');
    assert.equal(end.status, 200);
    assert.equal((await end.json()).state, 'available');
    await desk.next((m) => m.type === 'case' && m.case === null);
    desk.ws.close();
    await desk.whenClosed();

    const stranger = await desktop(srv.url, 'brk_not-a-token');
    assert.equal((await stranger.whenClosed()).code, 4401);
    assert.equal((await call(`/agents/${anna.id}`, op, 'DELETE')).status, 204);
    assert.equal((await call('/agent/me', annaToken)).status, 401, "a deleted agent's token is revoked");
  } finally {
    await rig.close();
  }
});
