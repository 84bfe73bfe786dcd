/** A channel bound to a simulated SMSC over real TCP on loopback, with what it reported. */
import { SystemClock } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { createSmsChannel, type SmsChannelDeps, type SmsConfig } from '../../../src/messaging/sms/index.ts';
import type { SmppChannel } from '../../../src/messaging/sms/smpp-channel.ts';
import type { DeliveryReceipt, InboundMessage, ChannelHealth, OutgoingSms } from '../../../src/messaging/types.ts';
import { startSimSmsc, type SimSmsc, type SimSmscOptions } from '../../../src/sim/smsc.ts';

export interface Pair {
  sim: SimSmsc;
  channel: SmppChannel;
  receipts: DeliveryReceipt[];
  inbound: InboundMessage[];
  healths: ChannelHealth[];
  close(): Promise<void>;
}

export async function startPair(opts: { sim?: SimSmscOptions; sms?: Partial<SmsConfig>; bind?: Partial<SmsConfig['binds'][number]>; binds?: number; tuning?: SmsChannelDeps['tuning']; start?: boolean } = {}): Promise<Pair> {
  const sim = await startSimSmsc({ receiptDelayMs: 20, ...opts.sim });
  const binds = Array.from({ length: opts.binds ?? 1 }, (_, i) => ({ name: `b${i + 1}`, host: '127.0.0.1', port: sim.port, systemId: 'bereik', password: 'secret', ...opts.bind }));
  const channel = createSmsChannel(
    { binds, reconnectMinMs: 20, reconnectMaxMs: 200, responseTimeoutMs: 5000, ...opts.sms },
    { clock: new SystemClock(), log: silentLogger(), random: () => 0, tuning: { unknownReceiptHoldMs: 2000, ...opts.tuning } },
  );
  const receipts: DeliveryReceipt[] = [];
  const inbound: InboundMessage[] = [];
  const healths: ChannelHealth[] = [];
  channel.on('receipt', (r) => receipts.push(r));
  channel.on('inbound', (m) => inbound.push(m));
  channel.on('health', (h) => healths.push(h));
  if (opts.start !== false) await channel.start();
  return {
    sim, channel, receipts, inbound, healths,
    async close() {
      await channel.stop();
      await sim.close();
    },
  };
}

export function sms(to: string, body: string, messageId = 1, from: OutgoingSms['from'] = { kind: 'number', value: '+3197010000000' }): OutgoingSms {
  return { messageId, to, from, body };
}

/** Polls until `check` returns true (real sockets: no fake time here). */
export async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
