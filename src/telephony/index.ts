/**
 * The telephony seam's front door: build the ARI client from the typed config.
 * Everything else in Bereik imports types from types.ts and the factory from here.
 */
import type { Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { Config } from '../config/schema.ts';
import { AriTelephony } from './ari-telephony.ts';

export { AriTelephony, type AriTelephonyOptions } from './ari-telephony.ts';
export type * from './types.ts';

export interface CreateTelephonyOptions {
  config: Pick<Config, 'ari'>;
  clock: Clock;
  log: Logger;
  /**
   * Where to connect instead of config.ari (the built-in simulator: its url, user and
   * password). Required when config.ari.url is empty.
   */
  target?: { url: string; user: string; password: string; simulated?: boolean };
}

export function createTelephony({ config, clock, log, target }: CreateTelephonyOptions): AriTelephony {
  const ari = config.ari;
  const where = target ?? { url: ari.url, user: ari.user, password: ari.password, simulated: false };
  if (!where.url) {
    throw new BereikError('CONFIG_INVALID', 'ari.url is empty: set BEREIK_ARI_URL to a real Asterisk, or start the simulator and pass it as target');
  }
  return new AriTelephony({
    url: where.url,
    user: where.user,
    password: where.password,
    app: ari.app,
    clock,
    log: log.child({ mod: 'telephony' }),
    simulated: where.simulated ?? false,
    requestTimeoutMs: ari.requestTimeoutMs,
    maxConnections: ari.maxConnections,
    reconnectMinMs: ari.reconnectMinMs,
    reconnectMaxMs: ari.reconnectMaxMs,
    sweepIntervalMs: ari.sweepIntervalMs,
  });
}
