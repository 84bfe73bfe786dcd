/**
 * Numbers and senders as SMPP addresses (TON/NPI, SMPP 3.4 §5.2.5–6). Pure.
 *   E.164 +31612345678      → TON 1 (international), NPI 1 (E.164), "31612345678"
 *   alphanumeric "Incasso"  → TON 5 (alphanumeric),  NPI 0 (unknown)
 *   short code "4411"       → TON 3 (network specific), NPI 0
 */
import type { SmsSender } from '../types.ts';
import { isGsm7 } from './gsm.ts';

export interface SmppAddress {
  ton: number;
  npi: number;
  addr: string;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

export function destinationAddress(e164: string): SmppAddress | string {
  if (!E164.test(e164)) return `destination ${JSON.stringify(e164.slice(0, 20))} is not an E.164 number`;
  return { ton: 1, npi: 1, addr: e164.slice(1) };
}

export function senderAddress(from: SmsSender): SmppAddress | string {
  if (from.kind === 'alphanumeric') {
    const v = from.value;
    if (v.length < 1 || v.length > 11) return `alphanumeric sender must be 1–11 characters, got ${v.length}`;
    if (!isGsm7(v) || /[\x00-\x1f]/.test(v)) return 'alphanumeric sender must be plain GSM characters';
    if (/^[0-9]+$/.test(v)) return 'an all-digit sender is a number, not an alphanumeric sender';
    return { ton: 5, npi: 0, addr: v };
  }
  if (E164.test(from.value)) return { ton: 1, npi: 1, addr: from.value.slice(1) };
  if (/^[0-9]{3,8}$/.test(from.value)) return { ton: 3, npi: 0, addr: from.value };
  return `sender number ${JSON.stringify(from.value.slice(0, 20))} is neither E.164 nor a short code`;
}

/** A handset's address from a deliver_sm as the rest of Bereik knows it: E.164 when international. */
export function fromSmppAddress(ton: number, addr: string): string {
  if (ton === 1 && /^[0-9]+$/.test(addr)) return `+${addr}`;
  return addr;
}
