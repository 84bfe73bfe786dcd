/**
 * Payment CSVs from a back office or a bank's export: one payment per row, columns named
 * in Dutch or English in any order, `;` or `,` separated — read with the campaign import's
 * CSV reader, amounts and dates as the import reads them (1.234,56 · 31-12-2026).
 *
 *   required: amount (bedrag), date (datum, betaaldatum), and at least one of
 *             debtor_ref (debiteurnummer), invoice_ref (factuurnummer),
 *             payment_reference (betalingskenmerk)
 *   optional: description (omschrijving), name (naam), iban, currency (valuta),
 *             id (transactie_id): the payment's own id, which makes it idempotent
 *
 * Without an id column a row's id is a fingerprint of its fields and how often the same
 * row came before it in this file: the same export read twice, or two exports overlapping,
 * add nothing; two equal payments in one file count twice. Pure: text in, entries out.
 */
import { createHash } from 'node:crypto';
import { BereikError } from '../lib/errors.ts';
import { CsvReader, DelimiterError } from '../campaigns/import/csv.ts';
import { fieldOf, normaliseHeader } from '../campaigns/import/headers.ts';
import { parseAmount } from '../campaigns/import/amounts.ts';
import { parseDate } from '../campaigns/import/dates.ts';
import { parsePaymentReference } from '../campaigns/import/payment-reference.ts';
import { clipValue } from '../campaigns/import/row.ts';
import { blankEntry, type EntrySink, type PaymentEntry } from './types.ts';

type Column = 'debtor_ref' | 'invoice_ref' | 'payment_reference' | 'amount' | 'date' | 'description' | 'name' | 'iban' | 'currency' | 'id';

/** Names the campaign import does not know; the shared ones (debiteurnummer, bedrag…) come from its header map. */
const OWN: Record<string, Column> = {
  datum: 'date', date: 'date', betaaldatum: 'date', boekdatum: 'date', paid_on: 'date', payment_date: 'date', booked_on: 'date', valutadatum: 'date',
  omschrijving: 'description', description: 'description', mededeling: 'description', remittance: 'description',
  tegenrekening: 'iban', iban: 'iban', rekening: 'iban', counterparty_iban: 'iban',
  valuta: 'currency', currency: 'currency', munt: 'currency',
  id: 'id', transactie_id: 'id', transaction_id: 'id', payment_id: 'id', transactiereferentie: 'id',
  naam: 'name', name: 'name', tegenpartij: 'name', counterparty_name: 'name',
};

function columnOf(header: string): Column | null {
  const own = OWN[normaliseHeader(header)];
  if (own) return own;
  const shared = fieldOf(header);
  return shared === 'debtor_ref' || shared === 'invoice_ref' || shared === 'payment_reference' || shared === 'amount' ? shared : null;
}

const badFile = (message: string, details?: unknown) => new BereikError('PAYMENT_BAD_FILE', message, details);

export function parsePaymentCsv(text: string, sink: EntrySink): { delimiter: string; ignoredColumns: string[] } {
  let index: Partial<Record<Column, number>> | undefined;
  let names: string[] = [];
  const ignoredColumns: string[] = [];
  const seen = new Map<string, number>();

  const onHeader = (fields: string[]) => {
    names = fields.map((f) => f.replace(/^\ufeff/, '').trim());
    index = {};
    names.forEach((n, i) => {
      const c = columnOf(n);
      if (!c) return void (n && ignoredColumns.push(n));
      if (index![c] !== undefined) throw badFile(`column '${n}' appears twice in the header (both mean ${c})`, { line: 1, column: n });
      index![c] = i;
    });
    const missing = (['amount', 'date'] as const).filter((c) => index![c] === undefined);
    if (index.debtor_ref === undefined && index.invoice_ref === undefined && index.payment_reference === undefined) {
      missing.push('debtor_ref, invoice_ref or payment_reference' as never);
    }
    if (missing.length) {
      throw badFile(`missing required column${missing.length > 1 ? 's' : ''} on line 1: ${missing.join('; ')} (e.g. debiteurnummer;factuurnummer;bedrag;datum)`, { line: 1, missing });
    }
  };

  const onRow = (fields: string[], line: number) => {
    if (fields.every((f) => f.trim() === '')) return;
    const ix = index!;
    const get = (c: Column) => (ix[c] === undefined ? '' : (fields[ix[c]!] ?? '').trim());
    let bad = false;
    const reject = (c: Column, reason: string) => {
      bad = true;
      sink.reject({ line, where: `line ${line}`, column: names[ix[c]!] ?? c, value: clipValue(get(c)), reason });
    };
    const amount = parseAmount(get('amount'));
    if (!amount.ok) reject('amount', amount.reason);
    const date = parseDate(get('date'));
    if (!date.ok) reject('date', get('date') === '' ? 'date is empty' : date.reason);
    let paymentReference: string | null = null;
    if (get('payment_reference')) {
      const r = parsePaymentReference(get('payment_reference'));
      if (r.ok) paymentReference = r.value;
      else reject('payment_reference', r.reason);
    }
    const debtorRef = get('debtor_ref') || null;
    const invoiceRef = get('invoice_ref') || null;
    if (!debtorRef && !invoiceRef && !paymentReference && !bad) {
      bad = true;
      sink.reject({ line, where: `line ${line}`, column: null, value: null, reason: 'no debtor number, invoice number or payment reference: the payment cannot be matched' });
    }
    const currency = (get('currency') || 'EUR').toUpperCase();
    if (currency !== 'EUR') reject('currency', 'only EUR payments are read');
    if (bad || !amount.ok || !date.ok) return;
    const explicitId = get('id');
    let externalId: string;
    if (explicitId) externalId = `id:${explicitId}`;
    else {
      const fp = createHash('sha256').update([debtorRef, invoiceRef, paymentReference, amount.value, date.value, get('description'), get('iban')].join('\u001f')).digest('hex').slice(0, 32);
      const n = (seen.get(fp) ?? 0) + 1;
      seen.set(fp, n);
      externalId = `row:${fp}#${n}`;
    }
    const entry: PaymentEntry = {
      ...blankEntry('csv', `line ${line}`),
      externalId,
      amountCents: amount.value,
      bookedOn: date.value,
      paymentReference,
      invoiceRef,
      debtorRef,
      description: get('description') || null,
      counterpartyName: get('name') || null,
      counterpartyIban: get('iban').replace(/\s/g, '').toUpperCase() || null,
    };
    sink.entry(entry);
  };

  let rows = 0;
  const reader = new CsvReader({
    record: (fields, line) => {
      if (index === undefined) onHeader(fields);
      else (rows++, onRow(fields, line));
    },
    broken: (line, reason) => sink.reject({ line, where: `line ${line}`, column: null, value: null, reason }),
  });
  try {
    reader.push(text.replace(/^\ufeff/, ''));
    reader.end();
  } catch (err) {
    if (err instanceof DelimiterError) throw badFile(`not a payment CSV: ${err.message}`, { line: 1 });
    throw err;
  }
  if (index === undefined) throw badFile('the file is empty');
  if (rows === 0) throw badFile('the file has a header but no payments');
  return { delimiter: reader.delimiter ?? ';', ignoredColumns };
}
