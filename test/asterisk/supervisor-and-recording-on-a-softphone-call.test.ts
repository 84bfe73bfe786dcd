/**
 * Supervisors and recordings on the real Asterisk 22 (issue 16 §3–4, docs/supervisors.md,
 * docs/call-recordings.md). An agent holds the line from Chromium's softphone; a SIPp
 * debtor with a large claim calls in, confirms and hears the recording notice before being
 * moved into the agent's bridge, which Asterisk records from then on. A supervisor, whose
 * phone is a SIPp phone that answers and talks, listens (a snoop channel spying both ways in
 * the supervisor's own bridge), whispers (a new snoop that also whispers into the agent's
 * channel), barges (the supervisor's channel moved into the conversation's bridge) and
 * stops (their phone hung up): each checked in Asterisk's own bridges and channels, with
 * RTP counters showing the audio flows. When the debtor hangs up, the recording is fetched
 * from Asterisk, marked announced, and served as a WAV of the conversation's length, with
 * sound in it, to an operator only. The access audit holds every supervisor action. When
 * the agent closes the tab, the line is hung up and the agent paused.
 *
 * Real Asterisk only (test/asterisk/run.sh). Who hears whom, voice by voice, is asserted on
 * the simulator: test/e2e/supervisor-listens-whispers-and-barges-on-a-live-agent-call.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, WEBRTC_ARGS } from '../browser/chromium.ts';
import { greetingWav } from './greeting.ts';
import { PORTS, startPhone } from './phones.ts';
import { debtorCallsIn, loginOnSoftphone, NEEDS_ASTERISK, onRealAsterisk, startDesk, type AriBridge } from './desk-on-asterisk.ts';

interface AriChannel { id: string; name: string; state: string }
interface Session { id: number; callId: string; mode: string }

test('a supervisor listens, whispers and barges on a softphone call through snoop channels; the announced recording is kept and served', { timeout: 180_000, skip: onRealAsterisk ? false : NEEDS_ASTERISK }, async (t) => {
  const browser = await browserFor(t, WEBRTC_ARGS);
  if (!browser) return;
  const rig = await startDesk(t, { recordAgentCalls: true, announceRecording: true });
  const { api, ari, until } = rig;
  // The agent's desk phone on record is not used: the browser holds the line.
  const desk = await loginOnSoftphone(rig, browser, 'PJSIP/agentweb1');

  // The supervisor's phone is the SIPp phone on agent1; the admin gives them a token for it.
  const phoneRecord = await api('/agents', { json: { name: 'Sam (phone)', endpoint: 'PJSIP/agent1', skills: [] } });
  assert.equal(phoneRecord.status, 201, JSON.stringify(phoneRecord.body));
  const made = await api('/tokens', { json: { name: 'Sam', role: 'supervisor', agentId: phoneRecord.body.id } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const sam = made.body.token as string;
  const supervisorPhone = startPhone({ scenario: 'uas-answer-talk', port: PORTS.agent1, files: { 'talk.wav': greetingWav() } });
  t.after(() => supervisorPhone.stop());

  const debtor = debtorCallsIn(t, 40_000);
  await desk.page.waitForSelector('[data-testid="case"][data-phase="connected"]:not([hidden])', { timeout: 60_000 });
  const talk = await until('the debtor in the line bridge', async () => {
    const b = await desk.lineBridge();
    return b && b.channels.length === 2 ? b : undefined;
  });
  const debtorChannel = talk.channels.find((c) => c !== desk.lineChannel)!;

  // The live conversation, as the supervisor sees it.
  const live = await until('the conversation on the supervisor list', async () => {
    const r = await api('/supervisor/calls', { token: sam });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.items as { callId: string; agentId: number; debtor: string }[]).find((c) => c.agentId === desk.agentId);
  });
  assert.doesNotMatch(live.debtor, /611111102/, 'the debtor number is masked');
  const supervise = (mode: string) => api(`/supervisor/calls/${encodeURIComponent(live.callId)}/supervise`, { json: { mode }, token: sam });
  const bridges = async () => (await ari<AriBridge[]>('/bridges')).body;
  const channel = async (id: string) => (await ari<AriChannel>(`/channels/${encodeURIComponent(id)}`)).body;
  const grows = (id: string, counter: 'rxcount' | 'txcount', label: string) => rig.rtpFlows(id, counter, label);

  // Listen: Sam's phone rings once and is answered; a snoop on the agent's channel, spying
  // both ways, sits with Sam's channel in Sam's own bridge; audio reaches Sam.
  const listen = await supervise('listen');
  assert.equal(listen.status, 200, `${JSON.stringify(listen.body)}\n${rig.log()}`);
  const session = listen.body as Session;
  const samChannel = `sup-${session.id}`;
  assert.match((await channel(samChannel)).name, /^PJSIP\/agent1-/);
  const own = await until("Sam's bridge with the snoop", async () => {
    const b = (await bridges()).find((x) => x.name === `supervise-${session.id}`);
    return b && b.channels.length === 2 ? b : undefined;
  });
  const listenSnoop = own.channels.find((c) => c !== samChannel)!;
  assert.match((await channel(listenSnoop)).name, /^Snoop\//, 'a snoop channel');
  assert.deepEqual((await desk.lineBridge())!.channels.sort(), [desk.lineChannel, debtorChannel].sort(), 'the conversation is untouched by listening');
  await grows(samChannel, 'txcount', 'Sam hears the conversation');

  // Whisper: a new snoop replaces the first (bridged before the old one goes); Sam talks.
  assert.equal((await supervise('whisper')).status, 200);
  const whisperSnoop = await until('the whisper snoop in place of the listening one', async () => {
    const b = (await bridges()).find((x) => x.name === `supervise-${session.id}`);
    const other = b?.channels.filter((c) => c !== samChannel) ?? [];
    return other.length === 1 && other[0] !== listenSnoop ? other[0] : undefined;
  });
  assert.match((await channel(whisperSnoop)).name, /^Snoop\//);
  await until('the listening snoop hung up', async () => ((await ari(`/channels/${listenSnoop}`)).status === 404 ? true : undefined), 5000);
  await grows(samChannel, 'rxcount', "Sam's voice reaches Asterisk");

  // Barge: Sam's channel in the conversation's bridge with the agent and the debtor.
  assert.equal((await supervise('barge')).status, 200);
  await until('Sam in the conversation', async () => ((await desk.lineBridge())?.channels.length === 3 ? true : undefined));
  assert.deepEqual((await desk.lineBridge())!.channels.sort(), [desk.lineChannel, debtorChannel, samChannel].sort());
  await until('the whisper snoop gone', async () => ((await ari(`/channels/${whisperSnoop}`)).status === 404 ? true : undefined), 5000);
  await grows(desk.lineChannel, 'txcount', 'the agent hears the conversation with Sam in it');

  // Stop: Sam's phone is hung up, the conversation goes on between the two.
  const stopped = await api(`/supervisor/calls/${encodeURIComponent(live.callId)}/supervise`, { method: 'DELETE', token: sam });
  assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
  await until("Sam's phone hung up", async () => ((await ari(`/channels/${samChannel}`)).status === 404 ? true : undefined), 10_000);
  assert.deepEqual((await desk.lineBridge())!.channels.sort(), [desk.lineChannel, debtorChannel].sort());
  assert.equal((await bridges()).some((b) => b.name === `supervise-${session.id}`), false, "Sam's bridge is destroyed");

  // The debtor hangs up; the recording is fetched from Asterisk and kept with the call.
  assert.equal(await debtor.exited, 0, debtor.output());
  await until('the debtor gone from the bridge', async () => ((await desk.lineBridge())?.channels.length === 1 ? true : undefined), 20_000);
  const debtorId = (await api('/debtors?q=S2')).body.items[0].id as number;
  const rec = await until('the recording stored', async () => {
    const r = await api(`/debtors/${debtorId}/recordings`);
    const item = (r.body.items as { state: string; announced: boolean; durationSec: number; url: string; callId: string }[])[0];
    return item?.state === 'stored' ? item : undefined;
  }, 20_000);
  assert.equal(rec.callId, live.callId);
  assert.equal(rec.announced, true, 'the debtor heard the recording notice to its end before the agent');
  const file = await fetch(rig.serve.address + rec.url, { headers: { authorization: `Bearer ${rig.admin}` } });
  assert.equal(file.status, 200);
  const wav = Buffer.from(await file.arrayBuffer());
  assert.equal(wav.toString('ascii', 8, 12), 'WAVE');
  const seconds = (wav.length - 44) / wav.readUInt32LE(28);
  assert.ok(Math.abs(seconds - rec.durationSec) <= 1.5 && seconds >= 8, `the WAV lasts ${seconds.toFixed(1)} s, the row says ${rec.durationSec} s`);
  // Sound, not silence: the mean absolute 16-bit sample of the conversation.
  let sum = 0;
  const samples = Math.floor((wav.length - 44) / 2);
  for (let i = 0; i < samples; i++) sum += Math.abs(wav.readInt16LE(44 + 2 * i));
  assert.ok(sum / samples > 100, `the recording holds the conversation (mean |sample| ${(sum / samples).toFixed(0)})`);
  assert.equal((await fetch(rig.serve.address + rec.url, { headers: { authorization: `Bearer ${sam}` } })).status, 403, 'never to a supervisor token');
  assert.equal(await supervisorPhone.stop().then(() => 'stopped'), 'stopped');

  // Every supervisor action is in the access audit.
  const audit = await api('/audit?limit=10000');
  const actions = (audit.body.items as { access: string; detail?: unknown }[]).filter((a) => a.access === 'supervise');
  assert.ok(actions.length >= 4, `listen, whisper, barge and stop audited: ${JSON.stringify(actions)}`);
  assert.deepEqual(desk.pageErrors, []);

  // The agent closes the tab: the softphone hangs the line up on its way out (BYE; Asterisk's
  // rtp_timeout if that were lost), and Bereik pauses the agent rather than putting the next
  // debtor through to nobody.
  await desk.page.close();
  await until('the line gone when the tab closed', async () => ((await desk.lineBridge()) ? undefined : true), 20_000);
  await until('the agent paused', async () => ((await api(`/agents/${desk.agentId}`)).body.state === 'paused' ? true : undefined), 10_000);
});
