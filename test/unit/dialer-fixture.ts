/**
 * Fixtures for the dialer tests: a campaign with debtors, phones, claims and contacts in
 * a fresh database, and a fake Telephony whose calls (the suite's one FakeCall,
 * test/helpers/fake-call.ts) the test answers and ends by hand.
 */
import { EventEmitter } from 'node:events';
import { DEFAULT_SETTINGS, type CampaignSettings } from '../../src/campaigns/settings.ts';
import type { CallResultCode, CallSummary } from '../../src/calls/deps.ts';
import { Dialer } from '../../src/dialer/dialer.ts';
import type { OutboundCallContext, Pacer } from '../../src/dialer/runtime/deps.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger, type Logger } from '../../src/lib/log.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { DialerStore } from '../../src/store/dialer.ts';
import type { Bridge, Call, ChannelInfo, OriginateOptions, Telephony, TelephonyEvents, TelephonyHealth } from '../../src/telephony/types.ts';
import { FakeCall } from '../helpers/fake-call.ts';
import { PreviewService } from '../../src/dialer/runtime/preview.ts';
import type { Agent } from '../../src/agents/types.ts';

export { FakeCall };

export interface DebtorSpec {
  phones: string[];
  timeZone?: string;
  /** Phone statuses, same order as phones. */
  statuses?: string[];
  /** Reuse this debtor (a second claim of the same person) instead of creating one. */
  debtorId?: number;
}

export function seedCampaign(
  db: Db,
  opts: { debtors: DebtorSpec[]; settings?: Partial<CampaignSettings>; mode?: string; state?: string; at?: string; name?: string },
): { campaignId: number; contactIds: number[]; debtorIds: number[] } {
  const at = opts.at ?? '2026-11-23T08:00:00.000Z';
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const campaignId = Number(
    db
      .prepare(`INSERT INTO campaigns (name, mode, state, caller_id, settings, created_at, updated_at) VALUES (?, ?, ?, '+31201234567', ?, ?, ?)`)
      .run(opts.name ?? 'test', opts.mode ?? 'agentless', opts.state ?? 'running', JSON.stringify(settings), at, at).lastInsertRowid,
  );
  const contactIds: number[] = [];
  const debtorIds: number[] = [];
  opts.debtors.forEach((d, i) => {
    const ref = `${campaignId}-${i}`;
    const debtorId =
      d.debtorId ??
      Number(
        db.prepare(`INSERT INTO debtors (external_ref, name, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(ref, `Debtor ${i}`, d.timeZone ?? 'Europe/Amsterdam', at, at)
          .lastInsertRowid,
      );
    debtorIds.push(debtorId);
    if (d.debtorId === undefined) d.phones.forEach((e164, pos) => {
      db.prepare(`INSERT INTO phones (debtor_id, e164, position, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(debtorId, e164, pos, d.statuses?.[pos] ?? 'unknown', at, at);
    });
    const claimId = Number(
      db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, pay_url, created_at, updated_at) VALUES (?, 'Acme', ?, 12345, '2026-10-31', 'https://pay.example/x', ?, ?)`).run(debtorId, `F-${ref}`, at, at)
        .lastInsertRowid,
    );
    contactIds.push(
      Number(
        db.prepare(`INSERT INTO contacts (campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(campaignId, claimId, debtorId, at, at).lastInsertRowid,
      ),
    );
  });
  return { campaignId, contactIds, debtorIds };
}

export function freshDb(): Db {
  return openDb(':memory:');
}

export function contact(db: Db, id: number): { status: string; attempts: number; next_attempt_at: string | null; last_outcome: string | null; result: string | null } {
  return db.prepare(`SELECT status, attempts, next_attempt_at, last_outcome, result FROM contacts WHERE id = ?`).get(id) as never;
}

export function callsOf(db: Db, contactId: number): { id: string; state: string; disposition: string | null; result: string | null; to_number: string }[] {
  return db.prepare(`SELECT id, state, disposition, result, to_number FROM calls WHERE contact_id = ? ORDER BY created_at, rowid`).all(contactId) as never;
}

export function events(db: Db, kind: string): { contact_id: number; data: string }[] {
  return db.prepare(`SELECT contact_id, data FROM events WHERE kind = ? ORDER BY id`).all(kind) as never;
}

export function setCampaignState(db: Db, id: number, state: string): void {
  db.prepare(`UPDATE campaigns SET state = ? WHERE id = ?`).run(state, id);
}

export function campaignState(db: Db, id: number): string {
  return (db.prepare(`SELECT state FROM campaigns WHERE id = ?`).get(id) as { state: string }).state;
}

export function addDnc(db: Db, e164: string): void {
  db.prepare(`INSERT INTO dnc (e164, reason, added_at) VALUES (?, 'asked', '2026-11-01T00:00:00Z')`).run(e164);
}

/** Records originates; the test decides what each call does. */
export class FakeTelephony extends EventEmitter<TelephonyEvents> implements Telephony {
  readonly simulated = true;
  readonly calls: FakeCall[] = [];
  /** Numbers (E.164) whose originate Asterisk refuses. */
  readonly refuse = new Set<string>();
  /** Channel ids Asterisk still has (for listChannels/attach after a "restart"). */
  readonly alive = new Map<string, FakeCall>();
  /** What health() reports (the dialer holds while not connected). */
  state: TelephonyHealth['state'] = 'connected';

  health(): TelephonyHealth {
    return { state: this.state, since: '', simulated: true, url: 'fake', reconnects: 0 };
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async originate(opts: OriginateOptions): Promise<Call> {
    const call = new FakeCall({ id: opts.channelId ?? `ch-${this.calls.length}`, originate: opts });
    if (this.refuse.has(call.number)) throw new Error('ARI 500 Allocation failed');
    this.calls.push(call);
    this.alive.set(call.id, call);
    void call.whenEnded().then(() => this.alive.delete(call.id));
    return call;
  }
  async createBridge(): Promise<Bridge> {
    throw new Error('not in the dialer tests');
  }
  async snoop(): Promise<Call> {
    throw new Error('not in the dialer tests');
  }
  async storedRecording(): Promise<Buffer | undefined> {
    return undefined;
  }
  async deleteStoredRecording(): Promise<void> {}
  /** A fresh client knows no handles: the dialer must attach() after a restart. */
  getCall(): Call | undefined {
    return undefined;
  }
  async listChannels(): Promise<ChannelInfo[]> {
    return [...this.alive.values()].map((c) => ({ id: c.id, state: c.state, callerNumber: '', exten: '', createdAt: '' }));
  }
  async attach(id: string): Promise<Call | undefined> {
    return this.alive.get(id);
  }
  readonly pjsip = { put: async () => {}, delete: async () => true };
  async rtpStatistics(): Promise<undefined> {
    return undefined;
  }
  /** Calls not ended yet. */
  open(): FakeCall[] {
    return this.calls.filter((c) => !c.ended);
  }
}

export interface Rig {
  db: Db;
  clock: FakeClock;
  tel: FakeTelephony;
  store: DialerStore;
  dialer: Dialer;
  /** Calls handed to the flow, in order. */
  flows: { call: Call; ctx: OutboundCallContext }[];
}

export const DIALER_CONFIG = { tickMs: 1000, trunkCps: 10, endpointTemplate: 'PJSIP/{number}@trunk', outboundContext: 'bereik-outbound' };

/** A dialer on a FakeClock (Monday 23 Nov 2026, 10:00 in Amsterdam) and a fake Telephony. */
export function rig(opts: { db?: Db; clock?: FakeClock; tel?: FakeTelephony; trunkCps?: number; pacer?: Pacer; log?: Logger } = {}): Rig {
  const db = opts.db ?? freshDb();
  const clock = opts.clock ?? new FakeClock('2026-11-23T09:00:00Z');
  const tel = opts.tel ?? new FakeTelephony();
  const store = new DialerStore(db);
  const flows: Rig['flows'] = [];
  const dialer = new Dialer({
    store,
    telephony: tel,
    clock,
    log: opts.log ?? silentLogger(),
    ...(opts.pacer ? { pacer: opts.pacer } : {}),
    config: { ...DIALER_CONFIG, trunkCps: opts.trunkCps ?? DIALER_CONFIG.trunkCps },
    startFlow: (call, ctx) => {
      flows.push({ call, ctx });
    },
  });
  return { db, clock, tel, store, dialer, flows };
}

/** What the flows module reports for an answered outbound call. */
export function summary(callId: string, result: CallResultCode, extra: Partial<CallSummary> = {}): CallSummary {
  return {
    callId,
    direction: 'outbound',
    campaignId: null,
    contactId: null,
    debtorId: null,
    claimId: null,
    disposition: 'answered',
    result,
    amdStatus: 'HUMAN',
    identityConfirmed: false,
    messageHeard: false,
    dtmfPath: '',
    answeredAt: null,
    endedAt: '',
    hangupCause: 16,
    hungUpBy: 'debtor',
    ...extra,
  };
}

/** A preview service at `now` over db, with one available agent (id 1) whose every state change is allowed. */
export function previewWithOneAgent(db: Db, now: number, at: string): PreviewService {
  const agent: Agent = { id: 1, name: 'A', endpoint: 'PJSIP/agent1', skills: [], state: 'available', stateSince: at, createdAt: at, updatedAt: at };
  return new PreviewService({
    store: new DialerStore(db), clock: new FakeClock(now), log: silentLogger(),
    calls: { update: () => {} },
    registry: { get: () => agent, apply: () => agent, tryApply: () => true },
    place: async () => true,
  });
}
