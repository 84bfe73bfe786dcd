/**
 * The WhatsApp Cloud API webhook (POST /webhooks/whatsapp), read without trusting it. Pure.
 *
 *   1. The signature: X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the
 *      app secret>, compared in constant time. Missing → WA_WEBHOOK_UNSIGNED, wrong →
 *      WA_WEBHOOK_BAD_SIGNATURE (both 401). Checked before the body is looked at.
 *   2. The payload: every field we use is checked; anything else is ignored (Meta adds
 *      fields). A payload that is not the documented shape → WA_WEBHOOK_MALFORMED (400).
 *        statuses[]: sent → ACCEPTD (nothing changes), delivered and read → DELIVRD (read
 *        implies delivered; a second receipt changes nothing), failed → UNDELIV with
 *        errors[0].code.
 *        messages[]: text → its body; button (a template's quick reply) → its text;
 *        interactive button_reply / list_reply → its title. Other types (image, audio,
 *        location…) arrive as "[image]" so a person sees that something came.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BereikError } from '../../lib/errors.ts';
import type { DeliveryReceipt, InboundMessage, ReceiptState } from '../types.ts';

export function signWhatsAppBody(appSecret: string, body: string | Buffer): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(body).digest('hex');
}

/** Throws WA_WEBHOOK_UNSIGNED / WA_WEBHOOK_BAD_SIGNATURE unless the body was signed with the app secret. */
export function verifyWhatsAppSignature(appSecret: string, header: string | undefined, body: Buffer): void {
  if (!header) throw new BereikError('WA_WEBHOOK_UNSIGNED', 'the header X-Hub-Signature-256 (sha256=<hex HMAC-SHA256 of the raw body with the app secret>) is required');
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) throw new BereikError('WA_WEBHOOK_BAD_SIGNATURE', 'X-Hub-Signature-256 must be sha256= followed by 64 hex digits');
  const expected = createHmac('sha256', appSecret).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'))) {
    throw new BereikError('WA_WEBHOOK_BAD_SIGNATURE', "X-Hub-Signature-256 does not match the body: Meta signs the raw body with the app's secret (whatsapp.appSecret)");
  }
}

export interface WhatsAppWebhookEvents {
  receipts: DeliveryReceipt[];
  /** With the time the handset wrote (clock ms), for the 24-hour window. */
  inbound: Array<InboundMessage & { atMs: number; providerId: string }>;
}

type Obj = Record<string, unknown>;

function malformed(where: string, why: string): never {
  throw new BereikError('WA_WEBHOOK_MALFORMED', `${where}: ${why}`);
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) malformed(where, 'expected an object');
  return v;
}
function arr(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) malformed(where, 'expected an array');
  if (v.length > 1000) malformed(where, 'more than 1,000 entries');
  return v;
}
function str(v: unknown, where: string, max = 4096): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) malformed(where, `expected text of 1 to ${max} characters`);
  return v;
}
function digits(v: unknown, where: string): string {
  const s = str(v, where, 20);
  if (!/^\d{6,15}$/.test(s)) malformed(where, 'expected a phone number in digits (wa_id)');
  return s;
}
function unixSeconds(v: unknown, where: string): number {
  const s = str(v, where, 12);
  if (!/^\d{1,12}$/.test(s)) malformed(where, 'expected unix seconds');
  return Number(s) * 1000;
}

const STATUS: Record<string, ReceiptState> = { sent: 'ACCEPTD', delivered: 'DELIVRD', read: 'DELIVRD', failed: 'UNDELIV' };

/** The receipts and inbound messages in one webhook body (already parsed JSON). Throws WA_WEBHOOK_MALFORMED. */
export function readWhatsAppWebhook(body: unknown): WhatsAppWebhookEvents {
  const root = obj(body, 'body');
  if (root.object !== 'whatsapp_business_account') malformed('body/object', 'expected "whatsapp_business_account"');
  const out: WhatsAppWebhookEvents = { receipts: [], inbound: [] };
  arr(root.entry, 'body/entry').forEach((e, i) => {
    const entry = obj(e, `body/entry/${i}`);
    arr(entry.changes, `body/entry/${i}/changes`).forEach((c, j) => {
      const where = `body/entry/${i}/changes/${j}`;
      const change = obj(c, where);
      if (change.field !== 'messages') return; // account updates, template reviews: not ours here
      const value = obj(change.value, `${where}/value`);
      const metadata = value.metadata === undefined ? {} : obj(value.metadata, `${where}/value/metadata`);
      const ours = metadata.display_phone_number === undefined ? '' : '+' + str(metadata.display_phone_number, `${where}/value/metadata/display_phone_number`, 30).replace(/\D/g, '');
      arr(value.statuses, `${where}/value/statuses`).forEach((s, k) => readStatus(obj(s, `${where}/value/statuses/${k}`), `${where}/value/statuses/${k}`, out));
      arr(value.messages, `${where}/value/messages`).forEach((m, k) => readMessage(obj(m, `${where}/value/messages/${k}`), `${where}/value/messages/${k}`, ours, out));
    });
  });
  return out;
}

function readStatus(s: Obj, where: string, out: WhatsAppWebhookEvents): void {
  const providerId = str(s.id, `${where}/id`, 200);
  const status = str(s.status, `${where}/status`, 40);
  const state = STATUS[status];
  if (!state) malformed(`${where}/status`, `expected sent, delivered, read or failed, got ${JSON.stringify(status.slice(0, 40))}`);
  const at = s.timestamp === undefined ? undefined : unixSeconds(s.timestamp, `${where}/timestamp`);
  let errorCode = '000';
  if (state === 'UNDELIV') {
    const first = arr(s.errors, `${where}/errors`)[0];
    if (first !== undefined) {
      const code = obj(first, `${where}/errors/0`).code;
      if (typeof code !== 'number' || !Number.isInteger(code)) malformed(`${where}/errors/0/code`, 'expected a whole number');
      errorCode = `WA_${code}`;
    } else errorCode = 'WA_FAILED';
  }
  out.receipts.push({ channel: 'whatsapp', providerId, state, errorCode, ...(at !== undefined ? { doneAt: new Date(at).toISOString() } : {}) });
}

function readMessage(m: Obj, where: string, ours: string, out: WhatsAppWebhookEvents): void {
  const from = '+' + digits(m.from, `${where}/from`);
  const providerId = str(m.id, `${where}/id`, 200);
  const atMs = unixSeconds(m.timestamp, `${where}/timestamp`);
  const type = str(m.type, `${where}/type`, 40);
  let body: string;
  if (type === 'text') body = str(obj(m.text, `${where}/text`).body, `${where}/text/body`);
  else if (type === 'button') body = str(obj(m.button, `${where}/button`).text, `${where}/button/text`, 256);
  else if (type === 'interactive') {
    const i = obj(m.interactive, `${where}/interactive`);
    const reply = i.button_reply ?? i.list_reply;
    body = str(obj(reply, `${where}/interactive/button_reply`).title, `${where}/interactive/button_reply/title`, 256);
  } else body = `[${type.replace(/[^a-z_]/g, '')}]`;
  out.inbound.push({ channel: 'whatsapp', from, to: ours, body, atMs, providerId });
}
