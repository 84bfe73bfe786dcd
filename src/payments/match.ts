/**
 * Which claim a payment pays: the rules in order, the first that gives exactly one claim
 * wins (docs/payments.md):
 *
 *   0. claim id        the webhook named the claim itself
 *   1. payment_reference  the betalingskenmerk (16 digits) of one claim
 *   2. invoice_ref     an invoice number given as such (CSV column, webhook), or found
 *                      word-bounded in the description, among the claims not yet paid —
 *                      the debtor's own when the debtor is known, else everyone's. Two
 *                      different claims found: ambiguous, unmatched (an operator decides)
 *   3. debtor_ref      the debiteurnummer given: that debtor's oldest open claim
 *
 * Pure: the lookups are passed in (the store answers them; tests pass tables).
 */
import type { ClaimCandidate } from '../store/payments.ts';
import type { PaymentMatchRule } from '../store/types.ts';
import type { PaymentEntry } from './types.ts';

export interface MatchLookups {
  claim(id: number): ClaimCandidate | undefined;
  claimsByPaymentReference(ref: string): ClaimCandidate[];
  claimsByInvoiceRef(invoiceRef: string): ClaimCandidate[];
  debtorByRef(ref: string): { debtorId: number; openClaims: ClaimCandidate[] } | undefined;
}

export type MatchResult =
  | { matched: true; claim: ClaimCandidate; rule: Exclude<PaymentMatchRule, 'manual'> }
  | { matched: false; reason: string; debtorId?: number };

/** Invoice numbers are codes with a digit in them; longer runs than this are not invoice numbers. */
const TOKEN = /[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]|[0-9]/g;
const MAX_TOKENS = 40;

/** Word-bounded candidates for an invoice number in free text: runs of letters, digits and - _ / . with a digit in them. */
export function invoiceTokens(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0];
    if (t.length > 40 || !/\d/.test(t)) continue;
    if (t.length >= 3) out.add(t);
    // "nr.123" and "fact.F-1": an abbreviation's dot glued to the number.
    if (t.includes('.')) for (const part of t.split('.')) if (part.length >= 3 && /\d/.test(part)) out.add(part);
    if (out.size >= MAX_TOKENS) break;
  }
  return [...out];
}

export function matchPayment(e: Pick<PaymentEntry, 'claimId' | 'paymentReference' | 'invoiceRef' | 'debtorRef' | 'description'>, l: MatchLookups): MatchResult {
  if (e.claimId !== null) {
    const c = l.claim(e.claimId);
    return c ? { matched: true, claim: c, rule: 'claim_id' } : { matched: false, reason: `claim ${e.claimId} does not exist` };
  }
  if (e.paymentReference) {
    const found = l.claimsByPaymentReference(e.paymentReference);
    if (found.length === 1) return { matched: true, claim: found[0]!, rule: 'payment_reference' };
    if (found.length > 1) return { matched: false, reason: 'the payment reference belongs to several claims' };
  }
  const debtor = e.debtorRef ? l.debtorByRef(e.debtorRef) : undefined;
  const ofDebtor = (cs: ClaimCandidate[]) => (debtor ? cs.filter((c) => c.debtorId === debtor.debtorId) : cs);
  if (e.invoiceRef) {
    const found = ofDebtor(l.claimsByInvoiceRef(e.invoiceRef));
    if (found.length === 1) return { matched: true, claim: found[0]!, rule: 'invoice_ref' };
    if (found.length > 1) return { matched: false, reason: 'the invoice number belongs to claims of several debtors' };
    if (debtor && debtor.openClaims.length === 0) return { matched: false, reason: 'the debtor has no open claim with this invoice number', debtorId: debtor.debtorId };
  }
  if (e.description) {
    const found = new Map<number, ClaimCandidate>();
    for (const t of invoiceTokens(e.description)) {
      for (const c of ofDebtor(l.claimsByInvoiceRef(t))) found.set(c.id, c);
      if (t !== t.toUpperCase()) for (const c of ofDebtor(l.claimsByInvoiceRef(t.toUpperCase()))) found.set(c.id, c);
    }
    if (found.size === 1) return { matched: true, claim: [...found.values()][0]!, rule: 'invoice_ref' };
    if (found.size > 1) return { matched: false, reason: `the description names ${found.size} open claims: ambiguous` };
  }
  if (debtor) {
    const oldest = debtor.openClaims[0];
    if (oldest) return { matched: true, claim: oldest, rule: 'debtor_ref' };
    return { matched: false, reason: 'the debtor has no open claim', debtorId: debtor.debtorId };
  }
  if (e.debtorRef) return { matched: false, reason: 'unknown debtor number' };
  return { matched: false, reason: 'no claim found by payment reference, invoice number or debtor number' };
}
