/**
 * The pay page's or PSP's webhook signature (docs/payments.md): HMAC-SHA256 with the shared
 * secret over `${timestamp}.${raw body}`, sent as
 *   X-Bereik-Timestamp: <unix seconds>
 *   X-Bereik-Signature: sha256=<hex>
 * accepted within 5 minutes of our clock either way, compared in constant time. Replays
 * of a signature inside that window are caught by the store (payments.acceptSignature).
 * Pure: headers, body, secret and the time in; a coded error out.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BereikError } from '../lib/errors.ts';

export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export function signWebhook(secret: string, timestamp: string, body: string | Buffer): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** Throws PAYMENT_WEBHOOK_* when the request is not signed with the secret, or signed too long ago (or ahead). */
export function verifyWebhook(o: { secret: string; timestamp: string | undefined; signature: string | undefined; body: Buffer; nowMs: number }): void {
  if (!o.timestamp || !o.signature) {
    throw new BereikError('PAYMENT_WEBHOOK_UNSIGNED', 'the headers X-Bereik-Timestamp (unix seconds) and X-Bereik-Signature (sha256=<hex HMAC of "timestamp.body">) are required');
  }
  if (!/^\d{1,12}$/.test(o.timestamp)) throw new BereikError('PAYMENT_WEBHOOK_STALE', `X-Bereik-Timestamp must be unix seconds, got ${JSON.stringify(o.timestamp.slice(0, 40))}`);
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(o.signature.trim());
  if (!m) throw new BereikError('PAYMENT_WEBHOOK_BAD_SIGNATURE', 'X-Bereik-Signature must be sha256= followed by 64 hex digits');
  const expected = createHmac('sha256', o.secret).update(`${o.timestamp}.`).update(o.body).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'))) {
    throw new BereikError('PAYMENT_WEBHOOK_BAD_SIGNATURE', 'X-Bereik-Signature does not match: sign "timestamp.body" (the raw body, byte for byte) with HMAC-SHA256 and the shared secret');
  }
  // Checked after the signature, so an unsigned caller learns nothing about our clock.
  const skewMs = Math.abs(o.nowMs - Number(o.timestamp) * 1000);
  if (skewMs > WEBHOOK_TOLERANCE_MS) {
    throw new BereikError('PAYMENT_WEBHOOK_STALE', `X-Bereik-Timestamp is ${Math.round(skewMs / 1000)} s away from our clock; at most ${WEBHOOK_TOLERANCE_MS / 1000} s is accepted`);
  }
}
