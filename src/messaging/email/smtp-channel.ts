/**
 * The e-mail channel: one message handed to an SMTP relay over nodemailer's pooled transport,
 * and what the relay said, as a SubmitResult (src/messaging/types.ts).
 *
 * A submit ends in one of four ways (smtp-outcome.ts has the rules):
 *   - 250 after DATA → ok; providerId is the Message-ID the recipients get (the relay's own
 *     when it replaces ours, as Microsoft 365 and SES do), because that is what a bounce
 *     report (DSN) quotes back; the relay's queue id is logged at debug level.
 *   - 5xx → permanent SMTP_<code>: the bounce. 4xx or no connection → retry.
 *   - the connection failed after the last byte of the message left, before the answer →
 *     uncertain. The moment is seen on the message stream itself: its 'end' fires when the
 *     connection has read all of it, and only then does nodemailer write the final ".".
 *
 * health() is the last connection outcome: verify() at start (a failure is logged, not fatal:
 * the relay may come up later), then every submit. Passwords are never logged (nodemailer's
 * own logger stays off); addresses are masked.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { Clock } from '../../lib/clock.ts';
import { maskEmail, type Logger } from '../../lib/log.ts';
import type { EmailConfig } from '../../config/schema.ts';
import type { ChannelEvents, ChannelHealth, EmailChannel, OutgoingEmail, SubmitResult } from '../types.ts';
import { classifySmtpError, isTransportDown, type SmtpErrorLike } from './smtp-outcome.ts';
import { resolveTransport, singleAddress, type ResolvedTransport, type SmtpTarget } from './transport-config.ts';

export interface EmailChannelDeps {
  clock: Clock;
  log: Logger;
  /** The test mail server, used when email.host is empty (like the ARI simulator). */
  target?: SmtpTarget;
  /** How long stop() waits for messages in flight before cutting the connections (default 10 s). */
  stopGraceMs?: number;
}

export function createEmailChannel(config: EmailConfig, deps: EmailChannelDeps): EmailChannel {
  return new SmtpEmailChannel(resolveTransport(config, deps.target), deps);
}

type LinkState = 'stopped' | 'connecting' | 'up' | 'down';
type Transporter = ReturnType<typeof buildTransport>;

function buildTransport(t: ResolvedTransport) {
  return nodemailer.createTransport({
    pool: true,
    host: t.host,
    port: t.port,
    secure: t.security === 'tls',
    requireTLS: t.security === 'starttls',
    ignoreTLS: t.security === 'none',
    auth: t.auth,
    maxConnections: t.poolSize,
    maxMessages: t.maxMessagesPerConnection,
    ...(t.ratePerSecond > 0 ? { rateDelta: 1000, rateLimit: t.ratePerSecond } : {}),
    connectionTimeout: t.connectionTimeoutMs,
    greetingTimeout: t.connectionTimeoutMs,
    socketTimeout: t.socketTimeoutMs,
    // A connection the relay closed while idle is reopened and its message requeued by the
    // pool only when not a byte of it was sent; twice is enough to get past a stale one.
    maxRequeues: 2,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

class SmtpEmailChannel extends EventEmitter<ChannelEvents> implements EmailChannel {
  readonly kind = 'email' as const;
  private transporter: Transporter | undefined;
  private state: LinkState = 'stopped';
  private detail: string | undefined;
  private stopping = false;
  private inFlight = 0;
  private idle: (() => void) | undefined;
  /** Message-ID → set once the connection has read the whole message. */
  private readonly fullySent = new Map<string, boolean>();
  private readonly fromDomain: string;
  private readonly log: Logger;

  constructor(
    private readonly t: ResolvedTransport,
    private readonly deps: EmailChannelDeps,
  ) {
    super();
    this.fromDomain = t.fromAddress.slice(t.fromAddress.lastIndexOf('@') + 1);
    this.log = deps.log.child({ channel: 'email', relay: `${t.host}:${t.port}`, simulated: t.simulated });
  }

  async start(): Promise<void> {
    if (this.transporter) return;
    this.stopping = false;
    const transporter = buildTransport(this.t);
    transporter.use('stream', (mail, done) => {
      const id = mail.message.messageId();
      mail.message.processFunc((output: Readable) => {
        output.once('end', () => {
          if (this.fullySent.has(id)) this.fullySent.set(id, true);
        });
        return output;
      });
      done();
    });
    this.transporter = transporter;
    this.setState('connecting');
    try {
      await transporter.verify();
      this.setState('up');
      this.log.info({ security: this.t.security }, 'email: SMTP relay reachable');
    } catch (err) {
      const e = err as SmtpErrorLike;
      this.setState('down', `${e.code ?? 'error'}: ${e.responseCode ?? ''} ${e.message}`.trim());
      this.log.warn({ code: e.code, responseCode: e.responseCode }, 'email: SMTP relay not reachable at start; messages are retried until it is');
    }
  }

  async submit(msg: OutgoingEmail): Promise<SubmitResult> {
    const transporter = this.transporter;
    if (!transporter && !this.stopping) throw new Error('EmailChannel.submit() before start()');
    if (!transporter || this.stopping) return { ok: false, kind: 'retry', code: 'EMAIL_STOPPED', reason: 'the e-mail channel is stopping' };
    const to = singleAddress(msg.to);
    if (!to) return { ok: false, kind: 'permanent', code: 'SMTP_BAD_ADDRESS', reason: 'the recipient is not one e-mail address' };

    const messageId = `<bereik.${msg.messageId}.${randomBytes(6).toString('hex')}@${this.fromDomain}>`;
    this.fullySent.set(messageId, false);
    this.inFlight++;
    const started = performance.now();
    try {
      const info = await transporter.sendMail({
        from: msg.from || this.t.from,
        to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        headers: msg.headers,
        messageId,
        envelope: { from: this.t.envelopeFrom, to },
      });
      this.setState('up');
      const providerId = stripBrackets(info.serverMessageId ?? info.messageId ?? messageId);
      this.log.debug({ messageId: msg.messageId, to: maskEmail(to), providerId, response: info.response, ms: Math.round(performance.now() - started) }, 'email: accepted by the relay');
      return { ok: true, providerId, parts: 1 };
    } catch (err) {
      const e = err as SmtpErrorLike;
      const sent = this.fullySent.get(messageId) === true;
      // stop() closes the pool: messages still queued in it were never on a wire.
      if (this.stopping && !sent && e.responseCode === undefined) return { ok: false, kind: 'retry', code: 'EMAIL_STOPPED', reason: 'the e-mail channel stopped before this message was sent' };
      const result = classifySmtpError(e, sent);
      if (isTransportDown(e)) this.setState('down', `${result.code}: ${e.message}`.slice(0, 200));
      else if (e.responseCode !== undefined) this.setState('up');
      const fields = { messageId: msg.messageId, to: maskEmail(to), kind: result.kind, code: result.code };
      if (result.kind === 'retry') this.log.info(fields, 'email: not taken, to be retried');
      else this.log.warn(fields, result.kind === 'permanent' ? 'email: refused by the relay (bounce)' : 'email: outcome unknown, not to be resent blindly');
      return result;
    } finally {
      this.fullySent.delete(messageId);
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  health(): ChannelHealth {
    const state = this.state === 'up' ? 'up' : 'down';
    const detail = [this.t.simulated ? 'test mail server' : undefined, this.detail].filter(Boolean).join('; ') || undefined;
    return { channel: 'email', state, links: [{ name: `smtp ${this.t.host}:${this.t.port}`, state: this.state, detail }] };
  }

  async stop(): Promise<void> {
    const transporter = this.transporter;
    if (!transporter) return;
    this.stopping = true;
    // Idle connections close now; one delivering a message finishes it first.
    transporter.close();
    if (this.inFlight > 0) {
      const grace = new AbortController();
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        this.deps.clock.delay(this.deps.stopGraceMs ?? 10_000, grace.signal).catch(() => {}),
      ]);
      grace.abort();
      this.idle = undefined;
      if (this.inFlight > 0) {
        this.log.warn({ inFlight: this.inFlight }, 'email: stop grace over, cutting connections with messages in flight');
        transporter.close({ force: true });
      }
    }
    this.transporter = undefined;
    this.setState('stopped');
  }

  private setState(state: LinkState, detail?: string): void {
    const changed = state !== this.state || detail !== this.detail;
    this.state = state;
    this.detail = detail;
    if (changed) this.emit('health', this.health());
  }
}

function stripBrackets(id: string): string {
  return id.replace(/^<|>$/g, '');
}
