/**
 * Warm transfers end to end: Bereik as `bereik serve` builds it (createApp: the engine's
 * ARI client and AgentDeskService, the HTTP API and desktop) against the simulated
 * Asterisk over real HTTP + WebSocket, silent TTS files on disk (the simulator times
 * playbacks from the WAV), an in-memory store with one debtor. Simulator and Bereik share
 * one ScaledClock, so a 20 s ring timeout takes one real second. Only the telephony is
 * started, not the IVR: each test hands its debtor's call to the desk itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock, isoUtc } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim, type RunningSim } from '../../src/sim/index.ts';
import type { PhoneBehaviour } from '../../src/sim/index.ts';
import type { AriTelephony } from '../../src/telephony/index.ts';
import type { Call } from '../../src/telephony/types.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import type { RenderOptions, RenderedPrompt, TtsEngine } from '../../src/tts/types.ts';
import type { Language } from '../../src/campaigns/settings.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { createCall } from '../../src/store/calls.ts';
import type { AgentDeskService } from '../../src/agents/desk.ts';
import type { TransferRequest } from '../../src/agents/types.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createToken } from '../../src/http/tokens.ts';
import { createApp, type App } from '../../src/app.ts';
import type { FastifyInstance } from 'fastify';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { parseStoredSettings } from '../../src/campaigns/stored-settings.ts';
import { agentSide } from '../../src/calls/steps/transfer.ts';

/** Remembers what text each media file says, so a test can tell what a phone heard. */
export class RecordingTts implements TtsEngine {
  readonly texts = new Map<string, string>();
  constructor(private readonly inner: TtsEngine) {}
  async render(text: string, lang: Language, opts?: RenderOptions): Promise<RenderedPrompt> {
    const r = await this.inner.render(text, lang, opts);
    this.texts.set(r.media, text);
    return r;
  }
}

export interface TransferRig {
  /** The whole app (messaging, store, HTTP) the rig's desk belongs to. */
  app: App;
  clock: ScaledClock;
  sim: RunningSim;
  tel: AriTelephony;
  db: Db;
  tts: RecordingTts;
  desk: AgentDeskService;
  debtorId: number;
  claimId: number;
  /** Adds an agent (offline) whose phone behaves as given. */
  agent(name: string, endpoint: string, behaviour: PhoneBehaviour, skills?: string[]): number;
  /** A virtual debtor calls in and is answered in Stasis; returns the Call and its Bereik call id. */
  debtorCall(from?: string, behaviour?: PhoneBehaviour): Promise<{ call: Call; callId: string }>;
  request(call: Call, callId: string, extra?: Partial<TransferRequest>): TransferRequest;
  /** What the phone behind this endpoint or number heard, as text where Bereik's TTS made it. */
  heard(phone: string): string[];
  /** Starts the HTTP API + desktop with this desk on 127.0.0.1 (closed by close()). */
  serve(): Promise<{ url: string; http: FastifyInstance; token(role: 'admin' | 'operator' | 'agent' | 'supervisor' | 'client', agentId?: number, creditors?: string[]): string }>;
  close(): Promise<void>;
}

export async function openRig(opts: { scale?: number; ringTimeoutSec?: number; wrapUpSec?: number; maxWaitSec?: number; startAt?: number; softphoneWsUrl?: string; softphoneTtlSec?: number } = {}): Promise<TransferRig> {
  // startAt: a test that sends messages starts inside the sending window, whatever today is.
  const clock = new ScaledClock(opts.scale ?? 20, opts.startAt);
  const sim = await startSim({ port: 0, clock });
  const dir = mkdtempSync(join(tmpdir(), 'bereik-transfer-'));
  const tts = new RecordingTts(new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' }));
  const db = openDb(':memory:');
  const config = loadConfig({}, {
    http: { host: '127.0.0.1', port: 0 },
    db: { path: ':memory:' },
    log: { level: 'silent' },
    ari: { reconnectMinMs: 50, reconnectMaxMs: 500 },
    agents: {
      ringTimeoutSec: opts.ringTimeoutSec ?? 20, wrapUpSec: opts.wrapUpSec ?? 30, recordingsDir: join(dir, 'call-recordings'),
      ...(opts.softphoneWsUrl !== undefined ? { softphoneWsUrl: opts.softphoneWsUrl } : {}),
      ...(opts.softphoneTtlSec !== undefined ? { softphoneTtlSec: opts.softphoneTtlSec } : {}),
    },
  });
  const app = await createApp({ config, store: createSqliteStore(db), clock, log: silentLogger(), telephony: { tts, sim, maxAgentWaitSec: opts.maxWaitSec ?? 60 } });
  const engine = app.deps.engine!;
  const tel = engine.telephony;
  const desk = engine.desk;
  await tel.start();
  const now = isoUtc(clock.now());
  const debtorId = Number(
    db.prepare(`INSERT INTO debtors (external_ref, name, language, risk, created_at, updated_at) VALUES ('D-1001', 'Jan Jansen', 'nl', 'high', ?, ?)`).run(now, now).lastInsertRowid,
  );
  const claimId = Number(
    db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, created_at, updated_at) VALUES (?, 'Energie BV', 'F-77', 123456, '2026-10-01', ?, ?)`)
      .run(debtorId, now, now).lastInsertRowid,
  );
  // Inbound calls by channel id: several debtors may call in at once.
  const arrivals = new Map<string, Call>();
  const waiting = new Map<string, (c: Call) => void>();
  tel.on('inbound', (c) => (waiting.get(c.id)?.(c) ?? arrivals.set(c.id, c)));
  const arrivedCall = (id: string) =>
    new Promise<Call>((resolve) => {
      const c = arrivals.get(id);
      if (c) resolve(c);
      else waiting.set(id, resolve);
    });
  let n = 0;
  let http: FastifyInstance | undefined;
  return {
    app, clock, sim, tel, db, tts, desk, debtorId, claimId,
    agent(name, endpoint, behaviour, skills = []) {
      sim.asterisk.setBehaviour(endpoint, behaviour);
      return desk.registry.create({ name, endpoint, skills }).id;
    },
    async debtorCall(from = '+31612345678', behaviour = { outcome: 'answer', ringMs: 0 }) {
      const id = await sim.asterisk.callIn({ from, exten: '0201234567', behaviour });
      const call = await arrivedCall(id);
      await call.answer();
      const callId = `call-${++n}`;
      createCall(db, { id: callId, direction: 'inbound', createdAt: isoUtc(clock.now()), debtorId, channelId: call.id, fromNumber: from, state: 'up', dtmfPath: '2' });
      return { call, callId };
    },
    request(call, callId, extra = {}) {
      // As a call flow builds it: the campaign's settings say what the agent's side gets.
      const campaign = extra.campaignId != null ? createSqliteStore(db).campaigns.get(extra.campaignId) : undefined;
      const side = campaign ? agentSide(parseStoredSettings(campaign.settings)) : {};
      return { call, callId, campaignId: null, debtorId, claimId, skill: '', lang: 'nl', dtmfPath: '12', reason: 'menu', ...side, ...extra };
    },
    heard(phone) {
      return sim.asterisk.phone(phone).calls.flatMap((c) => c.heard.map((h) => tts.texts.get(h.media) ?? h.media));
    },
    async serve() {
      // The app's own HTTP server (routes, desktop, agent socket) on the rig's desk.
      http = app.http;
      const url = await http.listen({ host: '127.0.0.1', port: 0 });
      return {
        url,
        http,
        token: (role, agentId, creditors) => createToken(createSqliteStore(db).tokens, clock, { name: `test-${role}`, role, agentId: agentId ?? null, ...(creditors ? { creditors } : {}) }).token,
      };
    },
    async close() {
      await app.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
