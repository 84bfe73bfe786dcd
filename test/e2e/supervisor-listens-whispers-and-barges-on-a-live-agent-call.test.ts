import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';
import type { PhoneCallRecord } from '../../src/sim/index.ts';

/** Whom this phone hears right now. */
function hearsNow(rec: PhoneCallRecord): string[] {
  return rec.voices.filter((v) => v.endedAtMs === null).map((v) => v.phone).sort();
}
/** Whether this phone ever heard `who`. */
const everHeard = (rec: PhoneCallRecord, who: string) => rec.voices.some((v) => v.phone === who);

test('a supervisor listens (hears both, heard by nobody), whispers (the agent hears, the debtor does not), barges (both hear), stops; the audit shows each action', async () => {
  const rig = await openRig({ wrapUpSec: 30 });
  try {
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 500 });
    const deskOfSam = rig.agent('Sam (supervisor)', 'PJSIP/sup1', { outcome: 'answer', ringMs: 800 });
    await rig.desk.lines.open(agentId);
    rig.desk.registry.apply(agentId, 'go_available');
    const debtorNumber = '+31612345678';
    const { call, callId } = await rig.debtorCall(debtorNumber);
    assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'connected', agentId });

    const srv = await rig.serve();
    const sam = srv.token('supervisor', deskOfSam);
    const api = (method: string, path: string, token: string | null, body?: unknown) =>
      fetch(srv.url + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });

    // The list: agent, since when, the debtor's number masked.
    const list = (await (await api('GET', '/supervisor/calls', sam)).json()) as { items: { callId: string; agentName: string; debtor: string; since: string; supervision: unknown }[] };
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0]!.callId, callId);
    assert.equal(list.items[0]!.agentName, 'Anna');
    assert.equal(list.items[0]!.debtor, '+3161234****');
    assert.ok(!JSON.stringify(list).includes(debtorNumber), 'the full number is never shown');
    assert.equal(list.items[0]!.supervision, null);

    // Others may not listen in.
    assert.equal((await api('GET', '/supervisor/calls', null)).status, 401);
    assert.equal((await api('POST', `/supervisor/calls/${callId}/supervise`, srv.token('agent', agentId), { mode: 'listen' })).status, 403);
    assert.equal((await api('POST', `/supervisor/calls/${callId}/supervise`, srv.token('operator'), { mode: 'listen' })).status, 403);
    assert.equal((await api('POST', '/supervisor/calls/no-such-call/supervise', sam, { mode: 'listen' })).status, 404);
    const unlinked = await api('POST', `/supervisor/calls/${callId}/supervise`, srv.token('supervisor'), { mode: 'listen' });
    assert.equal(unlinked.status, 409);
    assert.equal(((await unlinked.json()) as { error: { code: string } }).error.code, 'SUPERVISOR_NO_PHONE');

    const phone = (key: string) => rig.sim.asterisk.phone(key).calls.at(-1)!;
    const step = async (mode: string) => {
      const res = await api('POST', `/supervisor/calls/${callId}/supervise`, sam, { mode });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(((await res.json()) as { mode: string }).mode, mode);
    };

    await step('listen');
    assert.equal(rig.sim.asterisk.phone('PJSIP/sup1').calls.length, 1, "the supervisor's phone rang once");
    assert.deepEqual(hearsNow(phone('PJSIP/sup1')), [debtorNumber, 'PJSIP/agent1'].sort(), 'listening: the supervisor hears both');
    assert.deepEqual(hearsNow(phone('PJSIP/agent1')), [debtorNumber], 'the agent hears only the debtor');
    assert.deepEqual(hearsNow(phone(debtorNumber)), ['PJSIP/agent1'], 'the debtor hears only the agent');

    await step('whisper');
    assert.deepEqual(hearsNow(phone('PJSIP/agent1')), [debtorNumber, 'PJSIP/sup1'].sort(), 'whisper: the agent hears the supervisor');
    assert.deepEqual(hearsNow(phone(debtorNumber)), ['PJSIP/agent1'], 'whisper: the debtor does not');
    assert.deepEqual(hearsNow(phone('PJSIP/sup1')), [debtorNumber, 'PJSIP/agent1'].sort(), 'whisper: the supervisor still hears both');
    assert.ok(!everHeard(phone(debtorNumber), 'PJSIP/sup1'), 'until the barge the debtor never heard the supervisor');

    await step('barge');
    assert.deepEqual(hearsNow(phone(debtorNumber)), ['PJSIP/agent1', 'PJSIP/sup1'], 'barge: the debtor hears the supervisor');
    assert.deepEqual(hearsNow(phone('PJSIP/agent1')), [debtorNumber, 'PJSIP/sup1'].sort());
    assert.deepEqual(hearsNow(phone('PJSIP/sup1')), [debtorNumber, 'PJSIP/agent1'].sort());

    const listed = (await (await api('GET', '/supervisor/calls', sam)).json()) as { items: { supervision: { mode: string } | null; supervisors: number }[] };
    assert.equal(listed.items[0]!.supervision?.mode, 'barge');
    assert.equal(listed.items[0]!.supervisors, 1);

    const stopped = await api('DELETE', `/supervisor/calls/${callId}/supervise`, sam);
    assert.equal(stopped.status, 200);
    assert.equal(phone('PJSIP/sup1').hungUpBy, 'app', "the supervisor's phone is hung up");
    assert.deepEqual(hearsNow(phone(debtorNumber)), ['PJSIP/agent1']);
    assert.deepEqual(hearsNow(phone('PJSIP/agent1')), [debtorNumber]);
    assert.equal(rig.sim.asterisk.calls().filter((c) => c.endpoint === 'Snoop' && c.endedAt === null).length, 0, 'no snoop channel left');
    assert.equal((await api('DELETE', `/supervisor/calls/${callId}/supervise`, sam)).status, 404, 'nothing left to stop');

    // The audit: who, which call, which mode, start and stop.
    const audit = (await (await api('GET', `/audit?debtor=${rig.debtorId}`, srv.token('admin'))).json()) as { items: { access: string; role: string; tokenName: string; detail: { callId: string; mode: string; action: string } }[] };
    const sup = audit.items.filter((e) => e.access === 'supervise');
    assert.deepEqual(sup.map((e) => [e.detail.action, e.detail.mode]), [['start', 'listen'], ['switch', 'whisper'], ['switch', 'barge'], ['stop', 'barge']]);
    assert.ok(sup.every((e) => e.detail.callId === callId && e.role === 'supervisor' && e.tokenName === 'test-supervisor'));

    // The conversation goes on without the supervisor; it ends as usual.
    rig.sim.asterisk.hangUpPhone(call.id, 16);
    await rig.desk.whenFinished(callId);
    assert.equal(((await (await api('GET', '/supervisor/calls', sam)).json()) as { items: unknown[] }).items.length, 0);
  } finally {
    await rig.close();
  }
});

test('a supervisor still listening when the debtor hangs up is let go, and the audit says the session ended with the conversation', async () => {
  const rig = await openRig({ wrapUpSec: 30 });
  try {
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 500 });
    const deskOfSam = rig.agent('Sam', 'PJSIP/sup1', { outcome: 'answer', ringMs: 300 });
    rig.desk.registry.apply(agentId, 'go_available');
    // Without an open line: the agent is rung and the conversation has a talk bridge of its own.
    const { call, callId } = await rig.debtorCall();
    assert.deepEqual(await rig.desk.transfer(rig.request(call, callId)), { kind: 'connected', agentId });
    const srv = await rig.serve();
    const sam = srv.token('supervisor', deskOfSam);
    const res = await fetch(`${srv.url}/supervisor/calls/${callId}/supervise`, { method: 'POST', headers: { authorization: `Bearer ${sam}`, 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'listen' }) });
    assert.equal(res.status, 200);
    assert.deepEqual(hearsNow(rig.sim.asterisk.phone('PJSIP/sup1').calls[0]!), ['+31612345678', 'PJSIP/agent1']);

    rig.sim.asterisk.hangUpPhone(call.id, 16);
    await rig.desk.whenFinished(callId);
    const { until } = await import('../helpers/until.ts');
    await until('the supervisor to be let go', () => rig.sim.asterisk.phone('PJSIP/sup1').calls[0]!.endedAt !== null);
    // The session's end is audited once its bridge is gone too (supervise.ts end()): wait for it.
    const admin = srv.token('admin');
    const supervised = async () => ((await (await fetch(`${srv.url}/audit`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { items: { access: string; detail: { action: string; reason?: string } }[] }).items.filter((e) => e.access === 'supervise');
    const last = await until('the end of the session audited', async () => (await supervised()).find((e) => e.detail.action !== 'start'));
    assert.equal(last.detail.action, 'ended');
    assert.equal(last.detail.reason, 'the conversation ended');
    assert.equal(rig.sim.asterisk.bridges.size, 0, 'no bridge left behind');
  } finally {
    await rig.close();
  }
});
