/**
 * The messaging seam: the only API the rest of Bereik uses to send SMS, e-mail (and later
 * WhatsApp), and to hear back about them. Like src/telephony, no wire protocol (SMPP PDUs,
 * SMTP) appears outside src/messaging (and src/sim, which stands behind the same wires).
 *
 * A channel does one thing well: hand one message to the network and report what the
 * network said. Everything about *whether* to send (windows, caps, opt-out), *once only*
 * (the outbox states), and *what* (templates) lives above it, in the outbox and its worker.
 *
 * What a channel reports back:
 *   - submit() resolves with a SubmitResult: accepted (with the provider's message id),
 *     or refused, retryable (throttled, queue full, connection lost before an answer the
 *     worker can trust) or permanent (the code's name, e.g. ESME_RINVDSTADR).
 *   - 'receipt' events: a delivery report for an earlier accepted message, by provider id.
 *   - 'inbound' events: a reply from a handset (SMS) or a bounce.
 * "Already gone" and "refused" are values, not exceptions: submit() rejects only on misuse.
 */
import type { EventEmitter } from 'node:events';

export type MessageChannelKind = 'sms' | 'email' | 'whatsapp';

/** Who a message says it is from. */
export type SmsSender =
  /** A number that can receive replies (mobile long number or short code), E.164 or short code digits. */
  | { kind: 'number'; value: string }
  /** An alphanumeric sender, ≤ 11 GSM characters: no replies possible. */
  | { kind: 'alphanumeric'; value: string };

export interface OutgoingSms {
  /** The outbox's id, for logs and correlation (never sent on the wire). */
  messageId: number;
  /** Destination, E.164. */
  to: string;
  from: SmsSender;
  /** The whole text; the channel encodes (GSM 03.38 or UCS-2) and splits it (UDH). */
  body: string;
}

export interface OutgoingEmail {
  messageId: number;
  to: string;
  /** RFC 5322 From, e.g. `"Incasso Noord" <noreply@example.nl>`. */
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
}

/** An approved WhatsApp message template and the values of its body's {{1}}, {{2}}, … */
export interface WhatsAppTemplate {
  name: string;
  /** Meta's language code of the approved translation, e.g. nl, en. */
  language: string;
  params: string[];
}

export interface OutgoingWhatsApp {
  messageId: number;
  /** The handset, E.164. */
  to: string;
  /**
   * A template (any time: how a business starts a conversation) or a free text (only in the
   * 24 hours after the debtor last wrote: WhatsApp's customer service window).
   */
  content: { kind: 'template'; template: WhatsAppTemplate } | { kind: 'text'; text: string };
}

export type SubmitResult =
  | { ok: true; providerId: string; parts: number }
  /**
   * retry: the message was NOT taken and may be offered again later (throttled, queue full,
   * not connected). permanent: it never will be (bad number, rejected sender): fail it.
   * uncertain: it may or may not have been taken (connection dropped after the PDU left):
   * never resend blindly.
   */
  | { ok: false; kind: 'retry' | 'permanent' | 'uncertain'; code: string; reason: string; retryAfterMs?: number };

/** SMPP delivery receipt states (SMPP 3.4 appendix B), and the e-mail equivalents. */
export type ReceiptState = 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD' | 'DELETED' | 'ACCEPTD' | 'UNKNOWN' | 'ENROUTE';

export interface DeliveryReceipt {
  channel: MessageChannelKind;
  /** The provider id submit() returned. */
  providerId: string;
  state: ReceiptState;
  /** The network's error code (`err:` field), '000' when none. */
  errorCode: string;
  /** When the network says it happened (UTC ISO), when known. */
  doneAt?: string;
}

export interface InboundMessage {
  channel: MessageChannelKind;
  /** The handset's number (E.164) or the sender's address. */
  from: string;
  /** Our number / short code / address it was sent to. */
  to: string;
  body: string;
}

export interface ChannelHealth {
  channel: MessageChannelKind;
  /** up: can submit now; degraded: some binds down or throttled; down: nothing can be sent. */
  state: 'up' | 'degraded' | 'down';
  /** Per bind / transport, for /healthz and the console. */
  links: Array<{ name: string; state: string; detail?: string }>;
}

export interface ChannelEvents {
  receipt: [DeliveryReceipt];
  inbound: [InboundMessage];
  health: [ChannelHealth];
}

export interface MessageChannel<Outgoing> extends EventEmitter<ChannelEvents> {
  readonly kind: MessageChannelKind;
  start(): Promise<void>;
  /** Hands one message to the network; see SubmitResult. */
  submit(msg: Outgoing): Promise<SubmitResult>;
  health(): ChannelHealth;
  /** Stops taking messages, waits for answers to what is in flight (bounded), closes. */
  stop(): Promise<void>;
}

export type SmsChannel = MessageChannel<OutgoingSms> & { readonly kind: 'sms' };
export type EmailChannel = MessageChannel<OutgoingEmail> & { readonly kind: 'email' };
export type WhatsAppChannel = MessageChannel<OutgoingWhatsApp> & {
  readonly kind: 'whatsapp';
  /** GET /webhooks/whatsapp: the challenge to echo when Meta subscribes with our verify token, else undefined. */
  verifySubscription(q: { mode?: string; token?: string; challenge?: string }): string | undefined;
  /** POST /webhooks/whatsapp: checks the signature, reads the body, emits receipts and inbound messages. Throws WA_WEBHOOK_*. */
  acceptWebhook(raw: Buffer, signature: string | undefined): { receipts: number; inbound: number };
};
