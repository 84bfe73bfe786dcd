/**
 * The betalingskenmerk (Dutch structured payment reference, the "acceptgiro" number):
 * 16 digits, printed in groups (`1234 5678 9012 3456`). Spaces, dots and dashes a back
 * office or a bank adds are ignored; anything else is refused. Its check digit is not
 * verified: a reference is only ever compared with the ones stored on claims.
 */
import { bad, ok, type Parsed } from './result.ts';

export function parsePaymentReference(input: string): Parsed<string> {
  const digits = input.replace(/[\s.\-\u00a0]/g, '');
  if (!/^\d+$/.test(digits)) return bad('payment reference (betalingskenmerk) must be digits only');
  if (digits.length !== 16) return bad(`payment reference (betalingskenmerk) must have 16 digits, found ${digits.length}`);
  return ok(digits);
}

/** A betalingskenmerk written in free text (16 digits, alone or in groups of four): the first one found. */
export function findPaymentReference(text: string): string | null {
  const m = /(?<!\d)(\d{4}[ .]?\d{4}[ .]?\d{4}[ .]?\d{4})(?!\d)/.exec(text);
  return m ? m[1]!.replace(/[ .]/g, '') : null;
}
