/**
 * End-to-end rig for the call flows: Bereik as `bereik serve` builds it (createEngine: the
 * real ARI client, call flows, agent desk and dialer) against the simulated Asterisk over
 * loopback HTTP + WebSocket, one ScaledClock shared by both, a SQLite file in a temp
 * folder, the silent TTS, and the real prompts and segmentation. Tests dial a virtual
 * phone (through bereik-outbound with AMD) or make one call in, and read back what the
 * phone heard (as prompt texts) and pressed, what was stored, and what an agent's screen
 * showed when the call was put through (virtual agents answer on PJSIP/agentN).
 */
import { before, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createEngine, type Engine } from '../../src/engine.ts';
import { startSim, type PhoneBehaviour, type PhoneCallRecord, type RunningSim } from '../../src/sim/index.ts';
import type { AriTelephony } from '../../src/telephony/index.ts';
import type { AgentDeskService } from '../../src/agents/desk.ts';
import type { ScreenPop } from '../../src/agents/case.ts';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import type { PromptKey } from '../../src/tts/types.ts';
import { TextTts, seedCase, storedOutcome, contactHeardAt, claimStatus, type SeedOptions, type Seeded } from '../helpers/fake-call.ts';
import { DIALER_CONFIG } from '../unit/dialer-fixture.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

/**
 * Clock ms per real ms: a 60-second call takes three seconds; a 6-second menu timeout is
 * 300 real ms, enough headroom for a busy two-core machine.
 */
const SCALE = 20;
/** A silent line makes a virtual person hang up after this long (a safety net, not a scenario). */
const IDLE_HANGUP_MS = 120_000;

/** What a prompt says in Dutch with the campaign's caller name and number (as the phone should hear it). */
export function said(key: PromptKey): string {
  return renderPrompt(key, 'nl', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' });
}

/** Debt detail as spoken: creditor, invoice spelled out, an amount or the word factuur. */
export const DEBT_DETAIL = [/Energie Noord/, /F 2 0 2 6/, /euro/i, /factuur/i];

/** Prompt texts reduced to a label where the exact wording carries personal data. */
export function label(t: string): string {
  if (/^Goedendag, u wordt gebeld/.test(t)) return 'identity';
  if (/^Wij bellen namens/.test(t)) return 'message';
  if (/^Maak een keuze/.test(t)) return 'menu';
  return t;
}

export interface CallOutcome {
  /** Bereik's call id. */
  callId: string;
  phone: PhoneCallRecord;
  /** Texts of the prompts the phone heard, in order (failed playbacks left out). */
  heard: string[];
  /** Per prompt heard: the debtor its audio was rendered about (erasure deletes it), or undefined. */
  heardOwners: (number | undefined)[];
  stored: ReturnType<typeof storedOutcome>;
  seeded: Seeded | undefined;
  heardAt: string | null;
  claimStatus: string | undefined;
}

export interface FlowRig {
  db: Db;
  sim: RunningSim;
  engine: Engine;
  tel: AriTelephony;
  tts: TextTts;
  desk: AgentDeskService;
  /** The virtual agents the rig logged in (PJSIP/agent1…), available. */
  agentIds: number[];
  /** What agents' screens showed, in order (ringing, connected, ended). */
  pops: ScreenPop[];
  /** The cases put on an agent's screen for this call (one per agent rung). */
  casesOf(callId: string): ScreenPop[];
  /** Seeds a debtor with this phone and dials it through bereik-outbound (AMD, then Stasis). */
  dialOut(number: string, behaviour: PhoneBehaviour, seed?: SeedOptions): Promise<CallOutcome>;
  /** Seeds the given cases, then the phone calls in from `from` (as the network sends it). */
  callIn(from: string, behaviour: PhoneBehaviour, seeds?: SeedOptions[]): Promise<CallOutcome>;
  close(): Promise<void>;
}

export interface FlowRigOptions {
  /** Virtual agents to log in: each answers after a second and talks for 5 s. */
  agents?: number;
}

/** One rig for every test of a file: started before the first, closed after the last. Call the result for the rig. */
export function flowRigForFile(opts: FlowRigOptions = {}): () => FlowRig {
  let rig: FlowRig | undefined;
  before(async () => {
    rig = await startFlowRig(opts);
  });
  after(async () => {
    await rig?.close();
  });
  return () => rig!;
}

export async function startFlowRig(opts: FlowRigOptions = {}): Promise<FlowRig> {
  const clock = new ScaledClock(SCALE);
  const dir = mkdtempSync(join(tmpdir(), 'bereik-flow-'));
  const db = openDb(join(dir, 'bereik.sqlite'));
  const sim = await startSim({ clock, scenario: { endpoints: ['trunk'] } });
  const tts = new TextTts(join(dir, 'tts'));
  const config = loadConfig({}, {
    log: { level: 'silent' },
    db: { path: ':memory:' },
    dialer: DIALER_CONFIG,
    inbound: { unknownCaller: 'message' },
    agents: { ringTimeoutSec: 20, wrapUpSec: 30 },
    // Recorded prompts live under the cache directory: the rig's own, not the checkout's.
    tts: { cacheDir: join(dir, 'tts-cache') },
  });
  const engine = await createEngine({ config, store: createSqliteStore(db), clock, log: silentLogger(), tts, sim });
  const desk = engine.desk;
  const tel = engine.telephony;
  const pops: ScreenPop[] = [];
  desk.on('pop', (_agentId, pop) => pops.push(pop));
  const agentIds = Array.from({ length: opts.agents ?? 0 }, (_, i) => {
    const endpoint = `PJSIP/agent${i + 1}`;
    sim.asterisk.setBehaviour(endpoint, { outcome: 'answer', ringMs: 1000, context: 'bereik-agents', hangup: { afterMs: 5000 } });
    const id = desk.registry.create({ name: `Agent ${i + 1}`, endpoint, skills: [] }).id;
    desk.registry.apply(id, 'go_available');
    return id;
  });
  await engine.start();
  let n = 0;

  const outcome = (callId: string, phone: PhoneCallRecord, seeded: Seeded | undefined): CallOutcome => ({
    callId,
    phone,
    heard: phone.heard.filter((h) => h.end !== 'failed').map((h) => tts.textOf.get(h.media) ?? h.media),
    heardOwners: phone.heard.filter((h) => h.end !== 'failed').map((h) => tts.ownerOf.get(h.media)),
    stored: storedOutcome(db, callId),
    seeded,
    heardAt: seeded ? contactHeardAt(db, seeded.contactId) : null,
    claimStatus: seeded ? claimStatus(db, seeded.claimId) : undefined,
  });

  /** The sim ends its side a moment after ours: wait until the phone's record is final. */
  const phoneDone = async (number: string): Promise<PhoneCallRecord> => {
    for (;;) {
      const rec = sim.asterisk.phone(number).calls.at(-1);
      if (rec?.endedAt) return rec;
      await clock.delay(100);
    }
  };
  /** The inbound call's row, once its session has recorded the end. */
  const endedRowOf = async (channelId: string): Promise<string> => {
    for (;;) {
      const row = db.prepare(`SELECT id, state FROM calls WHERE channel_id = ? AND direction = 'inbound'`).get(channelId) as { id: string; state: string } | undefined;
      if (row?.state === 'ended' && !engine.calls.live.has(row.id)) return row.id;
      await clock.delay(100);
    }
  };

  return {
    db,
    sim,
    engine,
    tel,
    tts,
    desk,
    agentIds,
    pops,
    casesOf: (callId) => pops.filter((p) => p.callId === callId && p.phase === 'ringing'),
    async dialOut(number, behaviour, seed = {}) {
      const callId = `call-${++n}`;
      const seeded = seedCase(db, { ...seed, phone: number, callId });
      sim.asterisk.setBehaviour(number, { ringMs: 1000, outcome: 'answer', ...behaviour, hangup: { idleMs: IDLE_HANGUP_MS, ...behaviour.hangup } });
      const call = await tel.originate({
        endpoint: `PJSIP/${number}@trunk`,
        route: { kind: 'dialplan', context: 'bereik-outbound', extension: 's', priority: 1 },
        callerId: '+31201234567',
        timeoutSec: 30,
        variables: { BEREIK_CALL_ID: callId },
      });
      if (!(await call.whenInStasis())) throw new Error(`the call to ${number} never reached Stasis`);
      const summary = await engine.calls.handle(call);
      return outcome(summary.callId, await phoneDone(number), seeded);
    },
    async callIn(from, behaviour, seeds = []) {
      const seeded = seeds.map((s) => seedCase(db, s));
      const channelId = await sim.asterisk.callIn({ from, exten: '0201234567', behaviour: { ...behaviour, hangup: { idleMs: IDLE_HANGUP_MS, ...behaviour.hangup } } });
      const callId = await endedRowOf(channelId);
      return outcome(callId, await phoneDone(from), seeded[0]);
    },
    async close() {
      await engine.stop();
      await sim.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
