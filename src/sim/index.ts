/**
 * The simulated Asterisk: ARI over real HTTP + WebSocket on loopback, with virtual
 * phones behind it. A separate component: it shares no code with src/telephony, so the
 * production ARI client is what the tests and benchmarks exercise.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SystemClock, type Clock } from '../lib/clock.ts';
import { silentLogger, type Logger } from '../lib/log.ts';
import { SimulatedAsterisk } from './asterisk.ts';
import { loadScenario, parseScenario, type Scenario } from './scenario.ts';
import { createSimServer, type SessionStats } from './server.ts';

export { SimulatedAsterisk } from './asterisk.ts';
export type { CallInOptions, PhoneRecord } from './asterisk.ts';
export type { HeardMedia, PhoneCallRecord, PressedKey } from './phone.ts';
export type { PhoneBehaviour, Population, Scenario, KeyAction, HangupAction, AmdVerdict } from './scenario.ts';
export { loadScenario, parseScenario } from './scenario.ts';

/** The scenario with the phones of DESIGN.md's contract table. */
export const DEFAULT_SCENARIO_FILE = fileURLToPath(new URL('../../config/sim-scenario.json', import.meta.url));

export interface StartSimOptions {
  /** 0 = a random free port. */
  port?: number;
  host?: string;
  clock?: Clock;
  /** A scenario object or the path of a scenario file; default config/sim-scenario.json. */
  scenario?: Scenario | string;
  user?: string;
  password?: string;
  app?: string;
  log?: Logger;
  /** Connections served at once, like Asterisk's http.conf sessionlimit (default 100). */
  sessionLimit?: number;
}

export interface RunningSim {
  /** http://127.0.0.1:PORT; ARI is under /ari. */
  url: string;
  user: string;
  password: string;
  app: string;
  asterisk: SimulatedAsterisk;
  /** HTTP connections (sessions) open now, at the peak, and closed over the limit. */
  sessions: Readonly<SessionStats>;
  close(): Promise<void>;
}

export async function startSim(opts: StartSimOptions = {}): Promise<RunningSim> {
  const scenario =
    opts.scenario === undefined
      ? loadScenario(DEFAULT_SCENARIO_FILE)
      : typeof opts.scenario === 'string'
        ? loadScenario(opts.scenario)
        : parseScenario(opts.scenario, 'scenario object');
  const user = opts.user ?? 'bereik';
  const password = opts.password ?? 'bereik';
  const app = opts.app ?? 'bereik';
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? silentLogger();
  const sessions: SessionStats = { open: 0, peak: 0, accepted: 0, refused: 0 };
  const asterisk = new SimulatedAsterisk({ clock: opts.clock ?? new SystemClock(), scenario, app, log });
  const server = createSimServer(asterisk, { user, password, sessionLimit: opts.sessionLimit, sessions });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url, app }, 'simulated Asterisk listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    user,
    password,
    app,
    asterisk,
    sessions,
    close() {
      closing ??= new Promise<void>((resolve) => {
        asterisk.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
