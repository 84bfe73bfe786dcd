/**
 * The desktop softphone on the real Asterisk 22 (issue 16 §2, docs/agent-softphone.md):
 * Chromium with a fake microphone logs an agent in to /desktop; Bereik pushes a per-login
 * WebRTC endpoint over ARI; SIP.js registers over ws://127.0.0.1:8088/ws; the line comes up
 * (Asterisk shows the softphone's channel alone in the agent's bridge); a SIPp debtor with a
 * large claim calls in, confirms and is moved into that bridge without a new call to the
 * softphone; RTP flows both ways on both legs (ARI rtp_statistics grow while they talk); a
 * key on the desktop's keypad reaches Asterisk as DTMF on the agent's channel; the
 * debtor hangs up and the agent is still on the same line; logging out deletes the endpoint.
 *
 * Real Asterisk only (BEREIK_ARI_URL + BEREIK_ASTERISK_SIPP=1, test/asterisk/run.sh): the
 * simulator speaks no SIP. The softphone UI on the simulator: test/browser/desktop-softphone.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { browserFor, byId, WEBRTC_ARGS } from '../browser/chromium.ts';
import { startServe } from '../helpers/serve.ts';
import { greetingWav } from './greeting.ts';
import { keyScript, PORTS, startPhone } from './phones.ts';

const CALLER_ID = '+31201234567';
const CALLER = '+31611111102';
const HEADER = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Risico;Opdrachtgever;Betaallink';
/** A large claim: once the caller confirms who they are, straight to an agent. */
const AGENT_CSV = [HEADER, 'S2;Karel Groot;06-11111102;€ 1.500,00;F-2;31-12-2030;laag;Energie Noord BV;'].join('\r\n');

const env = process.env;
const real = Boolean(env.BEREIK_ARI_URL && env.BEREIK_ASTERISK_SIPP === '1');

interface AriBridge { id: string; name: string; channels: string[] }
interface RtpStats { txcount: number; rxcount: number }

test('a softphone in Chromium registers, holds the line, takes a debtor without ringing, RTP both ways, sends DTMF, and stays on the line', { timeout: 120_000, skip: real ? false : 'needs the real Asterisk (BEREIK_ARI_URL, BEREIK_ASTERISK_SIPP=1: test/asterisk/run.sh)' }, async (t) => {
  const browser = await browserFor(t, WEBRTC_ARGS);
  if (!browser) return;
  const ariUrl = env.BEREIK_ARI_URL!.replace(/\/+$/, '');
  const ariAuth = 'Basic ' + Buffer.from(`${env.BEREIK_ARI_USER}:${env.BEREIK_ARI_PASSWORD}`).toString('base64');
  const ari = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${ariUrl}/ari${path}`, { headers: { authorization: ariAuth } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const dir = mkdtempSync(join(tmpdir(), 'bereik-softphone-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const serve = await startServe(t, join(dir, 'bereik.sqlite'), {
    startAtUtc: '2026-11-23 09:00:00',
    env: {
      BEREIK_ARI_URL: env.BEREIK_ARI_URL!, BEREIK_ARI_USER: env.BEREIK_ARI_USER ?? '', BEREIK_ARI_PASSWORD: env.BEREIK_ARI_PASSWORD ?? '',
      BEREIK_TTS_CACHE_DIR: join(dir, 'tts'),
      BEREIK_AGENTS_SOFTPHONE_WS_URL: ariUrl.replace(/^http/, 'ws') + '/ws',
    },
  });
  const log = () => serve.output().split('\n').filter((l) => !l.includes('"mod":"http"')).slice(-30).join('\n');
  const admin = readFileSync(join(dir, 'first-admin-token'), 'utf8').trim();
  const api = async (path: string, init: { method?: string; json?: unknown; csv?: string } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${admin}` };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.csv !== undefined) headers['content-type'] = 'text/csv';
    const res = await fetch(serve.address + path, { method: init.method ?? (init.json || init.csv ? 'POST' : 'GET'), headers, body: init.csv ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const until = async <T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) assert.fail(`${what} did not happen within ${ms / 1000} s; serve said:\n${log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  // The agent has a desk phone on record, but logs in from the browser alone.
  const agent = await api('/agents', { json: { name: 'Anna', endpoint: 'PJSIP/agent1', skills: [] } });
  assert.equal(agent.status, 201, JSON.stringify(agent.body));
  const agentId = agent.body.id as number;
  const token = (await api(`/agents/${agentId}/token`, { method: 'POST' })).body.token as string;
  const campaign = await api('/campaigns', { json: { name: 'Softphone', mode: 'agentless', callerId: CALLER_ID } });
  assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
  assert.equal((await api(`/campaigns/${campaign.body.id}/imports`, { csv: AGENT_CSV })).status, 201);

  const page: Page = await (await browser.newContext()).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(serve.address + '/desktop');
  await byId(page, 'token').fill(token);
  await byId(page, 'login-button').click();
  await page.waitForSelector('[data-testid="line"][data-state="open"]', { timeout: 30_000 }).catch(async (err) => {
    assert.fail(`the line did not open: ${err.message}\nsoftphone: ${await byId(page, 'softphone-status').textContent()} ${await byId(page, 'softphone-message').textContent()}\npage errors: ${pageErrors.join('; ')}\n${log()}`);
  });
  await page.waitForSelector('[data-testid="softphone-status"][data-state="incall"]');

  // Asterisk: the softphone's channel alone in the agent's bridge.
  const lineBridge = async () => (await ari<AriBridge[]>('/bridges')).body.find((b) => b.name === `line-${agentId}`);
  const bridge = await until('the line bridge', lineBridge);
  assert.equal(bridge.channels.length, 1);
  const lineChannel = bridge.channels[0]!;
  const lineName = (await ari<{ name: string }>(`/channels/${lineChannel}`)).body.name;
  assert.match(lineName, /^PJSIP\/bereik-sp-\d+-[0-9a-f]{8}-/, 'the line is a call to the per-login softphone endpoint');
  const endpoint = lineName.slice('PJSIP/'.length).replace(/-[0-9a-f]{8}$/, '');

  await byId(page, 'go-available').click();
  await page.waitForSelector('[data-testid="agent-state"][data-state="available"]');

  // The debtor calls in, confirms (1), and talks (a looped recording) until hanging up.
  const { keys, files } = keyScript([{ atMs: 5000, digit: '1' }]);
  const debtor = startPhone({
    scenario: 'uac-call-keys-talk', port: PORTS.trunk + 1, calls: 1, keys: { caller: CALLER, dialled: CALLER_ID },
    vars: { keys, talkAfterMs: 300, hangupMs: 14_000 }, files: { ...files, 'talk.wav': greetingWav() },
  });
  t.after(() => debtor.stop());
  await page.waitForSelector('[data-testid="case"][data-phase="connected"]:not([hidden])', { timeout: 40_000 });
  const both = await until('the debtor in the line bridge', async () => {
    const b = await lineBridge();
    return b && b.channels.length === 2 ? b : undefined;
  });
  assert.ok(both.channels.includes(lineChannel), 'the same line channel: the softphone was not called again');
  const debtorChannel = both.channels.find((c) => c !== lineChannel)!;
  const ep = (await ari<{ channel_ids: string[] }>(`/endpoints/PJSIP/${endpoint}`)).body;
  assert.deepEqual(ep.channel_ids, [lineChannel], 'one call to the softphone for the whole session');

  // RTP both ways on both legs while they talk: the counters grow over 2 s.
  const stats = async (id: string) => (await ari<RtpStats>(`/channels/${id}/rtp_statistics`)).body;
  const before = { agent: await stats(lineChannel), debtor: await stats(debtorChannel) };
  await new Promise((r) => setTimeout(r, 2000));
  const after = { agent: await stats(lineChannel), debtor: await stats(debtorChannel) };
  for (const leg of ['agent', 'debtor'] as const) {
    assert.ok(after[leg].rxcount > before[leg].rxcount, `${leg} leg receives RTP: ${JSON.stringify({ before: before[leg], after: after[leg] })}`);
    assert.ok(after[leg].txcount > before[leg].txcount, `${leg} leg sends RTP: ${JSON.stringify({ before: before[leg], after: after[leg] })}`);
  }
  // DTMF from the keypad reaches Asterisk on the agent's channel (RFC 4733): heard by a
  // second ARI application subscribed to that channel.
  const probe = new WebSocket(`${ariUrl.replace(/^http/, 'ws')}/ari/events?app=softphone-probe&api_key=${encodeURIComponent(`${env.BEREIK_ARI_USER}:${env.BEREIK_ARI_PASSWORD}`)}`);
  t.after(() => probe.close());
  const digits: string[] = [];
  probe.on('message', (d) => {
    const ev = JSON.parse(String(d)) as { type: string; digit?: string; channel?: { id: string } };
    if (ev.type === 'ChannelDtmfReceived' && ev.channel?.id === lineChannel && ev.digit) digits.push(ev.digit);
  });
  await new Promise((r, j) => (probe.once('open', r), probe.once('error', j)));
  const sub = await fetch(`${ariUrl}/ari/applications/softphone-probe/subscription?eventSource=channel:${lineChannel}`, { method: 'POST', headers: { authorization: ariAuth } });
  assert.equal(sub.status, 200, await sub.text());
  await page.click('[data-dtmf="5"]');
  await until('the key 5 from the softphone', async () => (digits.includes('5') ? true : undefined), 5000);

  t.diagnostic(`rtp in 2 s: agent rx ${after.agent.rxcount - before.agent.rxcount} tx ${after.agent.txcount - before.agent.txcount}; debtor rx ${after.debtor.rxcount - before.debtor.rxcount} tx ${after.debtor.txcount - before.debtor.txcount}`);

  // The debtor hangs up: the agent is still on the same line, alone in the bridge.
  await until('the debtor gone from the bridge', async () => ((await lineBridge())?.channels.length === 1 ? true : undefined), 20_000);
  assert.deepEqual((await lineBridge())?.channels, [lineChannel]);
  assert.equal(await byId(page, 'line').getAttribute('data-state'), 'open');
  assert.equal((await ari<{ state: string }>(`/channels/${lineChannel}`)).body.state, 'Up');

  // Logging out hangs the line up and deletes the per-login endpoint from Asterisk.
  await byId(page, 'logout').click();
  await byId(page, 'login').waitFor();
  await until('the line bridge gone', async () => ((await lineBridge()) ? undefined : true), 10_000);
  await until('the softphone endpoint deleted', async () => ((await ari(`/endpoints/PJSIP/${endpoint}`)).status === 404 ? true : undefined), 10_000);
  assert.deepEqual(pageErrors, []);
});
