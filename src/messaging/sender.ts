/**
 * Who an SMS says it is from, as stored (`number:+3197010203040`, `number:4006`,
 * `alphanumeric:Incasso`) and as the channel takes it. A number can receive replies; an
 * alphanumeric sender cannot, so a message from one must not ask for a reply.
 */
import type { SmsSender } from './types.ts';

const ALPHA = /^[A-Za-z0-9 .&'-]{1,11}$/;
const NUMBER = /^(\+[1-9]\d{6,14}|\d{3,6})$/;

export type SenderCheck = { ok: true; sender: SmsSender } | { ok: false; reason: string };

/** Parses a stored or configured sender; the reason names what is wrong. */
export function parseSmsSender(text: string): SenderCheck {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const value = colon < 0 ? text : text.slice(colon + 1);
  if (kind === 'number') {
    if (!NUMBER.test(value)) return { ok: false, reason: `"${value}" is not an E.164 number or a short code of 3–6 digits` };
    return { ok: true, sender: { kind: 'number', value } };
  }
  if (kind === 'alphanumeric') {
    if (!ALPHA.test(value) || /^\d+$/.test(value)) return { ok: false, reason: `"${value}" is not an alphanumeric sender (1–11 letters, digits, space . & ' -; not only digits)` };
    return { ok: true, sender: { kind: 'alphanumeric', value } };
  }
  return { ok: false, reason: `"${text}" must start with number: or alphanumeric:` };
}

export function formatSmsSender(s: SmsSender): string {
  return `${s.kind}:${s.value}`;
}

/** Whether the debtor can answer a message from this sender. */
export function canReceiveReplies(s: SmsSender): boolean {
  return s.kind === 'number';
}
