/**
 * The dialer end to end: a simulated Asterisk on a ScaledClock, the real ARI client, the
 * real call flows (with the test TTS of test/helpers) and the dialer on one database.
 * boot()/halt() start and stop the dialer with its ARI client, as a process would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CampaignSettings } from '../../src/campaigns/settings.ts';
import { createCallHandler } from '../../src/calls/index.ts';
import { Dialer } from '../../src/dialer/dialer.ts';
import type { RecoveryReport } from '../../src/dialer/runtime/recover.ts';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim, type RunningSim, type Scenario } from '../../src/sim/index.ts';
import type { Db } from '../../src/store/db.ts';
import { DialerStore } from '../../src/store/dialer.ts';
import { AriTelephony } from '../../src/telephony/index.ts';
import { makeDeps, TextTts } from '../helpers/fake-call.ts';
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

export async function dialerRig(o: { scale: number; origin: number; scenario: Scenario; debtors: DebtorSpec[]; settings: Partial<CampaignSettings> }): Promise<E2eRig> {
  const clock = new ScaledClock(o.scale, o.origin);
  const sim = await startSim({ clock, scenario: o.scenario });
  const dir = mkdtempSync(join(tmpdir(), 'bereik-dialer-e2e-'));
  const db = freshDb();
  const store = new DialerStore(db);
  const log = silentLogger();
  const { campaignId, contactIds } = seedCampaign(db, { debtors: o.debtors, settings: o.settings });
  const tts = new TextTts(dir);
  let current: { tel: AriTelephony; dialer: Dialer; kill(): void } | null = null;

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
      const tel = new AriTelephony({ url: sim.url, user: sim.user, password: sim.password, app: sim.app, clock, log, simulated: true });
      let dialer: Dialer | null = null;
      // A stopped "process" writes nothing more: its call sessions live on in this test's
      // memory, but a real restart would have ended them with the process.
      let alive = true;
      const deps = makeDeps(db, clock, tts, { onCallFinished: (s) => alive && dialer?.onCallFinished(s) });
      const calls = deps.calls;
      deps.calls = { create: (row) => calls.create(row), get: (id) => calls.get(id), update: (id, patch) => alive && calls.update(id, patch) };
      const handler = createCallHandler(deps);
      dialer = new Dialer({ store, telephony: tel, clock, log, config: DIALER_CONFIG, startFlow: (call) => handler.handle(call) });
      await tel.start();
      const report = await dialer.start();
      current = { tel, dialer, kill: () => (alive = false) };
      return report;
    },
    async halt() {
      const c = current;
      current = null;
      c?.kill();
      await c?.dialer.stop({ drain: false });
      await c?.tel.stop();
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
