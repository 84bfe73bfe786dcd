/**
 * What the Graph API's answer to a send means for the outbox (SubmitResult). Pure.
 *
 * Meta's error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes):
 *   - retry: HTTP 429, or code 4 (app rate limit), 80007 (WABA rate limit), 130429 (Cloud API
 *     throughput), 131048 (spam rate limit), 131056 (too many messages to one number), and any
 *     5xx without one of the codes below (Meta's side is down: the message was not taken).
 *     A Retry-After header, when given, says how long to wait.
 *   - permanent, as WA_<code>: 131026 (the number cannot receive WhatsApp), 131047 (the
 *     24-hour window is closed: only a template may go), 132000–132015 (the template is
 *     missing, paused, its parameters do not match), 100 (invalid parameter), and any other
 *     4xx (a request Meta will refuse again unchanged).
 * An answer that is 2xx but carries no messages[0].id is uncertain: Meta may have queued it.
 */
import type { SubmitResult } from '../types.ts';

export const WA_RETRY_CODES = new Set([4, 80007, 130429, 131048, 131056]);
export const WA_PERMANENT_CODES = new Set([100, 131026, 131047, ...Array.from({ length: 16 }, (_, i) => 132000 + i)]);

export interface GraphAnswer {
  status: number;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  /** The Retry-After header, as sent. */
  retryAfter?: string | null;
  /** Now (clock ms), for a Retry-After given as a date. */
  nowMs: number;
}

interface GraphError {
  code?: unknown;
  message?: unknown;
  error_data?: { details?: unknown };
}

export function classifyGraphAnswer(a: GraphAnswer): SubmitResult {
  const body = (a.body && typeof a.body === 'object' ? a.body : {}) as { messages?: Array<{ id?: unknown }>; error?: GraphError };
  if (a.status >= 200 && a.status < 300) {
    const id = body.messages?.[0]?.id;
    if (typeof id === 'string' && id) return { ok: true, providerId: id, parts: 1 };
    return { ok: false, kind: 'uncertain', code: 'WA_NO_MESSAGE_ID', reason: `Graph answered ${a.status} without messages[0].id: it may have queued the message` };
  }
  const err = body.error ?? {};
  const code = typeof err.code === 'number' && Number.isInteger(err.code) ? err.code : undefined;
  const text = [typeof err.message === 'string' ? err.message : '', typeof err.error_data?.details === 'string' ? err.error_data.details : ''].filter(Boolean).join(': ').slice(0, 300);
  const reason = `Graph answered ${a.status}${code !== undefined ? ` with error ${code}` : ''}${text ? `: ${text}` : ''}`;
  const retryAfterMs = parseRetryAfter(a.retryAfter, a.nowMs);
  const retry = (c: string): SubmitResult => ({ ok: false, kind: 'retry', code: c, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  if (a.status === 429 || (code !== undefined && WA_RETRY_CODES.has(code))) return retry(code !== undefined ? `WA_${code}` : 'WA_HTTP_429');
  if (code !== undefined && WA_PERMANENT_CODES.has(code)) return { ok: false, kind: 'permanent', code: `WA_${code}`, reason };
  if (a.status >= 500) return retry(code !== undefined ? `WA_${code}` : `WA_HTTP_${a.status}`);
  return { ok: false, kind: 'permanent', code: code !== undefined ? `WA_${code}` : `WA_HTTP_${a.status}`, reason };
}

/** Retry-After: delta seconds (RFC 9110 also allows an HTTP date; Graph sends seconds). */
export function parseRetryAfter(v: string | null | undefined, nowMs: number): number | undefined {
  if (!v) return undefined;
  const s = v.trim();
  if (/^\d{1,7}$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
