/**
 * The dialer end to end: the engine as `bereik serve` builds it (src/engine.ts: the real
 * ARI client, call flows, dialer, pacer and desk on one database) against a simulated
 * Asterisk on a ScaledClock, with the test TTS of test/helpers. boot()/halt() start an
 * engine and let it die as a process would: a halted engine writes nothing more, and the
 * next boot() recovers what it left.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CampaignSettings } from '../../src/campaigns/settings.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createEngine, type Engine } from '../../src/engine.ts';
import type { RecoveryReport } from '../../src/dialer/runtime/recover.ts';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim, type RunningSim, type Scenario } from '../../src/sim/index.ts';
import type { Db } from '../../src/store/db.ts';
import { DialerStore } from '../../src/store/dialer.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { TextTts } from '../helpers/fake-call.ts';
import { DIALER_CONFIG, freshDb, seedCampaign, type DebtorSpec } from '../unit/dialer-fixture.ts';

export interface CallRowView {
  id: string;
  contact_id: number;
  debtor_id: number;
  state: string;
  disposition: string | null;
  result: string | null;
  created_at: string;
  ended_at: string | null;
}

export interface E2eRig {
  clock: ScaledClock;
  sim: RunningSim;
  db: Db;
  store: DialerStore;
  campaignId: number;
  contactIds: number[];
  boot(): Promise<RecoveryReport>;
  halt(): Promise<void>;
  /** Waits (real time, bounded) for a condition; the error shows where the campaign stands. */
  waitFor(what: string, cond: () => boolean, realMs: number): Promise<void>;
  rows(): CallRowView[];
  close(): Promise<void>;
}

/**
 * The database as one process sees it: once that process is dead (`alive()` false), its
 * writes go nowhere, as they would after a crash; reads still work (nobody asks).
 */
function processView(db: Db, alive: () => boolean): Db {
  const statement = (st: ReturnType<Db['prepare']>) =>
    new Proxy(st, {
      get(target, prop) {
        if (prop === 'run') return (...args: unknown[]) => (alive() ? (target.run as (...a: unknown[]) => unknown).apply(target, args) : { changes: 0, lastInsertRowid: 0 });
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => statement(target.prepare(sql));
      if (prop === 'exec') return (sql: string) => (alive() ? target.exec(sql) : target);
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

export async function dialerRig(o: { scale: number; origin: number; scenario: Scenario; debtors: DebtorSpec[]; settings: Partial<CampaignSettings> }): Promise<E2eRig> {
  const clock = new ScaledClock(o.scale, o.origin);
  const sim = await startSim({ clock, scenario: o.scenario });
  const dir = mkdtempSync(join(tmpdir(), 'bereik-dialer-e2e-'));
  const db = freshDb();
  const store = new DialerStore(db);
  const log = silentLogger();
  const config = loadConfig({}, { log: { level: 'silent' }, db: { path: ':memory:' }, dialer: DIALER_CONFIG, inbound: { unknownCaller: 'message' } });
  const { campaignId, contactIds } = seedCampaign(db, { debtors: o.debtors, settings: o.settings });
  const tts = new TextTts(dir);
  let current: { engine: Engine; kill(): void } | null = null;

  const dump = () =>
    JSON.stringify({
      contacts: db.prepare(`SELECT status, next_attempt_at, attempts, COUNT(*) AS n FROM contacts GROUP BY 1, 2, 3`).all(),
      calls: db.prepare(`SELECT state, disposition, result, COUNT(*) AS n FROM calls GROUP BY 1, 2, 3`).all(),
    });
  const rig: E2eRig = {
    clock,
    sim,
    db,
    store,
    campaignId,
    contactIds,
    async boot() {
      // A stopped "process" writes nothing more: its call sessions live on in this test's
      // memory, but a real restart would have ended them with the process.
      let alive = true;
      const engine = await createEngine({ config, store: createSqliteStore(processView(db, () => alive)), clock, log, tts, sim });
      current = { engine, kill: () => (alive = false) };
      await engine.start();
      await rig.waitFor('the dialer to start', () => engine.dialer.recovered !== undefined, 30_000);
      return engine.dialer.recovered!;
    },
    async halt() {
      const c = current;
      current = null;
      if (!c) return;
      // Dies as a crash would, between two ticks: dialling stops without draining (a tick under
      // way finishes, so no call is placed without its row), then nothing more is written and
      // the ARI connection drops.
      await c.engine.dialer.stop({ drain: false });
      c.kill();
      await c.engine.telephony.stop();
    },
    async waitFor(what, cond, realMs) {
      const until = Date.now() + realMs;
      while (!cond()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what} at ${new Date(clock.now()).toISOString()}: ${dump()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    rows() {
      return db
        .prepare(`SELECT id, contact_id, debtor_id, state, disposition, result, created_at, ended_at FROM calls WHERE campaign_id = ? ORDER BY created_at, rowid`)
        .all(campaignId) as CallRowView[];
    },
    async close() {
      await rig.halt().catch(() => undefined);
      await sim.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
