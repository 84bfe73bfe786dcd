/**
 * What an SMTP failure means for the message (src/messaging/types.ts SubmitResult), decided
 * from nodemailer's error and one fact only the channel knows: whether the whole message had
 * been handed to the connection when it failed.
 *
 *   1. The server answered 5xx to RCPT TO, MAIL FROM or the end of DATA: it refused this
 *      message for good → permanent, code SMTP_<reply code>. A refused recipient is the bounce
 *      the outbox records (RFC 5321 §4.2.1: 5yz is a permanent negative completion).
 *      Except AUTH (535 …): a wrong password is the transport's fault, not the message's → retry.
 *   2. The server answered 4xx (451 greylisting, 452 full, 421 closing) → retry, it said so.
 *   3. No answer at all (refused, reset, timed out, TLS failed):
 *      - before the message's last byte left → retry: without the final "." the server
 *        cannot have taken it;
 *      - after → uncertain: the server may have queued it and died before saying 250
 *        (RFC 1047's duplicate-message problem); the outbox must not resend blindly.
 *   4. Refused by nodemailer before any wire (an address it cannot parse, too large) → permanent.
 */
import type { SubmitResult } from '../types.ts';

export interface SmtpErrorLike {
  message: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

type Failure = Extract<SubmitResult, { ok: false }>;

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EPROTOCOL']);

/** Whether the failure says the transport (not the message) is broken: health goes down. */
export function isTransportDown(err: SmtpErrorLike): boolean {
  if (err.code === 'EAUTH' || err.command?.startsWith('AUTH')) return true;
  // A server that answers is up, unless it answered that it will not serve (greeting 554, 421).
  if (err.responseCode !== undefined) return err.command === 'CONN' || err.responseCode === 421;
  return CONNECTION_CODES.has(err.code ?? '');
}

/** A server's reply, without the client's preamble ("Can't send mail - …: "). */
function replyText(err: SmtpErrorLike): string {
  return (err.response ?? err.message).replace(/\s+/g, ' ').trim().slice(0, 300);
}

export function classifySmtpError(err: SmtpErrorLike, messageFullySent: boolean): Failure {
  const rc = err.responseCode;
  if (rc !== undefined && rc >= 500 && rc < 600 && !err.command?.startsWith('AUTH') && err.command !== 'CONN') {
    return { ok: false, kind: 'permanent', code: `SMTP_${rc}`, reason: `${err.command ?? 'SMTP'}: ${replyText(err)}` };
  }
  if (rc !== undefined && rc >= 400 && rc < 600) {
    return { ok: false, kind: 'retry', code: `SMTP_${rc}`, reason: `${err.command ?? 'SMTP'}: ${replyText(err)}`, retryAfterMs: 60_000 };
  }
  if (err.code === 'EENVELOPE') return { ok: false, kind: 'permanent', code: 'SMTP_BAD_ADDRESS', reason: err.message };
  if (err.code === 'EMESSAGE' || err.code === 'EMAXRECIPIENTS') return { ok: false, kind: 'permanent', code: 'SMTP_MESSAGE_REFUSED', reason: err.message };
  if (messageFullySent) {
    return { ok: false, kind: 'uncertain', code: 'SMTP_NO_ANSWER_AFTER_DATA', reason: `the connection failed after the whole message was sent, before the server answered (${err.code ?? 'error'}: ${err.message})` };
  }
  return { ok: false, kind: 'retry', code: `SMTP_${err.code ?? 'ERROR'}`, reason: err.message, retryAfterMs: 5_000 };
}
