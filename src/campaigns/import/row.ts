/**
 * One CSV record → a normalised debtor/claim row, or the list of what is wrong with it
 * (column as named in the file, the value, the reason). Pure: no I/O.
 */
import type { HeaderMap } from './headers.ts';
import { parseAmount } from './amounts.ts';
import { parseDate } from './dates.ts';
import type { PhoneNormaliser } from './phones.ts';
import { parsePaymentReference } from './payment-reference.ts';
import type { Language, Risk } from '../settings.ts';
import type { StagedRow } from '../../store/imports.ts';

/** A checked row: what the store stages (StagedRow), with typed enums and the line it came from. */
export interface ImportRow extends StagedRow {
  line: number;
  language: Language;
  risk: Risk;
}

export interface RowError {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

const RISKS: Record<string, Risk> = { laag: 'low', low: 'low', midden: 'medium', gemiddeld: 'medium', medium: 'medium', normaal: 'medium', hoog: 'high', high: 'high' };
const LANGUAGES: Record<string, Language> = { nl: 'nl', nederlands: 'nl', dutch: 'nl', en: 'en', engels: 'en', english: 'en' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_TEXT = 500;

/** A bad value is stored and answered with at most this many characters: a 100 MB field must not come back whole. */
export const MAX_VALUE_CHARS = 200;

/** The value, or its first MAX_VALUE_CHARS characters ending in '…' (never half a surrogate pair). */
export function clipValue(value: string): string {
  if (value.length <= MAX_VALUE_CHARS) return value;
  let end = MAX_VALUE_CHARS - 1;
  const c = value.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return value.slice(0, end) + '…';
}

export class RowReader {
  constructor(
    private readonly header: HeaderMap,
    private readonly phones: PhoneNormaliser,
    private readonly defaultLanguage: Language,
  ) {}

  private fields: string[] = [];
  private line = 0;
  private errors: RowError[] = [];

  private readonly err = (col: number | undefined, reason: string): void => {
    const c = col === undefined ? null : this.header.names[col]!.trim();
    this.errors.push({ line: this.line, column: c, value: col === undefined ? null : clipValue(this.fields[col] ?? ''), reason });
  };

  private readonly text = (col: number | undefined, required: string | false): string => {
    if (col === undefined) return '';
    const v = (this.fields[col] ?? '').trim();
    if (v === '' && required) this.err(col, `${required} is empty`);
    else if (v.length > MAX_TEXT) this.err(col, `longer than ${MAX_TEXT} characters`);
    return v;
  };

  /** The row, or undefined with errors pushed onto `errors`. */
  read(fields: string[], line: number, errors: RowError[]): ImportRow | undefined {
    const h = this.header;
    const before = errors.length;
    // Per-row state for the helpers below: they are methods, not closures, because this runs
    // a million times per large file and a closure per row shows up in the profile.
    this.fields = fields;
    this.line = line;
    this.errors = errors;
    const err = this.err;
    const text = this.text;
    const ix = h.index;
    const debtorRef = text(ix.debtor_ref, 'debtor number');
    const name = text(ix.name, 'name');
    const invoiceRef = text(ix.invoice_ref, 'invoice number');
    const creditor = text(ix.creditor, false);

    let amountCents = 0;
    const amount = parseAmount(fields[ix.amount!] ?? '');
    if (amount.ok) amountCents = amount.value;
    else err(ix.amount, amount.reason);

    let dueDate: string | null = null;
    const dueText = text(ix.due_date, false);
    if (dueText) {
      const d = parseDate(dueText);
      if (d.ok) dueDate = d.value;
      else err(ix.due_date, d.reason);
    }

    let risk: Risk = 'medium';
    const riskText = text(ix.risk, false).toLowerCase();
    if (riskText) {
      const r = RISKS[riskText];
      if (r) risk = r;
      else err(ix.risk, 'risk must be laag/midden/hoog or low/medium/high');
    }

    let language = this.defaultLanguage;
    const langText = text(ix.language, false).toLowerCase();
    if (langText) {
      const l = LANGUAGES[langText];
      if (l) language = l;
      else err(ix.language, 'language must be nl or en');
    }

    const email = text(ix.email, false) || null;
    if (email && !EMAIL.test(email)) err(ix.email, 'not an e-mail address');

    const payUrl = text(ix.pay_url, false) || null;
    if (payUrl && !/^https?:\/\/[^\s]+$/i.test(payUrl)) err(ix.pay_url, 'payment link must start with https:// or http://');

    let paymentReference: string | null = null;
    const refText = text(ix.payment_reference, false);
    if (refText) {
      const r = parsePaymentReference(refText);
      if (r.ok) paymentReference = r.value;
      else err(ix.payment_reference, r.reason);
    }

    const phones: string[] = [];
    let anyPhone = false;
    for (const col of h.phones) {
      const v = (fields[col] ?? '').trim();
      if (v === '') continue;
      anyPhone = true;
      const p = this.phones.normalise(v);
      if (!p.ok) err(col, p.reason);
      else if (!phones.includes(p.value)) phones.push(p.value);
    }
    if (!anyPhone) err(h.phones[0], 'no phone number: at least one phone column must be filled');

    if (errors.length > before) return undefined;
    return { line, debtorRef, name, email, language, risk, amountCents, invoiceRef, dueDate, creditor, payUrl, paymentReference, phones };
  }
}
