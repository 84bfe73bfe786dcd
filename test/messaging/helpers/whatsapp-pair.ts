/**
 * A WhatsApp channel talking to the simulated Graph endpoint over real HTTP on loopback, and
 * a small webhook receiver standing where Bereik's route stands (it hands the raw body and
 * the signature header to the channel, as src/http/routes/whatsapp.ts does). The clock is the
 * system's, shifted by what a test asks (the 24-hour window).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SystemClock, type Clock, type TimerHandle } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { isBereikError } from '../../../src/lib/errors.ts';
import { createWhatsAppChannel, type WhatsAppTarget } from '../../../src/messaging/whatsapp/cloud-channel.ts';
import type { DeliveryReceipt, InboundMessage, WhatsAppChannel } from '../../../src/messaging/types.ts';
import { startSimWhatsAppGraph, type SimWhatsAppGraph } from '../../../src/sim/whatsapp-graph.ts';

/** The system's time plus an offset a test can move (timers stay real). */
export class ShiftedClock implements Clock {
  readonly scale = 1;
  offset = 0;
  private readonly base = new SystemClock();
  now(): number {
    return this.base.now() + this.offset;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.base.setTimeout(fn, ms);
  }
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    return this.base.delay(ms, signal);
  }
}

export interface WhatsAppPair {
  sim: SimWhatsAppGraph;
  channel: WhatsAppChannel;
  clock: ShiftedClock;
  receipts: DeliveryReceipt[];
  inbound: InboundMessage[];
  close(): Promise<void>;
}

export const APP_SECRET = 'app-secret-for-tests';

export async function startWhatsAppPair(o: { target?: Partial<WhatsAppTarget>; lastInboundAt?: (e164: string) => number | undefined } = {}): Promise<WhatsAppPair> {
  const clock = new ShiftedClock();
  const sim = await startSimWhatsAppGraph({ clock, accessToken: 'token-for-tests', appSecret: APP_SECRET, phoneNumberId: '123456789', statusDelayMs: 5 });
  const channel = createWhatsAppChannel(
    { graphUrl: sim.url, version: 'v21.0', phoneNumberId: '123456789', accessToken: 'token-for-tests', appSecret: APP_SECRET, verifyToken: 'vt', requestTimeoutMs: 5000, simulated: true, ...o.target },
    { clock, log: silentLogger(), stopGraceMs: 1000, ...(o.lastInboundAt ? { lastInboundAt: o.lastInboundAt } : {}) },
  );
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const out = channel.acceptWebhook(Buffer.concat(chunks), req.headers['x-hub-signature-256'] as string | undefined);
        res.writeHead(200).end(JSON.stringify(out));
      } catch (err) {
        res.writeHead(isBereikError(err) ? (err.code === 'WA_WEBHOOK_MALFORMED' ? 400 : 401) : 500).end();
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  sim.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/whatsapp`);
  const receipts: DeliveryReceipt[] = [];
  const inbound: InboundMessage[] = [];
  channel.on('receipt', (r) => receipts.push(r));
  channel.on('inbound', (m) => inbound.push(m));
  await channel.start();
  return {
    sim, channel, clock, receipts, inbound,
    async close() {
      await channel.stop();
      await sim.close();
      receiver.closeAllConnections();
      await new Promise<void>((r) => receiver.close(() => r()));
    },
  };
}

export async function until<T>(what: string, f: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
