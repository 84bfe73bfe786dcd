/**
 * SMPP delivery receipts (SMPP 3.4 appendix B): the short_message text of a deliver_sm with
 * the receipt bit in esm_class, e.g.
 *   id:0123456789 sub:001 dlvrd:001 submit date:2611230915 done date:2611230916 stat:DELIVRD err:000 text:Uw betaling…
 * Pure. Real SMSCs differ: fields missing or reordered, lower case, `DELIVERED` spelled out,
 * seconds in the dates, ids in hex in one place and decimal in the other. When the PDU
 * carries the receipted_message_id and message_state TLVs (SMPP 3.4 §5.3.2.12, §5.3.2.35),
 * they win over the text: they are typed, the text is a convention.
 */
import type { DeliveryReceipt, ReceiptState } from '../types.ts';

export interface ReceiptTlvs {
  receiptedMessageId?: string;
  /** message_state TLV (1 ENROUTE … 8 REJECTED). */
  messageState?: number;
}

export type ParsedReceipt = { ok: true; receipt: DeliveryReceipt } | { ok: false; reason: string };

const MESSAGE_STATE: Record<number, ReceiptState> = {
  1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD',
};

const STAT_WORDS: Record<string, ReceiptState> = {
  DELIVRD: 'DELIVRD', DELIVERED: 'DELIVRD', DELIVER: 'DELIVRD',
  UNDELIV: 'UNDELIV', UNDELIVERABLE: 'UNDELIV', UNDELIVERED: 'UNDELIV', FAILED: 'UNDELIV',
  EXPIRED: 'EXPIRED',
  REJECTD: 'REJECTD', REJECTED: 'REJECTD',
  DELETED: 'DELETED',
  ACCEPTD: 'ACCEPTD', ACCEPTED: 'ACCEPTD',
  UNKNOWN: 'UNKNOWN',
  ENROUTE: 'ENROUTE',
};

const FIELD = /(id|sub|dlvrd|submit[ _]?date|done[ _]?date|stat|err|text)\s*:/gi;

/** Splits `key:value key:value …` into a map of lower-case keys (spaces in keys removed). */
export function receiptFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const marks: Array<{ key: string; start: number; end: number }> = [];
  for (const m of text.matchAll(FIELD)) {
    // "text:" swallows the rest, so a key-like word inside the original text is not a field.
    if (marks.some((k) => k.key === 'text')) break;
    // A key must start the text or follow whitespace (so "submit date" does not also match "date").
    if (m.index! > 0 && !/\s/.test(text[m.index! - 1]!)) continue;
    marks.push({ key: m[1]!.toLowerCase().replace(/[ _]/g, ''), start: m.index!, end: m.index! + m[0].length });
  }
  for (let i = 0; i < marks.length; i++) {
    const value = text.slice(marks[i]!.end, i + 1 < marks.length ? marks[i + 1]!.start : text.length);
    if (!fields.has(marks[i]!.key)) fields.set(marks[i]!.key, marks[i]!.key === 'text' ? value : value.trim());
  }
  return fields;
}

/** YYMMDDhhmm[ss] → UTC ISO. The SMSC's time zone is not on the wire; aggregators we know send UTC. */
export function parseReceiptDate(value: string | undefined): string | undefined {
  const m = value?.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, ss] = m;
  const date = new Date(Date.UTC(2000 + Number(yy), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss ?? 0)));
  // Date.UTC rolls 31 February over into March: refuse instead of inventing a date.
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(dd) || Number(hh) > 23 || Number(mi) > 59) return undefined;
  return date.toISOString();
}

export function parseDeliveryReceipt(text: string, tlvs: ReceiptTlvs = {}): ParsedReceipt {
  const fields = receiptFields(text);
  const providerId = (tlvs.receiptedMessageId?.trim() || fields.get('id') || '').trim();
  if (!providerId) return { ok: false, reason: 'receipt has no message id (no id: field, no receipted_message_id TLV)' };
  if (!/^[\x21-\x7e]{1,64}$/.test(providerId)) return { ok: false, reason: 'receipt message id is not printable ASCII of 1–64 characters' };

  let state: ReceiptState | undefined = tlvs.messageState !== undefined ? MESSAGE_STATE[tlvs.messageState] : undefined;
  if (!state) {
    const stat = fields.get('stat');
    if (stat === undefined) return { ok: false, reason: `receipt for ${providerId} has no stat: field and no message_state TLV` };
    state = STAT_WORDS[stat.toUpperCase()];
    if (!state) return { ok: false, reason: `receipt for ${providerId} has an unknown stat ${JSON.stringify(stat.slice(0, 20))}` };
  }
  const err = fields.get('err');
  const errorCode = err && /^[0-9A-Za-z]{1,8}$/.test(err) ? err : '000';
  const doneAt = parseReceiptDate(fields.get('donedate'));
  return { ok: true, receipt: { channel: 'sms', providerId, state, errorCode, ...(doneAt ? { doneAt } : {}) } };
}

/**
 * Ids under which a receipt may name a message: as given, and its decimal/hex twin. Many
 * SMSCs answer submit_sm_resp with a hex id and put the same number in decimal in the
 * receipt (or the reverse); SMPP 3.4 says nothing about it.
 */
export function receiptIdCandidates(id: string): string[] {
  const out = [id];
  const lower = id.toLowerCase();
  if (lower !== id) out.push(lower);
  if (/^[0-9]{1,15}$/.test(id)) {
    const hex = Number(id).toString(16);
    out.push(hex, hex.toUpperCase());
  }
  if (/^[0-9a-f]{1,12}$/i.test(id)) {
    const dec = String(parseInt(id, 16));
    out.push(dec, dec.padStart(10, '0'));
  }
  if (/^0+[0-9]+$/.test(id)) out.push(id.replace(/^0+/, ''));
  return [...new Set(out)];
}

/** The text an SMSC puts in a receipt (used by the simulated SMSC). */
export function formatReceiptText(r: { id: string; state: ReceiptState; err?: string; submitAt: number; doneAt: number; text?: string }): string {
  const d = (ms: number) => new Date(ms).toISOString().replace(/[-T:]/g, '').slice(2, 12);
  const dlvrd = r.state === 'DELIVRD' ? '001' : '000';
  return `id:${r.id} sub:001 dlvrd:${dlvrd} submit date:${d(r.submitAt)} done date:${d(r.doneAt)} stat:${r.state} err:${r.err ?? '000'} text:${(r.text ?? '').slice(0, 20)}`;
}
