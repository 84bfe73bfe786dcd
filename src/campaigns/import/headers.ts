/**
 * Recognises the columns of a campaign file from its header line: Dutch or English
 * names, any case and order, several phone columns (telefoon, telefoon2, mobiel, phone_2).
 */
import { BereikError } from '../../lib/errors.ts';

export type FieldName = 'debtor_ref' | 'name' | 'phone' | 'email' | 'language' | 'amount' | 'invoice_ref' | 'due_date' | 'risk' | 'creditor' | 'pay_url' | 'payment_reference';

const ALIASES: Record<string, FieldName> = {
  debiteurnummer: 'debtor_ref', debiteur: 'debtor_ref', debiteurnr: 'debtor_ref', klantnummer: 'debtor_ref',
  debtor_ref: 'debtor_ref', debtorref: 'debtor_ref', debtor_number: 'debtor_ref', debtor_id: 'debtor_ref', customer_ref: 'debtor_ref',
  naam: 'name', name: 'name', debtor_name: 'name',
  email: 'email', e_mail: 'email', emailadres: 'email',
  taal: 'language', language: 'language', lang: 'language',
  bedrag: 'amount', amount: 'amount', openstaand_bedrag: 'amount',
  factuurnummer: 'invoice_ref', factuur: 'invoice_ref', factuurnr: 'invoice_ref', invoice_ref: 'invoice_ref', invoice: 'invoice_ref', invoice_number: 'invoice_ref',
  vervaldatum: 'due_date', due_date: 'due_date', duedate: 'due_date',
  risico: 'risk', risk: 'risk',
  opdrachtgever: 'creditor', creditor: 'creditor', schuldeiser: 'creditor',
  betalingskenmerk: 'payment_reference', kenmerk: 'payment_reference', payment_reference: 'payment_reference', payment_ref: 'payment_reference',
  betaallink: 'pay_url', pay_url: 'pay_url', payment_link: 'pay_url', betaal_url: 'pay_url', pay_link: 'pay_url',
};
/** telefoon, telefoon2, telefoon_2, mobiel, phone, phone_2, mobile, gsm, tel … */
const PHONE = /^(?:telefoon|telefoonnummer|tel|mobiel|mobiel_nummer|gsm|phone|phone_number|mobile|telephone)_?\d*$/;

export const REQUIRED: FieldName[] = ['debtor_ref', 'name', 'phone', 'amount', 'invoice_ref'];

export interface HeaderMap {
  /** The header names as written in the file (for error reports and the rejects CSV). */
  names: string[];
  /** What each column holds; null for unnamed or unknown columns. */
  fields: (FieldName | null)[];
  /** Index of each single-valued field's column. */
  index: Partial<Record<Exclude<FieldName, 'phone'>, number>>;
  /** Phone columns in file order (first = preferred). */
  phones: number[];
  /** Columns with a name we do not use (imported files often carry extras). */
  ignored: string[];
  /** Columns without a name: they must stay empty. */
  unnamed: number[];
}

export function normaliseHeader(name: string): string {
  return name.replace(/^\ufeff/, '').trim().toLowerCase().replace(/[\s\-.]+/g, '_');
}

export function fieldOf(name: string): FieldName | null {
  const n = normaliseHeader(name);
  return ALIASES[n] ?? (PHONE.test(n) ? 'phone' : null);
}

const badFile = (message: string, details?: unknown) => new BereikError('IMPORT_BAD_FILE', message, details);

export function mapHeader(names: string[]): HeaderMap {
  const fields = names.map(fieldOf);
  const map: HeaderMap = { names, fields, index: {}, phones: [], ignored: [], unnamed: [] };
  // Trailing empty header cells (a trailing separator) are common and harmless.
  names.forEach((raw, i) => {
    const f = fields[i];
    if (f === 'phone') map.phones.push(i);
    else if (f) {
      if (map.index[f] !== undefined) throw badFile(`column '${raw.trim()}' appears twice in the header (both mean ${f})`, { line: 1, column: raw.trim() });
      map.index[f] = i;
    } else if (raw.trim() === '') map.unnamed.push(i);
    else map.ignored.push(raw.trim());
  });
  const known = fields.filter((f) => f !== null).length;
  if (known === 0) {
    throw badFile('no recognisable header on line 1: expected column names such as debiteurnummer;naam;telefoon;bedrag;factuurnummer (or debtor_ref,name,phone,amount,invoice_ref)', { line: 1 });
  }
  const missing = REQUIRED.filter((f) => (f === 'phone' ? map.phones.length === 0 : map.index[f] === undefined));
  if (missing.length > 0) {
    throw badFile(`missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, { line: 1, missing });
  }
  return map;
}
