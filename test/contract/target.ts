/**
 * Which Asterisk the ARI contract suite talks to. By default the in-process simulator,
 * with a ScaledClock (scale 10) shared by simulator and client, so the suite takes
 * seconds. With BEREIK_ARI_URL, BEREIK_ARI_USER and BEREIK_ARI_PASSWORD set, a real
 * Asterisk at real time; the phones it dials are the PJSIP endpoints of DESIGN.md's
 * contract table, renamed if needed with BEREIK_ARI_ENDPOINTS (JSON, role → endpoint).
 */
import { ScaledClock, SystemClock, type Clock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim, type RunningSim } from '../../src/sim/index.ts';
import { AriTelephony, type AriTelephonyOptions } from '../../src/telephony/index.ts';

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
  /** Real Asterisk only: what the sim knows about a phone, else undefined. */
  sim: RunningSim | undefined;
  close(): Promise<void>;
}

export async function openTarget(): Promise<ContractTarget> {
  const { BEREIK_ARI_URL: url, BEREIK_ARI_USER: user, BEREIK_ARI_PASSWORD: password } = process.env;
  const endpoints = { ...DEFAULT_ENDPOINTS, ...parseEndpoints(process.env.BEREIK_ARI_ENDPOINTS) };
  const base = { app: 'bereik', log: silentLogger(), sweepIntervalMs: 0, reconnectMinMs: 50, reconnectMaxMs: 500 };
  if (url && user && password !== undefined) {
    const clock = new SystemClock();
    const inbound = process.env.BEREIK_ARI_INBOUND === '1';
    return {
      kind: 'asterisk',
      clock,
      endpoints,
      sim: undefined,
      inboundSkip: inbound
        ? undefined
        : `inbound calls cannot be started over ARI; set BEREIK_ARI_INBOUND=1 and call bereik-inbound from ${INBOUND_CALLER} (press 2 about 3 s after the answer)`,
      callIn: async () => {},
      client: (extra = {}) => new AriTelephony({ ...base, url, user, password, clock, ...extra }),
      dropEvents: async (tel, downForMs = 0) => {
        await tel.stop();
        if (downForMs > 0) await clock.delay(downForMs);
        await tel.start();
      },
      close: async () => {},
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
