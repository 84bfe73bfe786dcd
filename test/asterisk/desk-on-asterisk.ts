/**
 * What the real-Asterisk desktop tests share: `bereik serve` on the real Asterisk, its API
 * with the first admin token, ARI read directly (bridges, channels, RTP statistics), an
 * agent logged in to /desktop in Chromium whose softphone holds the line, and a SIPp
 * debtor with a large claim who calls in, confirms with 1 and talks (a looped recording).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { byId } from '../browser/chromium.ts';
import { pollUntil, serveApi, startServe, type ServeApi, type ServeProcess } from '../helpers/serve.ts';
import { greetingWav } from './greeting.ts';
import { keyScript, PORTS, startPhone, type SippPhone } from './phones.ts';

export const CALLER_ID = '+31201234567';
export const CALLER = '+31611111102';
const HEADER = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Risico;Opdrachtgever;Betaallink';
/** A large claim: once the caller confirms who they are, straight to an agent. */
const AGENT_CSV = [HEADER, 'S2;Karel Groot;06-11111102;€ 1.500,00;F-2;31-12-2030;laag;Energie Noord BV;'].join('\r\n');

const env = process.env;
/** The real Asterisk with SIPp phones is there (test/asterisk/run.sh). */
export const onRealAsterisk = Boolean(env.BEREIK_ARI_URL && env.BEREIK_ASTERISK_SIPP === '1');
export const NEEDS_ASTERISK = 'needs the real Asterisk (BEREIK_ARI_URL, BEREIK_ASTERISK_SIPP=1: test/asterisk/run.sh)';

export interface AriBridge { id: string; name: string; channels: string[] }
export interface RtpStats { txcount: number; rxcount: number }
type T = { after(fn: () => unknown): void };

export interface DeskRig {
  serve: ServeProcess;
  admin: string;
  /** The service's API as the first admin (or another token). */
  api: ServeApi;
  /** Asterisk's own ARI, read directly. */
  ari<R>(path: string): Promise<{ status: number; body: R }>;
  ariUrl: string;
  ariAuth: string;
  /** Polls fn until it gives a value; fails with the service's last log lines. */
  until: ReturnType<typeof pollUntil>;
  /** The service's log without HTTP access lines. */
  log(): string;
  rtp(channelId: string): Promise<RtpStats>;
  /** Waits (up to withinMs) until the channel's RTP counter has grown by more than `by` packets; fails with both samples. */
  rtpFlows(channelId: string, counter: 'rxcount' | 'txcount', label: string, by?: number, withinMs?: number): Promise<number>;
}

export async function startDesk(t: T, campaignSettings: Record<string, unknown> = {}): Promise<DeskRig & { campaignId: number }> {
  const ariUrl = env.BEREIK_ARI_URL!.replace(/\/+$/, '');
  const ariAuth = 'Basic ' + Buffer.from(`${env.BEREIK_ARI_USER}:${env.BEREIK_ARI_PASSWORD}`).toString('base64');
  const ari = async <R>(path: string): Promise<{ status: number; body: R }> => {
    const res = await fetch(`${ariUrl}/ari${path}`, { headers: { authorization: ariAuth } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as R };
  };
  const dir = mkdtempSync(join(tmpdir(), 'bereik-desk-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const serve = await startServe(t, join(dir, 'bereik.sqlite'), {
    startAtUtc: '2026-11-23 09:00:00',
    env: {
      BEREIK_ARI_URL: env.BEREIK_ARI_URL!, BEREIK_ARI_USER: env.BEREIK_ARI_USER ?? '', BEREIK_ARI_PASSWORD: env.BEREIK_ARI_PASSWORD ?? '',
      BEREIK_TTS_CACHE_DIR: join(dir, 'tts'),
      BEREIK_AGENTS_SOFTPHONE_WS_URL: ariUrl.replace(/^http/, 'ws') + '/ws',
      BEREIK_AGENTS_RECORDINGS_DIR: join(dir, 'recordings'),
    },
  });
  const log = () => serve.output().split('\n').filter((l) => !l.includes('"mod":"http"')).slice(-30).join('\n');
  const admin = readFileSync(join(dir, 'first-admin-token'), 'utf8').trim();
  const api = serveApi(serve, admin);
  const until = pollUntil(log, 30_000);
  const rtp = async (id: string) => (await ari<RtpStats>(`/channels/${id}/rtp_statistics`)).body;
  const rtpFlows: DeskRig['rtpFlows'] = async (id, counter, label, by = 20, withinMs = 8000) => {
    const before = await rtp(id);
    const end = Date.now() + withinMs;
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await rtp(id);
      if (now[counter] - before[counter] > by) return now[counter] - before[counter];
      if (Date.now() > end) assert.fail(`${label}: RTP ${counter} ${before[counter]} → ${now[counter]} in ${withinMs / 1000} s: ${JSON.stringify({ before, now })}`);
    }
  };
  // Whatever a failed test left in Asterisk (a line bridge, its channels) is gone before the next.
  t.after(async () => {
    const del = (path: string) => fetch(`${ariUrl}/ari${path}`, { method: 'DELETE', headers: { authorization: ariAuth } }).catch(() => undefined);
    for (const c of (await ari<{ id: string }[]>('/channels')).body ?? []) await del(`/channels/${encodeURIComponent(c.id)}`);
    for (const b of (await ari<{ id: string }[]>('/bridges')).body ?? []) await del(`/bridges/${encodeURIComponent(b.id)}`);
  });

  const campaign = await api('/campaigns', { json: { name: 'Desk', mode: 'agentless', callerId: CALLER_ID, settings: campaignSettings } });
  assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
  assert.equal((await api(`/campaigns/${campaign.body.id}/imports`, { csv: AGENT_CSV })).status, 201);
  return { serve, admin, api, ari, ariUrl, ariAuth, until, log, rtp, rtpFlows, campaignId: campaign.body.id as number };
}

export interface LoggedInAgent {
  agentId: number;
  page: Page;
  pageErrors: string[];
  /** The softphone's channel, alone in the agent's bridge once the line is open. */
  lineChannel: string;
  /** The per-login endpoint Bereik pushed to Asterisk. */
  endpoint: string;
  lineBridge(): Promise<AriBridge | undefined>;
}

/** An agent (with a desk phone on record) logs in to /desktop from Chromium alone; the softphone holds the line; the agent goes available. */
export async function loginOnSoftphone(rig: DeskRig, browser: Browser, deskPhone = 'PJSIP/agent1'): Promise<LoggedInAgent> {
  const { api, ari, until, log } = rig;
  const agent = await api('/agents', { json: { name: 'Anna', endpoint: deskPhone, skills: [] } });
  assert.equal(agent.status, 201, JSON.stringify(agent.body));
  const agentId = agent.body.id as number;
  const token = (await api(`/agents/${agentId}/token`, { method: 'POST' })).body.token as string;

  const page: Page = await (await browser.newContext()).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(rig.serve.address + '/desktop');
  await byId(page, 'token').fill(token);
  await byId(page, 'login-button').click();
  await page.waitForSelector('[data-testid="line"][data-state="open"]', { timeout: 30_000 }).catch(async (err) => {
    assert.fail(`the line did not open: ${err.message}\nsoftphone: ${await byId(page, 'softphone-status').textContent()} ${await byId(page, 'softphone-message').textContent()}\npage errors: ${pageErrors.join('; ')}\n${log()}`);
  });
  await page.waitForSelector('[data-testid="softphone-status"][data-state="incall"]');

  const lineBridge = async () => (await ari<AriBridge[]>('/bridges')).body.find((b) => b.name === `line-${agentId}`);
  const bridge = await until('the line bridge', lineBridge);
  assert.equal(bridge.channels.length, 1);
  const lineChannel = bridge.channels[0]!;
  const lineName = (await ari<{ name: string }>(`/channels/${lineChannel}`)).body.name;
  assert.match(lineName, /^PJSIP\/bereik-sp-\d+-[0-9a-f]{8}-/, 'the line is a call to the per-login softphone endpoint');
  const endpoint = lineName.slice('PJSIP/'.length).replace(/-[0-9a-f]{8}$/, '');

  await byId(page, 'go-available').click();
  await page.waitForSelector('[data-testid="agent-state"][data-state="available"]');
  return { agentId, page, pageErrors, lineChannel, endpoint, lineBridge };
}

/** The debtor calls in, confirms (1) 5 s in, talks (a looped recording) and hangs up after hangupMs. */
export function debtorCallsIn(t: T, hangupMs: number): SippPhone {
  const { keys, files } = keyScript([{ atMs: 5000, digit: '1' }]);
  const debtor = startPhone({
    scenario: 'uac-call-keys-talk', port: PORTS.trunk + 1, calls: 1, keys: { caller: CALLER, dialled: CALLER_ID },
    vars: { keys, talkAfterMs: 300, hangupMs }, files: { ...files, 'talk.wav': greetingWav() },
  });
  t.after(() => debtor.stop());
  return debtor;
}
