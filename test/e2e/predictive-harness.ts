/**
 * Agent campaigns end to end: the whole engine (dialer + pacer adapter, call flows, agent
 * desk, real ARI client) against the simulated Asterisk over HTTP + WebSocket, on one
 * ScaledClock. Virtual agents on PJSIP/agentN answer after a short ring and talk for a
 * drawn time before hanging up (drawn again for every call); debtors come from a
 * population. Silent TTS files on disk, remembered by text so a test can tell which
 * prompt a phone heard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createEngine, type Engine } from '../../src/engine.ts';
import { startSim, type PhoneBehaviour, type Population, type RunningSim } from '../../src/sim/index.ts';
import { rng } from '../../src/sim/population.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import type { CampaignMode, CampaignSettings } from '../../src/campaigns/settings.ts';
import type { PacerAdapterOptions } from '../../src/dialer/runtime/pacer-adapter.ts';
import { seedCampaign, setCampaignState } from '../unit/dialer-fixture.ts';
import { createCall } from '../../src/store/calls.ts';
import { RecordingTts } from './transfer-harness.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

export interface AgentRigOptions {
  scale: number;
  origin: number;
  mode: CampaignMode;
  agents: number;
  debtors: number;
  population: Population;
  /** Debtors' phones with a behaviour of their own (by number); the others come from the population. */
  phones?: Record<string, PhoneBehaviour>;
  /** Debtors' numbers, one per debtor; default: made up from the index. */
  numbers?: string[];
  settings: Partial<CampaignSettings>;
  /** Agent talk time, drawn per call (clock ms). */
  talkMs: { min: number; max: number };
  agentRingMs?: number;
  wrapUpSec: number;
  pacerTuning?: PacerAdapterOptions['tuning'];
  /** Earlier today: this many live-answered calls of the campaign (none abandoned), before the engine starts. */
  earlierLiveCalls?: number;
  /**
   * Agents on open lines (issue 16 §1): each agent's phone answers one call, the line, and never
   * hangs up; the lines are opened before the campaign runs, so no debtor ever finds an agent
   * without one. The debtors end the conversations (give them a hang-up of their own).
   */
  agentLines?: boolean;
}

export interface AgentRig {
  clock: ScaledClock;
  sim: RunningSim;
  db: Db;
  tts: RecordingTts;
  engine: Engine;
  campaignId: number;
  agentIds: number[];
  endpoints: string[];
  /** Runs until `until` (clock ms) or until pred holds, checking every 100 real ms. */
  runUntil(untilMs: number, pred?: () => boolean): Promise<void>;
  /** Debtors' calls (not agent legs), oldest first. */
  outbound(): CallRowView[];
  /** Runs until `n` debtor calls are recorded (or `untilMs`), then stops. */
  runUntilRecorded(n: number, untilMs: number): Promise<void>;
  /** Stops dialling and the simulator; the database stays open for the assertions. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface CallRowView {
  id: string;
  direction: string;
  contact_id: number | null;
  agent_id: number | null;
  parent_call_id: string | null;
  to_number: string | null;
  state: string;
  disposition: string | null;
  result: string | null;
  created_at: string;
  answered_at: string | null;
  ended_at: string | null;
}

export function callRows(db: Db): CallRowView[] {
  return db
    .prepare(`SELECT id, direction, contact_id, agent_id, parent_call_id, to_number, state, disposition, result, created_at, answered_at, ended_at FROM calls ORDER BY created_at, id`)
    .all() as CallRowView[];
}

export async function agentRig(o: AgentRigOptions): Promise<AgentRig> {
  const clock = new ScaledClock(o.scale, o.origin);
  const draw = rng(4242);
  const talk = () => Math.round(o.talkMs.min + draw() * (o.talkMs.max - o.talkMs.min));
  const endpoints = Array.from({ length: o.agents }, (_, i) => `PJSIP/agent${i + 1}`);
  const agentPhone = (): PhoneBehaviour =>
    o.agentLines ? { outcome: 'answer', ringMs: o.agentRingMs ?? 300, context: 'bereik-agents' } : { outcome: 'answer', ringMs: o.agentRingMs ?? 300, context: 'bereik-agents', hangup: { afterMs: talk() } };
  const sim = await startSim({
    port: 0,
    clock,
    scenario: { endpoints: ['trunk'], population: o.population, phones: { ...o.phones, ...Object.fromEntries(endpoints.map((e) => [e, agentPhone()])) } },
  });
  // Each conversation gets its own drawn length: the agent's next call is redrawn as one ends.
  sim.asterisk.on('callEnded', (r) => {
    if (!o.agentLines && endpoints.includes(r.phone)) sim.asterisk.setBehaviour(r.phone, agentPhone());
  });
  const dir = mkdtempSync(join(tmpdir(), 'bereik-agentrig-'));
  const tts = new RecordingTts(new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' }));
  const db = openDb(':memory:');
  const config = loadConfig({}, {
    log: { level: 'silent' },
    db: { path: ':memory:' },
    dialer: { tickMs: 1000, trunkCps: 20 },
    agents: { ringTimeoutSec: 10, wrapUpSec: o.wrapUpSec },
  });
  const engine = await createEngine({ config, store: createSqliteStore(db), clock, log: silentLogger(), tts, sim, pacerTuning: o.pacerTuning });
  const agentIds = endpoints.map((endpoint, i) => {
    const a = engine.desk.registry.create({ name: `Agent ${i + 1}`, endpoint, skills: [] });
    if (!o.agentLines) engine.desk.registry.apply(a.id, 'go_available');
    return a.id;
  });
  const { campaignId } = seedCampaign(db, {
    mode: o.mode,
    // With lines the campaign runs once they are open.
    state: o.agentLines ? 'paused' : 'running',
    settings: o.settings,
    at: new Date(o.origin).toISOString(),
    debtors: Array.from({ length: o.debtors }, (_, i) => ({ phones: [o.numbers?.[i] ?? `+316${String(30000000 + i * 7919).padStart(8, '0')}`] })),
  });
  for (let i = 0; i < (o.earlierLiveCalls ?? 0); i++) {
    const at = new Date(o.origin - 2 * 3600_000 + i * 30_000).toISOString();
    createCall(db, { id: `earlier-${i}`, direction: 'outbound', createdAt: at, campaignId, state: 'ended', disposition: 'answered', result: 'transferred', answeredAt: at, endedAt: at });
  }
  await engine.start();
  if (o.agentLines) {
    await Promise.all(agentIds.map((id) => engine.desk.lines.open(id)));
    for (const id of agentIds) engine.desk.registry.apply(id, 'go_available');
    setCampaignState(db, campaignId, 'running');
  }
  let stopped: Promise<void> | undefined;
  let closed = false;
  const stop = () => (stopped ??= engine.stop().then(() => sim.close()));
  const runUntil = async (untilMs: number, pred?: () => boolean) => {
    while (clock.now() < untilMs && !pred?.()) await new Promise((r) => setTimeout(r, 100));
  };
  const outbound = () => callRows(db).filter((r) => r.direction === 'outbound');
  return {
    clock, sim, db, tts, engine, campaignId, agentIds, endpoints, runUntil, outbound,
    async runUntilRecorded(n, untilMs) {
      await runUntil(untilMs, () => outbound().filter((r) => r.state === 'ended' && r.disposition).length >= n);
      await stop();
    },
    stop,
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** [start, end) clock-ms intervals of a phone's calls from answer to end. */
export function talkIntervals(sim: RunningSim, endpoint: string): { from: number; to: number }[] {
  return sim.asterisk
    .phone(endpoint)
    .calls.filter((c) => c.answeredAt)
    .map((c) => ({ from: Date.parse(c.answeredAt!), to: c.endedAt ? Date.parse(c.endedAt) : Number.POSITIVE_INFINITY }));
}
