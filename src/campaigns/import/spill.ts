/**
 * Checked rows between pass 1 and pass 2, one JSON array per line in a temporary file,
 * so memory does not grow with the file. Only the fields pass 2 writes are kept, and
 * the file line (pass 2 skips the lines found to be duplicates after pass 1).
 */
import type { ImportRow } from './row.ts';

export type SpilledRow = ImportRow;

export function serialise(r: ImportRow): string {
  return JSON.stringify([r.line, r.debtorRef, r.name, r.email, r.language, r.risk, r.amountCents, r.invoiceRef, r.dueDate, r.creditor, r.payUrl, r.phones, r.paymentReference]) + '\n';
}

export function deserialise(text: string): SpilledRow {
  const a = JSON.parse(text) as [number, string, string, string | null, ImportRow['language'], ImportRow['risk'], number, string, string | null, string, string | null, string[], string | null | undefined];
  return { line: a[0], debtorRef: a[1], name: a[2], email: a[3], language: a[4], risk: a[5], amountCents: a[6], invoiceRef: a[7], dueDate: a[8], creditor: a[9], payUrl: a[10], phones: a[11], paymentReference: a[12] ?? null };
}
