/**
 * Messaging, wired in one place (like src/engine.ts for calls):
 *
 *   composer (what to send) → store outbox ← worker → channels (SMPP, SMTP) ⇄ SMSC / relay
 *                                              ↑ receipts          ↓ inbound
 *                                        reply handler ← ─ ─ ─ ─ ─ ┘
 *
 * With no `sms.binds` configured a simulated SMSC starts on loopback and the channel binds
 * to it over real SMPP; with no `email.host` the test mail server stands in over real SMTP;
 * with no `whatsapp.graphUrl` a simulated Graph endpoint over real HTTP.
 * So the production code path is the one that runs, in tests and in "Try it".
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/repositories.ts';
import type { InboundRow } from '../store/message-replies.ts';
import { startSimSmsc, type SimSmsc } from '../sim/smsc.ts';
import { startSimMailServer, type RunningMailServer } from '../sim/mail-server.ts';
import { startSimWhatsAppGraph, type SimWhatsAppGraph } from '../sim/whatsapp-graph.ts';
import { createWhatsAppChannel, type WhatsAppTarget } from './whatsapp/cloud-channel.ts';
import { resolveWhatsAppTarget, SIM_PHONE_NUMBER_ID } from './whatsapp/config.ts';
import { createSmsChannel } from './sms/index.ts';
import { createEmailChannel } from './email/smtp-channel.ts';
import { MessageComposer } from './compose.ts';
import { OutboxWorker, type OutboxChannels } from './outbox.ts';
import { ReplyHandler } from './replies/handle.ts';
import { MessageCampaigns } from './campaigns.ts';
import type { ChannelHealth } from './types.ts';

export interface MessagingOptions {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  /** Channels a test or benchmark brings; by default they are built from config (or the simulators). */
  channels?: OutboxChannels;
  /** Told when a reply needs a person (the agents' desktop). */
  onInbox?: (row: InboundRow) => void;
}

export interface Messaging {
  composer: MessageComposer;
  outbox: OutboxWorker;
  replies: ReplyHandler;
  /** Campaigns in mode sms / email. */
  campaigns: MessageCampaigns;
  channels: OutboxChannels;
  /** The simulators standing in for an SMSC and a mail relay, when none is configured. */
  sims: { smsc?: SimSmsc; mail?: RunningMailServer; whatsapp?: SimWhatsAppGraph };
  /**
   * Recovers what a previous process left mid-submit, connects the channels, starts sending.
   * localUrl: where this process listens (the simulated Graph endpoint posts its webhooks there).
   */
  start(o?: { localUrl?: string }): Promise<void>;
  stop(): Promise<void>;
  health(): ChannelHealth[];
}

export async function createMessaging(o: MessagingOptions): Promise<Messaging> {
  const { config, store, clock } = o;
  const log = o.log.child({ mod: 'messaging' });
  const sims: Messaging['sims'] = {};
  let channels = o.channels;
  if (!channels) {
    channels = {};
    let sms = config.sms;
    if (!sms || sms.binds.length === 0) {
      // SMPP passwords are at most 8 characters.
      const password = randomBytes(6).toString('base64url').slice(0, 8);
      sims.smsc = await startSimSmsc({ clock, credentials: [{ systemId: 'bereik', password }] });
      sms = { ...(sms ?? {}), binds: [{ name: 'sim', host: '127.0.0.1', port: sims.smsc.port, systemId: 'bereik', password }] };
      log.info({ port: sims.smsc.port }, 'no SMSC configured (sms.binds empty): using the built-in simulated SMSC');
    }
    channels.sms = createSmsChannel(sms, { clock, log: log.child({ channel: 'sms' }) });
    const email = config.email;
    if (email && !email.host) {
      sims.mail = await startSimMailServer({});
      log.info({ port: sims.mail.port }, 'no mail relay configured (email.host empty): using the built-in test mail server');
    }
    const whatsapp = config.whatsapp;
    if (whatsapp) {
      let target: WhatsAppTarget;
      if (!whatsapp.graphUrl) {
        const secret = () => randomBytes(24).toString('base64url');
        const phoneNumberId = whatsapp.phoneNumberId || SIM_PHONE_NUMBER_ID;
        // Secrets given (by env or file) are used with the simulator too, so a test can sign webhooks.
        const accessToken = whatsapp.accessToken || secret();
        const appSecret = whatsapp.appSecret || secret();
        sims.whatsapp = await startSimWhatsAppGraph({ clock, accessToken, appSecret, phoneNumberId });
        target = { graphUrl: sims.whatsapp.url, version: whatsapp.version, phoneNumberId, accessToken, appSecret, verifyToken: whatsapp.verifyToken || secret(), requestTimeoutMs: whatsapp.requestTimeoutMs, simulated: true };
        log.info({ url: sims.whatsapp.url }, 'no Graph endpoint configured (whatsapp.graphUrl empty): using the built-in simulated WhatsApp Cloud API');
      } else target = resolveWhatsAppTarget(whatsapp);
      const lastInboundAt = (e164: string) => {
        const at = store.replies.lastInboundAt('whatsapp', e164);
        return at === undefined ? undefined : Date.parse(at);
      };
      channels.whatsapp = createWhatsAppChannel(target, { clock, log: log.child({ channel: 'whatsapp' }), lastInboundAt });
    }
    if (email) channels.email = createEmailChannel(email, { clock, log: log.child({ channel: 'email' }), ...(sims.mail ? { target: { host: sims.mail.host, port: sims.mail.port, simulated: true } } : {}) });
  }
  const emailFrom = config.email?.from ?? '';
  const outbox = new OutboxWorker({ store, clock, log, channels, settings: { ...config.messages, emailFrom } });
  const composer = new MessageComposer({
    store,
    clock,
    publicUrl: config.http.publicUrl,
    smsSender: config.messages.smsSender,
    emailFrom,
    linkTtlDays: config.messages.linkTtlDays,
    ...(channels.whatsapp && config.whatsapp
      ? { whatsapp: { templateName: config.whatsapp.templateName, templateLanguages: config.whatsapp.templateLanguages, sender: `whatsapp:${config.whatsapp.phoneNumberId || SIM_PHONE_NUMBER_ID}` } }
      : {}),
    onQueued: () => outbox.poke(),
  });
  const replies = new ReplyHandler({
    store, clock, log, composer,
    ...(config.messages.promiseMaxDays !== undefined ? { promiseMaxDays: config.messages.promiseMaxDays } : {}),
    ...(o.onInbox ? { onInbox: o.onInbox } : {}),
  });
  outbox.on('inbound', (m) => replies.handle(m));
  const campaigns = new MessageCampaigns({ store, clock, log: log.child({ part: 'campaigns' }), composer, intervalMs: config.messages.pollMs * 5 });
  const list = () => [channels.sms, channels.email, channels.whatsapp].filter((c) => c !== undefined);
  let stopping: Promise<void> | undefined;
  return {
    composer,
    outbox,
    replies,
    campaigns,
    channels,
    sims,
    async start(s = {}) {
      sims.whatsapp?.setWebhookUrl(`${(s.localUrl ?? config.http.publicUrl).replace(/\/+$/, '')}/webhooks/whatsapp`);
      outbox.start();
      campaigns.start();
      // A channel that cannot connect yet keeps retrying; messages wait in the outbox meanwhile.
      await Promise.all(list().map((c) => c.start().catch((err: unknown) => log.warn({ err, channel: c.kind }, 'channel not connected yet; retrying'))));
    },
    stop() {
      stopping ??= (async () => {
        campaigns.stop();
        await outbox.stop();
        await Promise.all(list().map((c) => c.stop()));
        await sims.smsc?.close();
        await sims.mail?.close();
        await sims.whatsapp?.close();
      })();
      return stopping;
    },
    health: () => list().map((c) => c.health()),
  };
}
