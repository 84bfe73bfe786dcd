/**
 * End-to-end smoke: `bereik serve` as a child process, configured with an ARI URL like any
 * production install, against the simulated Asterisk (in this process, real time) or,
 * with BEREIK_ARI_URL and BEREIK_ASTERISK_SIPP=1 (test/asterisk/run.sh), the real
 * Asterisk 22 with SIPp phones. The same script both ways:
 *   1. an agentless campaign calls a debtor who confirms who they are (1) and asks for
 *      the pay link (1);
 *   2. an answering machine that speaks a greeting (SIPp rtp_stream) is classified MACHINE
 *      by AMD and gets the limited-content voicemail;
 *   3. a debtor with a large claim in an agentless campaign calls back: recognised by the
 *      number they call from, confirmed, and put through to the logged-in agent (the
 *      callback rule holds in every campaign mode; a warm transfer to PJSIP/agent1, a SIPp
 *      phone that answers);
 * and checks what /calls and the contact show. The service runs under faketime from a
 * Monday 10:00 in Amsterdam, inside the legal calling hours on any day the test runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SystemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim } from '../../src/sim/index.ts';
import type { PhoneBehaviour } from '../../src/sim/scenario.ts';
import { pollUntil, serveApi, startServe } from '../helpers/serve.ts';
import { greetingWav } from './greeting.ts';
import { answeringPhone, keyScript, PORTS, startPhone, type PhoneSpec, type Press, type SippPhone } from './phones.ts';

const CALLER_ID = '+31201234567';
const DEBTOR = '+31611111101';
const CALLER = '+31611111102';
const MACHINE = '+31611111103';
const HEADER = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Risico;Opdrachtgever;Betaallink';
const CSV = [HEADER, 'S1;Piet Pay;06-11111101;€ 250,00;F-1;31-12-2030;laag;Energie Noord BV;https://betaal.example.nl/p/1'].join('\r\n');
const MACHINE_CSV = [HEADER, 'S3;Mia Machine;06-11111103;€ 250,00;F-3;31-12-2030;laag;Energie Noord BV;'].join('\r\n');
/** A large claim (at or above the high-amount threshold): segmentation sends the debtor straight to an agent. */
const AGENT_CSV = [HEADER, 'S2;Karel Groot;06-11111102;€ 1.500,00;F-2;31-12-2030;laag;Energie Noord BV;'].join('\r\n');

/** Identity (1) then pay link (1); a third 1 in case the first came before the question. */
const OUTBOUND_KEYS: Press[] = [{ atMs: 3000, digit: '1' }, { atMs: 9000, digit: '1' }, { atMs: 15000, digit: '1' }];
/** After the welcome, identity (1). */
const CALLBACK_KEYS: Press[] = [{ atMs: 5000, digit: '1' }];
/** The debtor talks with the agent, then hangs up. */
const CALLBACK_HANGUP_MS = 35_000;

interface Phones {
  ari: { url: string; user: string; password: string };
  debtorAnswers(presses: Press[]): Promise<void>;
  /** The trunk's phone becomes an answering machine with a spoken greeting. */
  machineAnswers(): Promise<void>;
  agentAnswers(): Promise<void>;
  debtorCallsBack(presses: Press[], hangupAfterMs: number): Promise<void>;
  close(): Promise<void>;
}

async function openPhones(): Promise<Phones> {
  const { BEREIK_ARI_URL: url, BEREIK_ARI_USER: user, BEREIK_ARI_PASSWORD: password } = process.env;
  if (url && user && password !== undefined) {
    if (process.env.BEREIK_ASTERISK_SIPP !== '1') throw new Error('the smoke on a real Asterisk needs BEREIK_ASTERISK_SIPP=1 (SIPp plays the phones)');
    let running: SippPhone[] = [];
    const start = async (spec: PhoneSpec) => {
      // One phone per port: a new phone on the trunk port replaces the one there, which
      // must be gone first (two SIPp processes on one port would share its calls).
      for (const old of running.filter((r) => r.spec.port === spec.port)) await old.stop();
      running = [...running.filter((r) => r.spec.port !== spec.port), startPhone(spec)];
      await new Promise((r) => setTimeout(r, 300));
    };
    return {
      ari: { url, user, password },
      // PJSIP/<number>@trunk reaches the trunk's contact port with the number as user.
      debtorAnswers: (presses) => start(answeringPhone(PORTS.trunk, 1000, presses)),
      machineAnswers: () => start({ scenario: 'uas-machine', port: PORTS.trunk, files: { 'greeting.wav': greetingWav() } }),
      agentAnswers: () => start(answeringPhone(PORTS.agent1, 1000, [])),
      debtorCallsBack: async (presses, hangupMs) => {
        const { keys, files } = keyScript(presses);
        const last = presses.at(-1)?.atMs ?? 0;
        await start({ scenario: 'uac-call-keys', port: PORTS.trunk + 1, calls: 1, keys: { caller: CALLER, dialled: CALLER_ID }, vars: { keys, hangupMs: hangupMs - last }, files });
      },
      close: async () => {
        await Promise.all(running.map((p) => p.stop()));
      },
    };
  }
  const sim = await startSim({ port: 0, clock: new SystemClock(), log: silentLogger() });
  const keys = (presses: Press[]) => presses.map((p) => ({ atMs: p.atMs, keys: p.digit }));
  return {
    ari: { url: sim.url, user: sim.user, password: sim.password },
    debtorAnswers: async (presses) => sim.asterisk.setBehaviour(DEBTOR, { outcome: 'answer', ringMs: 1000, keys: keys(presses) }),
    machineAnswers: async () => sim.asterisk.setBehaviour(MACHINE, { outcome: 'machine', ringMs: 1000 }),
    agentAnswers: async () => sim.asterisk.setBehaviour('PJSIP/agent1', { outcome: 'answer', ringMs: 1000 }),
    debtorCallsBack: async (presses, hangupMs) => {
      const behaviour: PhoneBehaviour = { outcome: 'answer', keys: keys(presses), hangup: { afterMs: hangupMs } };
      await sim.asterisk.callIn({ from: CALLER, exten: CALLER_ID, behaviour });
    },
    close: () => sim.close(),
  };
}

interface CallRow {
  id: string; direction: string; amdStatus: string | null; state: string; disposition: string | null; result: string | null; agentId: number | null;
  parentCallId: string | null; fromNumber: string | null; toNumber: string | null; identityConfirmed: boolean; messageHeard: boolean; dtmfPath: string; hangupCause: number | null;
}

test('serve on an ARI: a debtor confirms and asks for the pay link; a debtor calling back is recognised by number and put through to the agent', { timeout: 240_000 }, async (t) => {
  const phones = await openPhones();
  t.after(() => phones.close());
  const dir = mkdtempSync(join(tmpdir(), 'bereik-smoke-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const serve = await startServe(t, join(dir, 'bereik.sqlite'), {
    // Monday 10:00 in Amsterdam, whatever the day and hour the test runs.
    startAtUtc: '2026-11-23 09:00:00',
    env: {
      BEREIK_ARI_URL: phones.ari.url,
      BEREIK_ARI_USER: phones.ari.user,
      BEREIK_ARI_PASSWORD: phones.ari.password,
      BEREIK_TTS_CACHE_DIR: join(dir, 'tts'),
    },
  });
  /** What serve logged, without the request lines of this test's polling. */
  const log = () => serve.output().split('\n').filter((l) => !l.includes('"mod":"http"')).slice(-40).join('\n');
  const admin = readFileSync(join(dir, 'first-admin-token'), 'utf8').trim();
  const api = serveApi(serve, admin);
  const calls = async (q: string): Promise<CallRow[]> => (await api(`/calls?${q}`)).body.items;
  const until = pollUntil(log, 90_000, 250);

  // The agent logs in on the desktop and is available.
  const agent = await api('/agents', { json: { name: 'Anna', endpoint: 'PJSIP/agent1', skills: [] } });
  assert.equal(agent.status, 201, JSON.stringify(agent.body));
  const agentToken = (await api(`/agents/${agent.body.id}/token`, { method: 'POST' })).body.token as string;
  const desk = new WebSocket(serve.address.replace(/^http/, 'ws') + '/agent/ws');
  t.after(() => desk.close());
  const deskMsgs: Array<{ type: string; agent?: { state: string }; case?: { phase?: string } }> = [];
  desk.on('message', (d) => deskMsgs.push(JSON.parse(String(d))));
  await new Promise((r) => desk.once('open', r));
  desk.send(JSON.stringify({ type: 'auth', token: agentToken }));
  desk.send(JSON.stringify({ type: 'state', state: 'available' }));
  await until('agent available', async () => (deskMsgs.some((m) => m.type === 'agent' && m.agent?.state === 'available') ? true : undefined), 10_000);

  const campaign = await api('/campaigns', {
    json: {
      name: 'Smoke', mode: 'agentless', callerId: CALLER_ID,
      settings: {
        amd: false, maxAttemptsPerDay: 1,
      },
    },
  });
  assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
  const id = campaign.body.id as number;
  const imported = await api(`/campaigns/${id}/imports`, { csv: CSV });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));

  // 1. Outbound: identity, then the pay link.
  await phones.debtorAnswers(OUTBOUND_KEYS);
  assert.equal((await api(`/campaigns/${id}/start`, { method: 'POST' })).status, 200);
  const out = await until('the outbound call ended', async () => (await calls(`campaign=${id}&direction=outbound`)).find((c) => c.state === 'ended'));
  assert.equal(out.toNumber, DEBTOR);
  assert.equal(out.disposition, 'answered');
  assert.equal(out.identityConfirmed, true, 'the debtor confirmed who they are');
  assert.equal(out.messageHeard, true);
  assert.equal(out.result, 'paylink_requested');
  assert.match(out.dtmfPath, /^11/);
  const contacts = (await api(`/campaigns/${id}/contacts`)).body.items as Array<{ debtorRef: string; status: string }>;
  assert.deepEqual(contacts.map((c) => [c.debtorRef, c.status]), [['S1', 'done']], 'the contact is closed after the pay link');
  // The promised SMS really goes out: through the built-in simulated SMSC, delivered, and
  // its short link leads to the creditor's pay page.
  type Msg = { to: string; source: string; status: string; body: string };
  const sms = await until('the pay-link SMS delivered', async () => ((await api(`/messages?campaignId=${id}`)).body.items as Msg[]).find((m) => m.status === 'delivered'), 20_000);
  assert.equal(sms.to, DEBTOR);
  assert.equal(sms.source, 'ivr');
  const link = /\/p\/[A-Za-z0-9_-]{22}/.exec(sms.body)?.[0];
  assert.ok(link, `a tracked link in the SMS: ${sms.body}`);
  const opened = await fetch(serve.address + link, { redirect: 'manual' });
  assert.equal(opened.status, 302);
  assert.equal(opened.headers.get('location'), 'https://betaal.example.nl/p/1');

  // 2. An answering machine (AMD on, the default): classified MACHINE, it gets the
  // limited-content voicemail and nothing of the claim.
  await phones.machineAnswers();
  const am = await api('/campaigns', { json: { name: 'Smoke machine', mode: 'agentless', callerId: CALLER_ID, settings: { maxAttemptsPerDay: 1 } } });
  assert.equal(am.status, 201, JSON.stringify(am.body));
  assert.equal((await api(`/campaigns/${am.body.id}/imports`, { csv: MACHINE_CSV })).status, 201);
  assert.equal((await api(`/campaigns/${am.body.id}/start`, { method: 'POST' })).status, 200);
  const vm = await until('the machine call ended', async () => (await calls(`campaign=${am.body.id}`)).find((c) => c.state === 'ended'));
  assert.equal(vm.toNumber, MACHINE);
  assert.equal(vm.amdStatus, 'MACHINE', `AMD heard the greeting as a machine: ${JSON.stringify(vm)}`);
  assert.equal(vm.disposition, 'machine');
  assert.equal(vm.result, 'voicemail_left');
  assert.equal(vm.identityConfirmed, false);
  assert.equal(vm.messageHeard, false, 'no claim message on a machine');

  // 3. A debtor of an agentless campaign (not dialling, so the callback is its only call)
  // calls back: recognised by number, confirmed, put through to Anna all the same.
  const callbackCampaign = await api('/campaigns', { json: { name: 'Smoke callback', mode: 'agentless', callerId: CALLER_ID } });
  assert.equal(callbackCampaign.status, 201, JSON.stringify(callbackCampaign.body));
  assert.equal((await api(`/campaigns/${callbackCampaign.body.id}/imports`, { csv: AGENT_CSV })).status, 201);
  await phones.agentAnswers();
  await phones.debtorCallsBack(CALLBACK_KEYS, CALLBACK_HANGUP_MS);
  await until('the agent talks with the debtor', async () => (deskMsgs.some((m) => m.type === 'case' && m.case?.phase === 'connected') ? true : undefined));
  const back = await until('the callback ended', async () => (await calls('direction=inbound')).find((c) => c.state === 'ended'));
  assert.equal(back.fromNumber, CALLER, 'the caller is matched by the number they call from');
  assert.equal(back.identityConfirmed, true);
  assert.equal(back.result, 'transferred');
  assert.equal(back.agentId, agent.body.id, 'put through to the agent who was available');
  const agentLeg = await until('the agent leg ended', async () => (await calls('direction=agent')).find((c) => c.state === 'ended'));
  assert.equal(agentLeg.parentCallId ?? back.id, back.id);
  assert.equal(agentLeg.disposition, 'answered', 'the agent phone answered');
});
