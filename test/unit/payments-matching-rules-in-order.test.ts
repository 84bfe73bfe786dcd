import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPayment, invoiceTokens, type MatchLookups } from '../../src/payments/match.ts';
import type { ClaimCandidate } from '../../src/store/payments.ts';

const claim = (id: number, debtorId: number, invoiceRef: string, o: Partial<ClaimCandidate> = {}): ClaimCandidate =>
  ({ id, debtorId, invoiceRef, status: 'open', amountCents: 10_000, paidCents: 0, dueDate: null, ...o });
const CLAIMS = [
  claim(1, 10, 'F-100'),
  claim(2, 10, 'F-101'),
  claim(3, 20, 'F-100'), // the same invoice number at another debtor (another creditor)
  claim(4, 30, '2026001'),
  claim(5, 40, 'X-9', { status: 'paid' }),
];
const REFS: Record<string, number> = { '1111222233334444': 4 };
const DEBTORS: Record<string, number> = { 'D-10': 10, 'D-20': 20, 'D-50': 50 };

const lookups: MatchLookups = {
  claim: (id) => CLAIMS.find((c) => c.id === id),
  claimsByPaymentReference: (ref) => CLAIMS.filter((c) => REFS[ref] === c.id),
  claimsByInvoiceRef: (ref) => CLAIMS.filter((c) => c.invoiceRef === ref && c.status !== 'paid'),
  debtorByRef: (ref) => (DEBTORS[ref] === undefined ? undefined : { debtorId: DEBTORS[ref]!, openClaims: CLAIMS.filter((c) => c.debtorId === DEBTORS[ref] && c.status === 'open') }),
};
type Clues = { claimId: number | null; paymentReference: string | null; invoiceRef: string | null; debtorRef: string | null; description: string | null };
const none: Clues = { claimId: null, paymentReference: null, invoiceRef: null, debtorRef: null, description: null };

const CASES: Array<[string, Partial<Clues>, number | null, string]> = [
  ['betalingskenmerk wins over everything else', { paymentReference: '1111222233334444', description: 'F-101', debtorRef: 'D-20' }, 4, 'payment_reference'],
  ['an invoice number in the text, word-bounded', { description: 'betaling factuur 2026001 dank' }, 4, 'invoice_ref'],
  ['a longer number containing it is not it', { description: 'ref 20260011' }, null, ''],
  ['a number as part of a longer code is not it', { description: 'zie F-1000' }, null, ''],
  ['in lower case, as people type it', { description: 'factuur f-101' }, 2, 'invoice_ref'],
  ['an invoice number two debtors have: ambiguous, unmatched', { description: 'F-100' }, null, ''],
  ['… unless the debtor is known', { description: 'F-100', debtorRef: 'D-20' }, 3, 'invoice_ref'],
  ['two different open invoices named: ambiguous', { description: 'F-101 en 2026001' }, null, ''],
  ['the invoice column, restricted to the debtor', { invoiceRef: 'F-100', debtorRef: 'D-10' }, 1, 'invoice_ref'],
  ['only the debtor number: the oldest open claim', { debtorRef: 'D-10' }, 1, 'debtor_ref'],
  ['a paid claim is not paid again by its invoice number', { description: 'X-9' }, null, ''],
  ['an unknown debtor and no other clue', { debtorRef: 'D-99' }, null, ''],
  ['a debtor with nothing open', { debtorRef: 'D-50' }, null, ''],
  ['a claim named by id (the webhook)', { claimId: 2 }, 2, 'claim_id'],
];

for (const [name, entry, claimId, rule] of CASES) {
  test(`matching: ${name}`, () => {
    const r = matchPayment({ ...none, ...entry }, lookups);
    if (claimId === null) assert.equal(r.matched, false, JSON.stringify(r));
    else assert.deepEqual(r.matched && [r.claim.id, r.rule], [claimId, rule]);
  });
}

test('invoice tokens: codes with a digit, punctuation around them dropped', () => {
  assert.deepEqual(invoiceTokens('Factuur: F2026-0042, (ref 77) en nr.123/45.'), ['F2026-0042', 'nr.123/45', '123/45']);
});
