/**
 * A bounce that arrives later, by mail, at the bounce address (email.bounceAddress): a
 * delivery status notification (RFC 3464), read into one report per recipient. A relay that
 * took the message (250) and then failed to deliver it reports only this way, so this is how
 * a later "mailbox does not exist" reaches the outbox.
 *
 * The shape (RFC 3462 multipart/report; report-type=delivery-status):
 *   1. a human-readable part (ignored: wording differs per MTA and language);
 *   2. message/delivery-status: per-message fields, a blank line, then per-recipient fields
 *      (Final-Recipient, Action, Status, Diagnostic-Code), one block per recipient;
 *   3. the original message or its headers (message/rfc822, text/rfc822-headers), whose
 *      Message-ID is the providerId the channel returned.
 * RFC 6533's message/global-delivery-status and message/global(-headers) (UTF-8) are read too.
 * A message that is not a DSN (a debtor's reply, an auto-reply) gives no reports.
 */
import { findPart, header, parseHeaders, parseMime, type MimePart } from '../../lib/mime.ts';

export interface BounceReport {
  /** Message-ID of the message that bounced, without angle brackets; absent when the DSN leaves the original out. */
  originalMessageId?: string;
  /** Final-Recipient's address, e.g. jan@example.nl. */
  recipient: string;
  /** failed | delayed | delivered | relayed | expanded (RFC 3464 §2.3.3). */
  action: string;
  /** Enhanced status code (RFC 3463), e.g. 5.1.1. */
  status: string;
  /** Status class 5: it will never be delivered; 4 is a delay, the relay still tries. */
  permanent: boolean;
  /** Diagnostic-Code without its type, e.g. "550 5.1.1 <jan@example.nl>: User unknown". */
  diagnostic?: string;
  /** Reporting-MTA without its type. */
  reportingMta?: string;
}

const STATUS_TYPES = ['message/delivery-status', 'message/global-delivery-status'];
const ORIGINAL_TYPES = ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'];

export function parseBounce(raw: Buffer | string): BounceReport[] {
  const root = parseMime(raw);
  const statusPart = STATUS_TYPES.map((t) => findPart(root, t)).find(Boolean);
  if (!statusPart) return [];
  // Bytes as latin1: parseHeaders reads each value as UTF-8 itself (RFC 6533 addresses).
  const blocks = statusPart.body.toString('latin1').split(/\r?\n[ \t]*\r?\n/).map((b) => b.trim()).filter(Boolean);
  const [perMessage, ...perRecipient] = blocks.map((b) => parseHeaders(b));
  if (!perMessage) return [];
  const reportingMta = stripType(perMessage.get('reporting-mta')?.[0]);
  const originalMessageId = originalId(root);
  const reports: BounceReport[] = [];
  for (const fields of perRecipient) {
    const recipient = stripType(fields.get('final-recipient')?.[0] ?? fields.get('original-recipient')?.[0]);
    const status = /\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status')?.[0] ?? '')?.[0];
    if (!recipient || !status) continue;
    reports.push({
      originalMessageId,
      recipient: recipient.replace(/^<|>$/g, ''),
      action: (fields.get('action')?.[0] ?? '').trim().toLowerCase(),
      status,
      permanent: status.startsWith('5'),
      diagnostic: stripType(fields.get('diagnostic-code')?.[0])?.replace(/\s+/g, ' '),
      reportingMta,
    });
  }
  return reports;
}

/** "rfc822; jan@example.nl" → "jan@example.nl" (the type before ';' is RFC 3464's address/MTA type). */
function stripType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semi = value.indexOf(';');
  const v = (semi >= 0 ? value.slice(semi + 1) : value).trim();
  return v || undefined;
}

function originalId(root: MimePart): string | undefined {
  for (const type of ORIGINAL_TYPES) {
    const part = findPart(root, type);
    if (!part) continue;
    // The part's body is the original message (or just its header block): read it as one.
    const original = parseMime(part.body);
    const id = header(original, 'message-id');
    if (id) return id.trim().replace(/^<|>$/g, '');
  }
  return undefined;
}
