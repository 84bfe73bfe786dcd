import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { openRig } from './transfer-harness.ts';
import { isoUtc, type Clock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { RetentionJob } from '../../src/privacy/retention-job.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const NOTICE_NL = 'Dit gesprek wordt opgenomen voor kwaliteit en training.';

test('a recorded campaign: the debtor hears the notice before the agent, the conversation is kept as a WAV of its length, served to operators only, listed in the export, and deleted by retention', async () => {
  const rig = await openRig({ wrapUpSec: 30 });
  try {
    const store = createSqliteStore(rig.db);
    const campaignId = store.campaigns.insert(
      { name: 'Opgenomen', mode: 'agentless', callerId: '+31201234567', language: 'nl', defaultCountry: 'NL', settings: JSON.stringify({ recordAgentCalls: true, announceRecording: true }) },
      isoUtc(rig.clock.now()),
    );
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 500 });
    await rig.desk.lines.open(agentId);
    rig.desk.registry.apply(agentId, 'go_available');
    const debtorNumber = '+31612345678';
    const { call, callId } = await rig.debtorCall(debtorNumber);
    assert.deepEqual(await rig.desk.transfer(rig.request(call, callId, { campaignId })), { kind: 'connected', agentId });

    // The notice came first, to the debtor only, heard to the end before the agent's voice.
    const debtorRec = rig.sim.asterisk.phone(debtorNumber).calls[0]!;
    assert.deepEqual(rig.heard(debtorNumber), [NOTICE_NL]);
    assert.equal(debtorRec.heard[0]!.end, 'done');
    const agentVoice = debtorRec.voices.find((v) => v.phone === 'PJSIP/agent1')!;
    assert.ok(debtorRec.heard[0]!.startedAtMs + debtorRec.heard[0]!.playedMs <= agentVoice.startedAtMs, 'the agent was put through after the notice');
    assert.ok(!rig.heard('PJSIP/agent1').includes(NOTICE_NL), 'the agent did not hear the notice');

    // Ten seconds of conversation, then the debtor hangs up; the agent stays on the line.
    await rig.clock.delay(10_000);
    rig.sim.asterisk.hangUpPhone(call.id, 16);
    await rig.desk.whenFinished(callId);
    assert.equal(rig.desk.lines.info(agentId).state, 'open');
    assert.equal(rig.sim.asterisk.recordings.stored.size, 0, "Asterisk's copy was deleted once Bereik had the file");

    const srv = await rig.serve();
    const get = (path: string, token: string | null) => fetch(srv.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const operator = srv.token('operator');
    const list = (await (await get(`/debtors/${rig.debtorId}/recordings`, operator)).json()) as { items: { id: number; callId: string; agentId: number; campaignId: number; state: string; durationSec: number; announced: boolean; url: string }[] };
    assert.equal(list.items.length, 1);
    const r = list.items[0]!;
    assert.deepEqual([r.callId, r.agentId, r.campaignId, r.state, r.announced], [callId, agentId, campaignId, 'stored', true]);
    assert.ok(r.durationSec >= 9 && r.durationSec <= 12, `recorded ${r.durationSec} s of a ~10 s conversation`);

    const file = await get(r.url, operator);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'audio/wav');
    const wav = Buffer.from(await file.arrayBuffer());
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.toString('ascii', 8, 12), 'WAVE');
    const seconds = wav.readUInt32LE(40) / wav.readUInt32LE(28);
    assert.ok(Math.abs(seconds - r.durationSec) <= 1, `the WAV lasts ${seconds.toFixed(1)} s, the row says ${r.durationSec} s`);
    assert.ok(wav.subarray(44).some((b) => b !== 0), 'the conversation is in it, not silence only');
    const download = await fetch(`${srv.url}${r.url}?download=true`, { headers: { authorization: `Bearer ${srv.token('admin')}` } });
    assert.match(download.headers.get('content-disposition') ?? '', /attachment/);

    // Never without an operator or admin token; a limited token only for its creditors' debtors.
    assert.equal((await get(r.url, null)).status, 401);
    for (const role of ['agent', 'supervisor'] as const) assert.equal((await get(r.url, srv.token(role, agentId))).status, 403, role);
    assert.equal((await get(r.url, srv.token('client', undefined, ['Energie BV']))).status, 403, 'client');
    assert.equal((await get(r.url, srv.token('operator', undefined, ['Ander BV']))).status, 404, "another creditor's operator");
    assert.equal((await get(`/debtors/${rig.debtorId}/recordings`, srv.token('operator', undefined, ['Ander BV']))).status, 404);
    assert.equal((await get(r.url, srv.token('operator', undefined, ['Energie BV']))).status, 200, "the creditor's own operator");
    assert.equal((await get('/call-recordings/999/file', operator)).status, 404);

    const audit = (await (await get(`/audit?debtor=${rig.debtorId}`, srv.token('admin'))).json()) as { items: { access: string }[] };
    assert.ok(audit.items.filter((e) => e.access === 'recording_play').length >= 3, 'each play and download is audited');

    // The person's export lists it.
    const exported = (await (await get('/debtors/D-1001/export', srv.token('admin'))).json()) as { recordings: { callId: string }[] };
    assert.deepEqual(exported.recordings.map((x) => x.callId), [callId]);

    // Retention: a year and a day later (injected clock) the recording and its file are gone.
    const dir = rig.app.deps.recordingFiles!.dir;
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.wav')).length, 1);
    const later: Clock = { ...rig.clock, now: () => rig.clock.now() + 366 * 86_400_000, setTimeout: rig.clock.setTimeout.bind(rig.clock), delay: rig.clock.delay.bind(rig.clock), scale: 1 };
    const job = new RetentionJob({ store, clock: later, log: silentLogger(), limits: { ...rig.app.deps.config.retention, callDetailsDays: 365 }, afterPass: () => rig.app.deps.recordingFiles!.sweep() });
    assert.equal(job.runOnce().call_recordings, 1);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.wav')).length, 0, 'the file is deleted from disk');
    assert.equal((await get(r.url, operator)).status, 404);
    assert.deepEqual(((await (await get(`/debtors/${rig.debtorId}/recordings`, operator)).json()) as { items: unknown[] }).items, []);
    assert.ok(existsSync(dir));
  } finally {
    await rig.close();
  }
});

test('a campaign without recordAgentCalls records nothing and plays no notice; erasing a person removes their recordings and files', async () => {
  const rig = await openRig({ wrapUpSec: 30 });
  try {
    const store = createSqliteStore(rig.db);
    const now = isoUtc(rig.clock.now());
    const plain = store.campaigns.insert({ name: 'Gewoon', mode: 'agentless', callerId: '+31201234567', language: 'nl', defaultCountry: 'NL', settings: '{}' }, now);
    const recorded = store.campaigns.insert({ name: 'Opgenomen', mode: 'agentless', callerId: '+31201234567', language: 'nl', defaultCountry: 'NL', settings: JSON.stringify({ recordAgentCalls: true }) }, now);
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 200 });
    for (const [campaignId, from] of [[plain, '+31611111111'], [recorded, '+31622222222']] as const) {
      rig.desk.registry.apply(agentId, 'go_available');
      const { call, callId } = await rig.debtorCall(from);
      assert.deepEqual(await rig.desk.transfer(rig.request(call, callId, { campaignId })), { kind: 'connected', agentId });
      await rig.clock.delay(3000);
      rig.sim.asterisk.hangUpPhone(call.id, 16);
      await rig.desk.whenFinished(callId);
      rig.desk.registry.apply(agentId, 'wrap_up_end');
    }
    assert.deepEqual(rig.heard('+31611111111'), [], 'no notice without recordAgentCalls');
    assert.deepEqual(rig.heard('+31622222222'), [], 'recorded without announceRecording: no notice');
    const rows = store.callRecordings.ofDebtor(rig.debtorId);
    assert.equal(rows.length, 1, 'only the recorded campaign made a recording (the agent was rung: talk bridge)');
    assert.equal(rows[0]!.state, 'stored');
    const dir = rig.app.deps.recordingFiles!.dir;
    assert.equal(readdirSync(dir).length, 1);

    rig.db.prepare(`UPDATE claims SET status = 'paid'`).run();
    const srv = await rig.serve();
    const res = await fetch(`${srv.url}/debtors/D-1001/erase`, { method: 'POST', headers: { authorization: `Bearer ${srv.token('admin')}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { erased: { recordings: number } }).erased.recordings, 1);
    assert.equal(store.callRecordings.ofDebtor(rig.debtorId).length, 0);
    assert.equal(readdirSync(dir).length, 0, 'their recorded voice is gone from disk');
  } finally {
    await rig.close();
  }
});
