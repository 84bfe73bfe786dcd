/**
 * Checked rows between pass 1 and pass 2, one JSON array per line in a temporary file,
 * so memory does not grow with the file. Only the fields pass 2 writes are kept.
 */
import type { ImportRow } from './row.ts';

export type SpilledRow = Omit<ImportRow, 'line'>;

export function serialise(r: ImportRow): string {
  return JSON.stringify([r.debtorRef, r.name, r.email, r.language, r.risk, r.amountCents, r.invoiceRef, r.dueDate, r.creditor, r.payUrl, r.phones]) + '\n';
}

export function deserialise(line: string): SpilledRow {
  const a = JSON.parse(line) as [string, string, string | null, ImportRow['language'], ImportRow['risk'], number, string, string | null, string, string | null, string[]];
  return { debtorRef: a[0], name: a[1], email: a[2], language: a[3], risk: a[4], amountCents: a[5], invoiceRef: a[6], dueDate: a[7], creditor: a[8], payUrl: a[9], phones: a[10] };
}
