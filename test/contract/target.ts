/**
 * Which Asterisk the ARI contract suite talks to. By default the in-process simulator,
 * with a ScaledClock (scale 10) shared by simulator and client, so the suite takes
 * seconds. With BEREIK_ARI_URL, BEREIK_ARI_USER and BEREIK_ARI_PASSWORD set, a real
 * Asterisk at real time; the phones it dials are the PJSIP endpoints of DESIGN.md's
 * contract table, renamed if needed with BEREIK_ARI_ENDPOINTS (JSON, role → endpoint).
 * With BEREIK_ASTERISK_SIPP=1 as well (the CI stage, test/asterisk/run.sh), the target
 * plays those phones itself with SIPp on the ports of ../shared/asterisk's pjsip.conf,
 * calls in as a SIPp UAC through the trunk, and swaps in the special phones a scenario
 * needs (a phone that rings then answers 486, an answering machine).
 */
import { ScaledClock, SystemClock, type Clock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim, type RunningSim } from '../../src/sim/index.ts';
import type { PhoneBehaviour } from '../../src/sim/scenario.ts';
import { AriTelephony, type AriTelephonyOptions } from '../../src/telephony/index.ts';
import { contractPhones, PhoneBank, PORTS, startPhone } from '../asterisk/phones.ts';
import { greetingWav } from '../asterisk/greeting.ts';

export const ROLES = ['debtor', 'hangup', 'busy', 'noanswer', 'unreachable', 'e404', 'e480', 'e503', 'e603', 'agent'] as const;
export type Role = (typeof ROLES)[number];

const DEFAULT_ENDPOINTS: Record<Role, string> = {
  debtor: 'PJSIP/debtor',
  hangup: 'PJSIP/hangup',
  busy: 'PJSIP/busy',
  noanswer: 'PJSIP/noanswer',
  unreachable: 'PJSIP/unreachable',
  e404: 'PJSIP/e404',
  e480: 'PJSIP/e480',
  e503: 'PJSIP/e503',
  e603: 'PJSIP/e603',
  agent: 'PJSIP/agent1',
};

/** The caller of DESIGN.md's inbound scenario. */
export const INBOUND_CALLER = '+31612345678';
export const INBOUND_EXTEN = '0201234567';

/** Phones that only some scenarios need, beyond the contract table. */
export type SpecialPhone = 'ringThenBusy' | 'machine';

export interface ContractTarget {
  kind: 'sim' | 'asterisk';
  clock: Clock;
  endpoints: Record<Role, string>;
  /** Why inbound scenarios cannot run here, or undefined when they can. */
  inboundSkip: string | undefined;
  /** Makes the debtor call in (sim) or does nothing: on a real Asterisk someone calls. */
  callIn(): Promise<void>;
  /** A new client on this target (not started). */
  client(extra?: Partial<AriTelephonyOptions>): AriTelephony;
  /**
   * Cuts the events socket under a live call. The simulator drops it from the server
   * side (the client's reconnect delay decides how long it stays down); a real Asterisk
   * cannot be made to, so the client is stopped, waits downForMs, and is started.
   */
  dropEvents(tel: AriTelephony, downForMs?: number): Promise<void>;
  /** Why special phones cannot be played here, or undefined when they can. */
  phoneSkip: string | undefined;
  /**
   * Runs fn with a special phone on an endpoint: the simulator gives it an endpoint of its
   * own; SIPp takes over the port of the endpoint it resembles for the duration.
   */
  withPhone<T>(kind: SpecialPhone, fn: (endpoint: string) => Promise<T>): Promise<T>;
  /** Simulator only: what the sim knows about a phone, else undefined. */
  sim: RunningSim | undefined;
  close(): Promise<void>;
}

export async function openTarget(): Promise<ContractTarget> {
  const { BEREIK_ARI_URL: url, BEREIK_ARI_USER: user, BEREIK_ARI_PASSWORD: password } = process.env;
  const endpoints = { ...DEFAULT_ENDPOINTS, ...parseEndpoints(process.env.BEREIK_ARI_ENDPOINTS) };
  const base = { app: 'bereik', log: silentLogger(), sweepIntervalMs: 0, reconnectMinMs: 50, reconnectMaxMs: 500 };
  if (url && user && password !== undefined) {
    const clock = new SystemClock();
    const sipp = process.env.BEREIK_ASTERISK_SIPP === '1';
    const inbound = sipp || process.env.BEREIK_ARI_INBOUND === '1';
    const bank = sipp ? new PhoneBank(contractPhones()) : undefined;
    await bank?.start();
    return {
      kind: 'asterisk',
      clock,
      endpoints,
      sim: undefined,
      inboundSkip: inbound
        ? undefined
        : `inbound calls cannot be started over ARI; set BEREIK_ASTERISK_SIPP=1 (SIPp plays the caller) or BEREIK_ARI_INBOUND=1 and call bereik-inbound from ${INBOUND_CALLER} (press 2 about 3 s after the answer)`,
      callIn: async () => {
        if (!sipp) return;
        // One call from the carrier; the phone exits when it ends, the test waits on ARI.
        const caller = startPhone({ scenario: 'uac-inbound', port: PORTS.trunk + 1, calls: 1, keys: { caller: INBOUND_CALLER, dialled: INBOUND_EXTEN } });
        void caller.exited.then(() => caller.stop());
      },
      phoneSkip: bank ? undefined : 'special phones need SIPp on the endpoints\' ports: set BEREIK_ASTERISK_SIPP=1 (test/asterisk/run.sh does)',
      withPhone: async (kind, fn) => {
        if (!bank) throw new Error('withPhone needs BEREIK_ASTERISK_SIPP=1');
        if (kind === 'ringThenBusy') return bank.with({ scenario: 'uas-ring-then-busy', port: PORTS.busy }, () => fn(endpoints.busy));
        return bank.with({ scenario: 'uas-machine', port: PORTS.debtor, files: { 'greeting.wav': greetingWav() } }, () => fn(endpoints.debtor));
      },
      client: (extra = {}) => new AriTelephony({ ...base, url, user, password, clock, ...extra }),
      dropEvents: async (tel, downForMs = 0) => {
        await tel.stop();
        if (downForMs > 0) await clock.delay(downForMs);
        await tel.start();
      },
      close: async () => {
        await bank?.stop();
      },
    };
  }
  const clock = new ScaledClock(10);
  const sim = await startSim({ port: 0, clock });
  return {
    kind: 'sim',
    clock,
    endpoints,
    sim,
    inboundSkip: undefined,
    phoneSkip: undefined,
    withPhone: async (kind, fn) => {
      const endpoint = kind === 'ringThenBusy' ? 'PJSIP/busy-after-ringing' : 'PJSIP/machine';
      sim.asterisk.setBehaviour(endpoint, SIM_PHONES[kind]);
      return fn(endpoint);
    },
    callIn: async () => {
      await sim.asterisk.callIn({ from: INBOUND_CALLER, exten: INBOUND_EXTEN });
    },
    client: (extra = {}) =>
      new AriTelephony({ ...base, url: sim.url, user: sim.user, password: sim.password, app: sim.app, clock, simulated: true, ...extra }),
    dropEvents: async () => {
      sim.asterisk.dropEventSockets();
    },
    close: () => sim.close(),
  };
}

/** The simulator's version of each special phone, as the SIPp scenario plays it. */
const SIM_PHONES: Record<SpecialPhone, PhoneBehaviour> = {
  ringThenBusy: { outcome: 'busy', ringMs: 3000 },
  machine: { outcome: 'machine', ringMs: 1000 },
};

function parseEndpoints(raw: string | undefined): Partial<Record<Role, string>> {
  if (!raw) return {};
  const v: unknown = JSON.parse(raw);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('BEREIK_ARI_ENDPOINTS must be a JSON object from role to endpoint');
  const out: Partial<Record<Role, string>> = {};
  for (const [k, e] of Object.entries(v)) {
    if (!(ROLES as readonly string[]).includes(k)) throw new Error(`BEREIK_ARI_ENDPOINTS: unknown role "${k}" (roles: ${ROLES.join(', ')})`);
    if (typeof e !== 'string' || !e) throw new Error(`BEREIK_ARI_ENDPOINTS: endpoint for "${k}" must be a non-empty string`);
    out[k as Role] = e;
  }
  return out;
}
