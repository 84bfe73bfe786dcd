/** A test mail server and an e-mail channel pointed at it, as the app would wire them. */
import { Writable } from 'node:stream';
import { SystemClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/log.ts';
import type { EmailConfig } from '../../src/config/schema.ts';
import { createEmailChannel } from '../../src/messaging/email/smtp-channel.ts';
import type { ChannelHealth, EmailChannel, OutgoingEmail } from '../../src/messaging/types.ts';
import { startSimMailServer, type RunningMailServer, type SimMailServerOptions } from '../../src/sim/mail-server.ts';

export const EMAIL_CONFIG: EmailConfig = {
  host: '',
  port: 587,
  security: 'starttls',
  user: '',
  password: '',
  passwordFile: '',
  from: '"Incasso Noord" <noreply@incasso-noord.example>',
  bounceAddress: 'bounces@incasso-noord.example',
  poolSize: 2,
  maxMessagesPerConnection: 100,
  ratePerSecond: 0,
  connectionTimeoutMs: 2000,
  socketTimeoutMs: 5000,
};

export interface EmailRig {
  server: RunningMailServer;
  channel: EmailChannel;
  healthEvents: ChannelHealth[];
  /** Every log line written, as JSON text (level info and above unless asked). */
  logs: string[];
  close(): Promise<void>;
}

export async function startEmailRig(opts: { server?: SimMailServerOptions; config?: Partial<EmailConfig>; logLevel?: string } = {}): Promise<EmailRig> {
  const server = await startSimMailServer(opts.server);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const channel = createEmailChannel(
    { ...EMAIL_CONFIG, ...opts.config },
    { clock: new SystemClock(), log: createLogger({ level: opts.logLevel ?? 'info', destination }), target: { host: server.host, port: server.port } },
  );
  const healthEvents: ChannelHealth[] = [];
  channel.on('health', (h) => healthEvents.push(h));
  await channel.start();
  return {
    server,
    channel,
    healthEvents,
    logs,
    async close() {
      await channel.stop();
      await server.close();
    },
  };
}

export function email(to: string, over: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return { messageId: 1, to, from: '', subject: 'Betaalverzoek', text: 'Hallo', html: '<p>Hallo</p>', ...over };
}
