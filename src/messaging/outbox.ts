/**
 * The outbox worker: sends every queued message once, through its channel.
 *
 * One message, one path:
 *   due (queued, its time has come) → the send rules (src/messaging/rules.ts: opt-out,
 *   windows, cap) → take (queued → submitting, committed) → channel.submit() →
 *     accepted   → submitted, with the provider's id (receipts find it by that id)
 *     retry      → queued again after a backoff (throttled, queue full, not connected)
 *     permanent  → failed, with the code's name (an SMS to a dead number marks the phone)
 *     uncertain  → uncertain: an operator decides; never resent blindly
 * A process that dies between take and the answer leaves `submitting`; start() turns those
 * into `uncertain` before anything else is sent. So restart, SMSC drop and kill -9 lose
 * nothing (queued rows stay queued) and send nothing twice (nothing goes back to queued
 * once it may have left).
 *
 * Receipts: DELIVRD → delivered; UNDELIV / REJECTD / DELETED → failed; EXPIRED → expired;
 * intermediate states (ACCEPTD, ENROUTE, UNKNOWN) change nothing. A duplicate receipt
 * changes nothing. A receipt may arrive before the submit's answer was written (the SMSC
 * is fast, our write is not yet done): it is held briefly and applied once the id is known.
 */
import { EventEmitter } from 'node:events';
import { isoUtc, type Clock, type TimerHandle } from '../lib/clock.ts';
import { maskPhone, type Logger } from '../lib/log.ts';
import { handlerErrors } from '../lib/handler-errors.ts';
import { backoffDelay } from '../telephony/backoff.ts';
import type { Store } from '../store/repositories.ts';
import type { MessageRow } from '../store/messages.ts';
import type { MessageChannelName } from '../store/types.ts';
import { DEFAULT_SETTINGS } from '../campaigns/settings.ts';
import { parseStoredSettings } from '../campaigns/stored-settings.ts';
import { CAP_WINDOW_MS, decideSend } from './rules.ts';
import { parseSmsSender } from './sender.ts';
import type { DeliveryReceipt, EmailChannel, InboundMessage, SmsChannel, SubmitResult, WhatsAppChannel } from './types.ts';

export interface OutboxChannels {
  sms?: SmsChannel;
  email?: EmailChannel;
  whatsapp?: WhatsAppChannel;
}

type AnyChannel = SmsChannel | EmailChannel | WhatsAppChannel;

export interface OutboxOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  channels: OutboxChannels;
  /** messages.* of the config. */
  settings: { smsSender: string; emailFrom: string; maxPer7Days: number; maxInFlight: number; maxAttempts: number; pollMs: number };
  /** Retry backoff bounds (tests shorten them). */
  retryMinMs?: number;
  retryMaxMs?: number;
  random?: () => number;
}

export interface OutboxEvents {
  /** A message reached a state worth telling (submitted, delivered, failed, expired, uncertain, cancelled), or waits (queued, with the reason). */
  status: [{ message: MessageRow; status: string }];
  /** An inbound message from a channel: the reply handler takes it. */
  inbound: [InboundMessage];
}

/** A receipt whose message id is not written yet waits this long (clock ms) for it. */
const EARLY_RECEIPT_MS = 30_000;
/** How long a paused campaign's message waits before it is looked at again. */
const CAMPAIGN_HELD_MS = 60_000;
const SMS_DEAD_NUMBER_CODES = new Set(['ESME_RINVDSTADR', 'ESME_RINVDSTTON', 'ESME_RINVDSTNPI']);

export class OutboxWorker extends EventEmitter<OutboxEvents> {
  private timer?: TimerHandle;
  private running = false;
  private ticking = false;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly early = new Map<string, { r: DeliveryReceipt; at: number }>();
  private readonly detach: Array<() => void> = [];
  /** Campaign id → its windows and cap, read once per tick. */
  private campaignRules = new Map<number, { windows: typeof DEFAULT_SETTINGS; country: string; cap: number | undefined; state: string | undefined }>();

  constructor(private readonly o: OutboxOptions) {
    super();
  }

  /** Marks what a previous process left mid-submit `uncertain`, listens to the channels, starts sending. */
  start(): { uncertain: number } {
    const now = isoUtc(this.o.clock.now());
    const uncertain = this.o.store.messages.recoverInterrupted(now);
    if (uncertain.length) this.o.log.warn({ messages: uncertain.length }, 'messages being submitted when the previous process stopped are marked uncertain (not resent)');
    for (const [name, channel] of Object.entries(this.o.channels) as Array<[MessageChannelName, AnyChannel | undefined]>) {
      if (!channel) continue;
      const onReceipt = (r: DeliveryReceipt) => this.guard('receipt', () => this.receipt(r));
      const onInbound = (m: InboundMessage) => this.guard('inbound', () => this.emit('inbound', m));
      channel.on('receipt', onReceipt);
      channel.on('inbound', onInbound);
      this.detach.push(() => channel.off('receipt', onReceipt), () => channel.off('inbound', onInbound));
      void name;
    }
    this.running = true;
    this.schedule(0);
    return { uncertain: uncertain.length };
  }

  /** Something was queued: look now rather than at the next poll. */
  poke(): void {
    if (this.running) this.schedule(0);
  }

  /** Stops taking new work and waits for the submits in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    for (const d of this.detach.splice(0)) d();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Number of submits waiting for the network's answer. */
  get pending(): number {
    return this.inFlight.size;
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = this.o.clock.setTimeout(() => this.guard('tick', () => void this.tick()), ms);
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      handlerErrors.report(this.o.log, 'timer', err, { mod: 'outbox', what });
    }
  }

  /** One round: every due message up to the room left in flight. Public so tests can step it. */
  async tick(): Promise<void> {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    try {
      this.campaignRules.clear();
      const { store, clock, settings } = this.o;
      const room = settings.maxInFlight - this.inFlight.size;
      if (room > 0) {
        for (const m of store.messages.due(isoUtc(clock.now()), room)) this.process(m);
      }
      this.flushEarlyReceipts();
    } finally {
      this.ticking = false;
    }
    if (!this.running) return;
    if (this.again) {
      this.again = false;
      this.schedule(0);
      return;
    }
    this.schedule(this.nextWakeMs());
  }

  private nextWakeMs(): number {
    const { settings, clock, store } = this.o;
    if (this.inFlight.size >= settings.maxInFlight) return settings.pollMs;
    const next = store.messages.nextDueAt();
    if (!next) return settings.pollMs;
    return Math.max(0, Math.min(settings.pollMs, Date.parse(next) - clock.now()));
  }

  private process(m: MessageRow): void {
    const { store, clock } = this.o;
    const nowMs = clock.now();
    const now = isoUtc(nowMs);
    const channel = this.o.channels[m.channel];
    if (!channel) {
      store.messages.fail(m.id, 'NO_CHANNEL', `no ${m.channel} channel is configured`, now);
      return this.told(m.id, 'failed');
    }
    const rules = this.rulesFor(m.campaignId);
    // A message campaign's own messages follow its lifecycle; the IVR's do not.
    if (m.source === 'campaign' && rules.state === 'finished') {
      store.messages.cancel(m.id, 'CAMPAIGN_FINISHED', 'the campaign was finished before this message went out', now);
      return this.told(m.id, 'cancelled');
    }
    if (m.source === 'campaign' && rules.state !== 'running') {
      store.messages.requeue(m.id, isoUtc(nowMs + CAMPAIGN_HELD_MS), { code: 'CAMPAIGN_PAUSED', text: 'the campaign is not running' }, now);
      return;
    }
    const debtor = store.debtors.get(m.debtorId);
    const decision = decideSend({
      nowMs,
      optedOut: store.replies.isOptedOut(m.channel, m.to),
      isReplyConfirmation: m.source === 'reply',
      answersDebtor: m.replyId !== null,
      place: { timeZone: debtor?.timeZone || rules.windows.defaultTimeZone, country: rules.country },
      windows: rules.windows,
      maxPer7Days: rules.cap ?? this.o.settings.maxPer7Days,
      sentInLast7Days: store.messages.sentSince(m.debtorId, m.channel, isoUtc(nowMs - CAP_WINDOW_MS)).map((t) => Date.parse(t)),
    });
    if (decision.kind === 'cancel') {
      store.messages.cancel(m.id, decision.code, decision.reason, now);
      return this.told(m.id, 'cancelled');
    }
    if (decision.kind === 'fail') {
      store.messages.fail(m.id, decision.code, decision.reason, now);
      return this.told(m.id, 'failed');
    }
    if (decision.kind === 'wait') {
      store.messages.requeue(m.id, isoUtc(decision.untilMs), { code: decision.code, text: decision.reason }, now);
      // Still queued, but now with a reason (window, cap): the agent who sent it sees why it waits.
      return this.told(m.id, 'queued');
    }
    if (!store.messages.take(m.id, now)) return;
    const job = this.submit(m, channel).catch((err: unknown) => {
      // A channel that throws broke its contract; what happened on the wire is unknown.
      handlerErrors.report(this.o.log, 'timer', err, { mod: 'outbox', messageId: m.id });
      store.messages.uncertain(m.id, 'CHANNEL_ERROR', err instanceof Error ? err.message : String(err), isoUtc(clock.now()));
      this.told(m.id, 'uncertain');
    });
    this.inFlight.add(job);
    void job.finally(() => {
      this.inFlight.delete(job);
      if (this.running) this.poke();
    });
  }

  private async submit(m: MessageRow, channel: AnyChannel): Promise<void> {
    const { store, clock, log } = this.o;
    let result: SubmitResult;
    if (m.channel === 'sms') {
      const sender = parseSmsSender(m.sender || this.o.settings.smsSender);
      if (!sender.ok) {
        store.messages.fail(m.id, 'BAD_SENDER', `sender: ${sender.reason}`, isoUtc(clock.now()));
        return this.told(m.id, 'failed');
      }
      result = await (channel as SmsChannel).submit({ messageId: m.id, to: m.to, from: sender.sender, body: m.body });
    } else if (m.channel === 'whatsapp') {
      // A template when the composer stored one; else the body as a free text (the channel
      // refuses that outside the 24-hour window).
      const content = m.template ? { kind: 'template' as const, template: m.template } : { kind: 'text' as const, text: m.body };
      result = await (channel as WhatsAppChannel).submit({ messageId: m.id, to: m.to, content });
    } else {
      result = await (channel as EmailChannel).submit({
        messageId: m.id,
        to: m.to,
        from: m.sender || this.o.settings.emailFrom,
        subject: m.subject ?? '',
        text: m.body,
        html: m.html ?? '',
        headers: this.emailHeaders(m),
      });
    }
    const now = isoUtc(clock.now());
    if (result.ok) {
      store.messages.submitted(m.id, result.providerId, result.parts, now);
      this.told(m.id, 'submitted');
      this.applyEarly(m.channel, result.providerId);
      return;
    }
    const where = { messageId: m.id, channel: m.channel, to: m.channel === 'email' ? '(address)' : maskPhone(m.to), code: result.code };
    if (result.kind === 'retry' && m.attempts < this.o.settings.maxAttempts) {
      const wait = result.retryAfterMs ?? backoffDelay(m.attempts, this.o.retryMinMs ?? 1000, this.o.retryMaxMs ?? 300_000, this.o.random);
      store.messages.requeue(m.id, isoUtc(clock.now() + wait), { code: result.code, text: result.reason }, now);
      log.debug({ ...where, waitMs: wait }, 'message not taken now; tried again later');
      return;
    }
    if (result.kind === 'uncertain') {
      store.messages.uncertain(m.id, result.code, result.reason, now);
      log.warn(where, 'message may or may not have been sent: marked uncertain for an operator');
      return this.told(m.id, 'uncertain');
    }
    const code = result.kind === 'retry' ? `${result.code}_GAVE_UP` : result.code;
    store.messages.fail(m.id, code, result.reason, now);
    if (m.channel === 'sms' && SMS_DEAD_NUMBER_CODES.has(result.code)) store.replies.smsUndeliverable(m.to, now);
    log.info(where, 'message failed');
    this.told(m.id, 'failed');
  }

  /** RFC 8058 one-click unsubscribe, from the link the composer stored for this message. */
  private emailHeaders(m: MessageRow): Record<string, string> {
    const h: Record<string, string> = { 'X-Bereik-Message': String(m.id) };
    const unsubscribe = /https?:\/\/\S+\/u\/[A-Za-z0-9_-]+/.exec(m.body)?.[0];
    if (unsubscribe) {
      h['List-Unsubscribe'] = `<${unsubscribe}>`;
      h['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    return h;
  }

  private receipt(r: DeliveryReceipt): void {
    const status = r.state === 'DELIVRD' ? 'delivered' : r.state === 'EXPIRED' ? 'expired' : ['UNDELIV', 'REJECTD', 'DELETED'].includes(r.state) ? 'failed' : undefined;
    if (!status) return;
    const out = this.o.store.messages.applyReceipt(r.channel, r.providerId, status, r.errorCode, r.doneAt ?? isoUtc(this.o.clock.now()));
    if (out.kind === 'unknown') {
      this.early.set(`${r.channel}:${r.providerId}`, { r, at: this.o.clock.now() });
      return;
    }
    if (out.kind === 'applied') {
      if (out.status === 'failed' && out.message.channel === 'sms') this.o.store.replies.smsUndeliverable(out.message.to, isoUtc(this.o.clock.now()));
      this.emit('status', { message: out.message, status: out.status });
    }
  }

  private applyEarly(channel: MessageChannelName, providerId: string): void {
    const held = this.early.get(`${channel}:${providerId}`);
    if (!held) return;
    this.early.delete(`${channel}:${providerId}`);
    this.receipt(held.r);
  }

  private flushEarlyReceipts(): void {
    const cutoff = this.o.clock.now() - EARLY_RECEIPT_MS;
    for (const [key, held] of this.early) {
      if (held.at >= cutoff) continue;
      this.early.delete(key);
      this.o.log.warn({ channel: held.r.channel, state: held.r.state }, 'delivery receipt for a message we never sent: ignored');
    }
  }

  private told(id: number, status: string): void {
    const message = this.o.store.messages.get(id);
    if (message) this.emit('status', { message, status });
  }

  private rulesFor(campaignId: number | null) {
    const key = campaignId ?? 0;
    let r = this.campaignRules.get(key);
    if (!r) {
      const campaign = campaignId ? this.o.store.campaigns.get(campaignId) : undefined;
      const settings = campaign ? parseStoredSettings(campaign.settings) : DEFAULT_SETTINGS;
      r = { windows: settings, country: campaign?.defaultCountry ?? 'NL', cap: settings.maxMessagesPer7Days, state: campaign?.state };
      this.campaignRules.set(key, r);
    }
    return r;
  }
}
