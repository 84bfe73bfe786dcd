/**
 * End-to-end rig for the call flows: the simulated Asterisk and the real ARI client over
 * loopback HTTP + WebSocket, one ScaledClock shared by both and by the flows, a SQLite
 * file in a temp folder, the silent TTS, and the real prompts and segmentation. Tests
 * dial a virtual phone (through bereik-outbound with AMD) or make one call in, and read
 * back what the phone heard (as prompt texts) and pressed, and what was stored.
 */
import { before, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { startSim, type PhoneBehaviour, type PhoneCallRecord, type RunningSim } from '../../src/sim/index.ts';
import { AriTelephony } from '../../src/telephony/index.ts';
import { createCallHandler, type CallHandler } from '../../src/calls/index.ts';
import { AgentDeskService } from '../../src/agents/desk.ts';
import type { CallDeps, CallSummary } from '../../src/calls/deps.ts';
import { prompts, renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import type { PromptKey } from '../../src/tts/types.ts';
import { TextTts, makeDeps, seedCase, storedOutcome, contactHeardAt, claimStatus, type SeedOptions, type Seeded } from '../helpers/fake-call.ts';
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
  summary: CallSummary;
  phone: PhoneCallRecord;
  /** Texts of the prompts the phone heard, in order (failed playbacks left out). */
  heard: string[];
  stored: ReturnType<typeof storedOutcome>;
  seeded: Seeded | undefined;
  heardAt: string | null;
  claimStatus: string | undefined;
}

export interface FlowRig {
  db: Db;
  sim: RunningSim;
  tel: AriTelephony;
  tts: TextTts;
  deps: CallDeps & { finished: CallSummary[] };
  handler: CallHandler;
  desk: AgentDeskService | undefined;
  /** Seeds a debtor with this phone and dials it through bereik-outbound (AMD, then Stasis). */
  dialOut(number: string, behaviour: PhoneBehaviour, seed?: SeedOptions): Promise<CallOutcome>;
  /** Seeds the given cases, then the phone calls in from `from` (as the network sends it). */
  callIn(from: string, behaviour: PhoneBehaviour, seeds?: SeedOptions[]): Promise<CallOutcome>;
  close(): Promise<void>;
}

/** One rig for every test of a file: started before the first, closed after the last. Call the result for the rig. */
export function flowRigForFile(deps: Partial<CallDeps> = {}): () => FlowRig {
  let rig: FlowRig | undefined;
  before(async () => {
    rig = await startFlowRig(deps);
  });
  after(async () => {
    await rig?.close();
  });
  return () => rig!;
}

/** deps override the defaults; realDesk puts the agents module's AgentDeskService behind the flows. */
export async function startFlowRig(deps: Partial<CallDeps> = {}, opts: { realDesk?: boolean } = {}): Promise<FlowRig> {
  const clock = new ScaledClock(SCALE);
  const dir = mkdtempSync(join(tmpdir(), 'bereik-flow-'));
  const db = openDb(join(dir, 'bereik.sqlite'));
  const sim = await startSim({ clock, scenario: { endpoints: ['trunk'] } });
  const tel = new AriTelephony({ url: sim.url, user: sim.user, password: sim.password, app: sim.app, clock, log: silentLogger(), sweepIntervalMs: 0, simulated: true });
  await tel.start();
  const tts = new TextTts(join(dir, 'tts'));
  const desk = opts.realDesk
    ? new AgentDeskService({ store: createSqliteStore(db), clock, log: silentLogger(), telephony: tel, tts, prompts, ringTimeoutSec: 20, wrapUpSec: 30, maxWaitSec: 60 })
    : undefined;
  const d = makeDeps(db, clock, tts, desk ? { agents: desk, ...deps } : deps);
  const handler = createCallHandler(d);
  const inbound: Promise<CallSummary>[] = [];
  tel.on('inbound', (call) => inbound.push(handler.handle(call)));
  let n = 0;

  const outcome = (summary: CallSummary, phone: PhoneCallRecord, seeded: Seeded | undefined): CallOutcome => ({
    summary,
    phone,
    heard: phone.heard.filter((h) => h.end !== 'failed').map((h) => tts.textOf.get(h.media) ?? h.media),
    stored: storedOutcome(db, summary.callId),
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

  return {
    db,
    sim,
    tel,
    tts,
    deps: d,
    handler,
    desk,
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
      const summary = await handler.handle(call);
      return outcome(summary, await phoneDone(number), seeded);
    },
    async callIn(from, behaviour, seeds = []) {
      const seeded = seeds.map((s) => seedCase(db, s));
      const before = inbound.length;
      await sim.asterisk.callIn({ from, exten: '0201234567', behaviour: { ...behaviour, hangup: { idleMs: IDLE_HANGUP_MS, ...behaviour.hangup } } });
      while (inbound.length === before) await clock.delay(50);
      const summary = await inbound[before]!;
      return outcome(summary, await phoneDone(from), seeded[0]);
    },
    async close() {
      await handler.stopAll();
      await desk?.close();
      await tel.stop();
      await sim.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
