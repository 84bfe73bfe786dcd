/**
 * createSmsChannel: the `sms` config section (src/config/schema.ts) → a running SmsChannel.
 * Defaults for what the section leaves out live here, in one place.
 */
import { readFileSync } from 'node:fs';
import type { Clock } from '../../lib/clock.ts';
import { BereikError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/log.ts';
import type { Config } from '../../config/schema.ts';
import { SmppChannel, type SmppChannelOptions } from './smpp-channel.ts';

export type SmsConfig = NonNullable<Config['sms']>;
export type SmsBindConfig = SmsConfig['binds'][number];

export type SmsTuning = { [K in keyof typeof SMS_DEFAULTS]: number };

export const SMS_DEFAULTS = {
  windowSize: 10,
  maxPerSecond: 50,
  enquireLinkSec: 30,
  enquireLinkTimeoutMs: 10_000,
  responseTimeoutMs: 30_000,
  queueTimeoutMs: 30_000,
  throttleBackoffMs: 1_000,
  reconnectMinMs: 500,
  reconnectMaxMs: 30_000,
  maxParts: 10,
  maxQueued: 10_000,
  unknownReceiptHoldMs: 5_000,
  multipartReceiptWaitMs: 60_000,
  receiptTrackMs: 72 * 3_600_000,
  inboundPartsWaitMs: 10 * 60_000,
  laterPartTries: 5,
} as const;

export interface SmsChannelDeps {
  clock: Clock;
  log: Logger;
  random?: () => number;
  /** Where BEREIK_SMS_PASSWORD is read when a bind has neither password nor passwordFile. */
  env?: NodeJS.ProcessEnv;
  /** Test and benchmark knobs beyond the config file. */
  tuning?: Partial<SmsTuning>;
}

export function createSmsChannel(config: SmsConfig, deps: SmsChannelDeps): SmppChannel {
  if (config.binds.length === 0) {
    throw new BereikError('CONFIG_INVALID', 'config: sms.binds is empty; start the simulated SMSC (startSimSmsc) and bind to it instead');
  }
  const d: SmsTuning = { ...SMS_DEFAULTS, ...deps.tuning };
  const names = new Set<string>();
  const binds: SmppChannelOptions['binds'] = config.binds.map((b, i) => {
    const name = b.name ?? `bind${i + 1}`;
    if (names.has(name)) throw new BereikError('CONFIG_INVALID', `config: sms.binds.${i}.name ${JSON.stringify(name)} is used twice`);
    names.add(name);
    return {
      name,
      host: b.host,
      port: b.port,
      systemId: b.systemId,
      password: bindPassword(b, i, deps.env ?? process.env),
      tls: b.tls ? (b.tlsCaFile ? { ca: readConfigFile(b.tlsCaFile, `sms.binds.${i}.tlsCaFile`) } : true) : false,
      windowSize: b.windowSize ?? d.windowSize,
      maxPerSecond: b.maxPerSecond ?? d.maxPerSecond,
      enquireLinkSec: b.enquireLinkSec ?? d.enquireLinkSec,
      enquireLinkTimeoutMs: d.enquireLinkTimeoutMs,
      responseTimeoutMs: config.responseTimeoutMs ?? d.responseTimeoutMs,
      queueTimeoutMs: d.queueTimeoutMs,
      throttleBackoffMs: d.throttleBackoffMs,
      reconnectMinMs: config.reconnectMinMs ?? d.reconnectMinMs,
      reconnectMaxMs: config.reconnectMaxMs ?? d.reconnectMaxMs,
    };
  });
  return new SmppChannel({
    binds,
    clock: deps.clock,
    log: deps.log,
    ...(deps.random ? { random: deps.random } : {}),
    maxParts: config.maxParts ?? d.maxParts,
    maxQueued: d.maxQueued,
    unknownReceiptHoldMs: d.unknownReceiptHoldMs,
    multipartReceiptWaitMs: d.multipartReceiptWaitMs,
    receiptTrackMs: d.receiptTrackMs,
    inboundPartsWaitMs: d.inboundPartsWaitMs,
    laterPartTries: d.laterPartTries,
  });
}

function bindPassword(b: SmsBindConfig, i: number, env: NodeJS.ProcessEnv): string {
  if (b.password !== undefined && b.passwordFile !== undefined) {
    throw new BereikError('CONFIG_INVALID', `config: sms.binds.${i} has both password and passwordFile; keep one`);
  }
  if (b.passwordFile !== undefined) return readConfigFile(b.passwordFile, `sms.binds.${i}.passwordFile`).trim();
  return b.password ?? env.BEREIK_SMS_PASSWORD ?? '';
}

function readConfigFile(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new BereikError('CONFIG_INVALID', `config: ${key} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export { SmppChannel };
export { measure, type SmsMeasure } from './gsm.ts';
