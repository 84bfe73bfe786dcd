/**
 * A payment as read from any source (CSV row, CAMT.053 entry, webhook), before matching:
 * what the matching rules (match.ts) and the store need, nothing source-specific.
 */
import type { PaymentFacts } from '../store/payments.ts';
import type { PaymentSource } from '../store/types.ts';

/** kind 'reversal': a storno taking an earlier payment back. */
export interface PaymentEntry extends PaymentFacts {
  /** An invoice number given as such (a CSV column, the webhook). */
  invoiceRef: string | null;
  /** A debiteurnummer given as such (a CSV column). */
  debtorRef: string | null;
  /** A claim named directly (the webhook). */
  claimId: number | null;
  /** Where in the file (line, or statement/entry/transaction), for reports. */
  where: string;
}

/** An entry that could not be read: where, which field, the value, why. */
export interface RejectedEntry {
  /** CSV line number, or null for XML (see where). */
  line: number | null;
  where: string;
  column: string | null;
  value: string | null;
  reason: string;
}

/** An entry read but not a payment to us (a debit of ours, a pending booking), counted and skipped. */
export interface IgnoredEntry {
  where: string;
  reason: string;
}

export interface EntrySink {
  entry(e: PaymentEntry): void;
  reject(r: RejectedEntry): void;
  ignore(i: IgnoredEntry): void;
}

/** An entry with every optional field empty: parsers fill in what their source has. */
export function blankEntry(source: PaymentSource, where: string): Omit<PaymentEntry, 'externalId' | 'amountCents' | 'bookedOn'> {
  return {
    source, kind: 'payment', currency: 'EUR', valueDate: null, endToEndId: null, paymentReference: null, description: null,
    invoiceRef: null, debtorRef: null, claimId: null, counterpartyName: null, counterpartyIban: null, returnReason: null, where,
  };
}
