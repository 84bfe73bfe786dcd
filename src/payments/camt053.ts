/**
 * ISO 20022 CAMT.053 (BankToCustomerStatement), as ING, Rabobank, ABN AMRO and the other
 * Dutch banks export it (versions .001.02 to .001.08): every booked entry (Stmt/Ntry) →
 * payments. Pure: text in, entries out, fed in chunks (XmlReader).
 *
 *   CRDT entry               → a payment; a batch (NtryDtls with several TxDtls) → one each
 *   DBIT with RtrInf, or
 *   DBIT with RvslInd true   → a reversal (storno) of an earlier payment: a returned direct
 *                              debit or a recalled transfer
 *   any other DBIT           → ignored: money we paid out is not a debtor's payment
 *   CRDT with RvslInd true   → ignored: it reverses a debit of ours
 *   Sts other than BOOK      → ignored: only booked money counts
 *
 * Per transaction: the betalingskenmerk is RmtInf/Strd/CdtrRefInf/Ref; free text is
 * RmtInf/Ustrd (an invoice number may be in it); the payer is RltdPties/Dbtr(/Pty)/Nm and
 * RltdPties/DbtrAcct/Id/IBAN. The id that makes an entry idempotent across overlapping
 * statements is the bank's own reference (TxDtls/Refs/AcctSvcrRef, else Ntry/AcctSvcrRef
 * with the transaction's place in a batch), prefixed by the account.
 */
import { createHash } from 'node:crypto';
import { findPaymentReference, parsePaymentReference } from '../campaigns/import/payment-reference.ts';
import { XmlReader, type XmlHandler } from './xml.ts';
import { type EntrySink, type IgnoredEntry, type PaymentEntry, type RejectedEntry } from './types.ts';

export class CamtFormatError extends Error {}

interface Tx {
  amt: string | null;
  ccy: string | null;
  cdtDbt: string | null;
  acctSvcrRef: string | null;
  endToEndId: string | null;
  debtorName: string | null;
  creditorName: string | null;
  debtorIban: string | null;
  creditorIban: string | null;
  ustrd: string[];
  strdRef: string | null;
  returned: boolean;
  returnReason: string | null;
  addtl: string | null;
}

interface Ntry {
  amt: string | null;
  ccy: string | null;
  cdtDbt: string | null;
  reversal: boolean;
  status: string | null;
  bookedOn: string | null;
  valueDate: string | null;
  acctSvcrRef: string | null;
  ntryRef: string | null;
  addtl: string | null;
  txs: Tx[];
}

const newTx = (): Tx => ({
  amt: null, ccy: null, cdtDbt: null, acctSvcrRef: null, endToEndId: null, debtorName: null, creditorName: null,
  debtorIban: null, creditorIban: null, ustrd: [], strdRef: null, returned: false, returnReason: null, addtl: null,
});
const newNtry = (): Ntry => ({
  amt: null, ccy: null, cdtDbt: null, reversal: false, status: null, bookedOn: null, valueDate: null, acctSvcrRef: null, ntryRef: null, addtl: null, txs: [],
});

/** Element paths (below Ntry, or below TxDtls) → what they set. */
const NTRY_FIELDS: Record<string, (n: Ntry, v: string) => void> = {
  Amt: (n, v) => (n.amt = v),
  CdtDbtInd: (n, v) => (n.cdtDbt = v),
  RvslInd: (n, v) => (n.reversal = v === 'true' || v === '1'),
  Sts: (n, v) => (n.status = v),
  'Sts/Cd': (n, v) => (n.status = v),
  'BookgDt/Dt': (n, v) => (n.bookedOn = v),
  'BookgDt/DtTm': (n, v) => (n.bookedOn = v.slice(0, 10)),
  'ValDt/Dt': (n, v) => (n.valueDate = v),
  'ValDt/DtTm': (n, v) => (n.valueDate = v.slice(0, 10)),
  AcctSvcrRef: (n, v) => (n.acctSvcrRef = v),
  NtryRef: (n, v) => (n.ntryRef = v),
  AddtlNtryInf: (n, v) => (n.addtl = v),
};
const TX_FIELDS: Record<string, (t: Tx, v: string) => void> = {
  'Refs/AcctSvcrRef': (t, v) => (t.acctSvcrRef = v),
  'Refs/EndToEndId': (t, v) => (t.endToEndId = v),
  Amt: (t, v) => (t.amt = v),
  'AmtDtls/TxAmt/Amt': (t, v) => (t.amt = v),
  CdtDbtInd: (t, v) => (t.cdtDbt = v),
  'RltdPties/Dbtr/Nm': (t, v) => (t.debtorName = v),
  'RltdPties/Dbtr/Pty/Nm': (t, v) => (t.debtorName = v),
  'RltdPties/Cdtr/Nm': (t, v) => (t.creditorName = v),
  'RltdPties/Cdtr/Pty/Nm': (t, v) => (t.creditorName = v),
  'RltdPties/DbtrAcct/Id/IBAN': (t, v) => (t.debtorIban = v),
  'RltdPties/CdtrAcct/Id/IBAN': (t, v) => (t.creditorIban = v),
  'RmtInf/Ustrd': (t, v) => void t.ustrd.push(v),
  'RmtInf/Strd/CdtrRefInf/Ref': (t, v) => (t.strdRef = v),
  'RtrInf/Rsn/Cd': (t, v) => (t.returnReason = v),
  'RtrInf/Rsn/Prtry': (t, v) => (t.returnReason ??= v),
  AddtlTxInf: (t, v) => (t.addtl = v),
};
/** Currencies with two decimals are all this reader takes; an amount needs at most that many. */
const DECIMAL = /^(\d{1,13})(?:\.(\d{1,5}))?$/;

/** "1234.5" → 123450; null when not a plain non-negative decimal with at most two significant decimals. */
export function decimalToCents(v: string): number | null {
  const m = DECIMAL.exec(v.trim());
  if (!m) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 2) return null;
  return Number(m[1]) * 100 + Number(frac.padEnd(2, '0'));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a CAMT.053 document pushed in chunks; each booked entry goes to the sink as it
 * closes, so memory holds one entry at a time.
 */
export class Camt053Parser implements XmlHandler {
  private readonly xml = new XmlReader(this);
  private readonly path: string[] = [];
  /** Per open element: its path below the Ntry or TxDtls being read ('' outside one), built once on open. */
  private readonly keys: string[] = [];
  private chars = '';
  private stmtNo = 0;
  private ntryNo = 0;
  private account = '';
  private ntry: Ntry | null = null;
  private tx: Tx | null = null;
  /** Depth (path length) of the Ntry and TxDtls elements being read. */
  private ntryDepth = 0;
  private txDepth = 0;
  private namespaceChecked = false;

  constructor(private readonly sink: EntrySink) {}

  push(chunk: string): void {
    this.xml.push(chunk);
  }

  end(): void {
    this.xml.end();
    if (this.stmtNo === 0) throw new CamtFormatError('no statement (BkToCstmrStmt/Stmt) in the file');
  }

  open(name: string, attrs: Record<string, string>): void {
    if (!this.namespaceChecked) {
      this.namespaceChecked = true;
      const ns = attrs.xmlns ?? '';
      if (name !== 'Document' || (ns !== '' && !/camt\.053\./.test(ns))) {
        throw new CamtFormatError(`not a CAMT.053 bank statement: the root element is <${name}>${ns ? ` in namespace ${ns}` : ''}; expected <Document> in urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx`);
      }
    }
    const parentKey = this.keys.length ? this.keys[this.keys.length - 1]! : '';
    const anchored = this.ntry !== null && (this.path.length >= this.ntryDepth);
    this.path.push(name);
    this.keys.push(anchored ? (parentKey ? `${parentKey}/${name}` : name) : '');
    this.chars = '';
    const depth = this.path.length;
    if (name === 'Stmt' && depth === 3) {
      this.stmtNo++;
      this.ntryNo = 0;
      this.account = '';
    } else if (name === 'Ntry' && this.path[depth - 2] === 'Stmt') {
      this.ntry = newNtry();
      this.ntryNo++;
      this.ntryDepth = depth;
      this.keys[depth - 1] = '';
    } else if (name === 'TxDtls' && this.ntry) {
      this.tx = newTx();
      this.txDepth = depth;
      this.keys[depth - 1] = '';
    } else if (name === 'RtrInf' && this.tx) {
      this.tx.returned = true;
    } else if (name === 'Amt') {
      if (this.tx && (depth === this.txDepth + 1 || this.path[depth - 2] === 'TxAmt')) this.tx.ccy = attrs.Ccy ?? null;
      else if (this.ntry && !this.tx && depth === this.ntryDepth + 1) this.ntry.ccy = attrs.Ccy ?? null;
    }
  }

  text(t: string): void {
    this.chars += t;
  }

  close(name: string): void {
    const depth = this.path.length;
    const value = this.chars.trim();
    this.chars = '';
    const key = this.keys.pop()!;
    if (this.tx && depth > this.txDepth) {
      TX_FIELDS[key]?.(this.tx, value);
    } else if (this.tx && depth === this.txDepth) {
      this.ntry!.txs.push(this.tx);
      this.tx = null;
    } else if (this.ntry && depth > this.ntryDepth) {
      if (this.path[this.ntryDepth] !== 'NtryDtls') NTRY_FIELDS[key]?.(this.ntry, value);
    } else if (this.ntry && depth === this.ntryDepth) {
      this.finishEntry(this.ntry);
      this.ntry = null;
    } else if (depth === 6 && name === 'IBAN' && this.path[3] === 'Acct' && this.path[2] === 'Stmt') {
      this.account = value;
    }
    this.path.pop();
  }

  private finishEntry(n: Ntry): void {
    const where = `statement ${this.stmtNo}, entry ${this.ntryNo}`;
    const reject = (column: string, value: string | null, reason: string, at = where) =>
      this.sink.reject({ line: null, where: at, column, value, reason });
    const ignore = (reason: string) => this.sink.ignore({ where, reason } satisfies IgnoredEntry);
    if (n.status && n.status !== 'BOOK') return ignore(`status ${n.status}: not booked`);
    if (n.cdtDbt !== 'CRDT' && n.cdtDbt !== 'DBIT') return reject('CdtDbtInd', n.cdtDbt, 'must be CRDT or DBIT');
    const txs = n.txs.length ? n.txs : [newTx()];
    const reversal = n.cdtDbt === 'DBIT' && (n.reversal || txs.some((t) => t.returned));
    if (n.cdtDbt === 'DBIT' && !reversal) return ignore('a debit of ours, not a payment');
    if (n.cdtDbt === 'CRDT' && n.reversal) return ignore('reverses a debit of ours, not a payment');
    if (!n.bookedOn || !DATE.test(n.bookedOn)) return reject('BookgDt', n.bookedOn, 'booking date missing or not YYYY-MM-DD');
    const ntryCents = n.amt === null ? null : decimalToCents(n.amt);
    if (ntryCents === null || ntryCents === 0) return reject('Amt', n.amt, 'amount missing, zero or not a decimal with at most two decimals');
    txs.forEach((t, i) => {
      const at = txs.length > 1 ? `${where}, transaction ${i + 1}` : where;
      // One transaction without its own amount is the whole entry; in a batch each must say its own.
      const cents = t.amt !== null ? decimalToCents(t.amt) : txs.length === 1 ? ntryCents : null;
      if (cents === null || cents === 0) return reject('TxAmt', t.amt, 'amount missing, zero or not a decimal with at most two decimals', at);
      if (t.cdtDbt && t.cdtDbt !== n.cdtDbt) return this.sink.ignore({ where: at, reason: `a ${t.cdtDbt} transaction inside a ${n.cdtDbt} entry` });
      const currency = t.ccy ?? n.ccy ?? 'EUR';
      const structured = t.strdRef ? parsePaymentReference(t.strdRef) : null;
      const descriptionParts = [...t.ustrd];
      // A structured reference that is not a betalingskenmerk (an RF creditor reference) may still carry an invoice number.
      if (t.strdRef && !structured?.ok) descriptionParts.push(t.strdRef);
      if (!descriptionParts.length && (t.addtl ?? n.addtl)) descriptionParts.push((t.addtl ?? n.addtl)!);
      const description = descriptionParts.join(' ').trim() || null;
      const endToEndId = t.endToEndId && t.endToEndId !== 'NOTPROVIDED' ? t.endToEndId : null;
      // Written out rather than spread from blankEntry(): this runs once per payment of a 100 MB file.
      const entry: PaymentEntry = {
        source: 'camt053',
        where: at,
        invoiceRef: null,
        debtorRef: null,
        claimId: null,
        kind: reversal ? 'reversal' : 'payment',
        externalId: this.externalId(n, t, i, txs.length, cents),
        amountCents: cents,
        currency,
        bookedOn: n.bookedOn!,
        valueDate: n.valueDate && DATE.test(n.valueDate) ? n.valueDate : null,
        endToEndId,
        paymentReference: structured?.ok ? structured.value : description ? findPaymentReference(description) : null,
        description,
        // On a storno the bank names the original payer as debtor too; a plain credit's counterparty is its debtor.
        counterpartyName: t.debtorName ?? (reversal ? t.creditorName : null),
        counterpartyIban: t.debtorIban ?? (reversal ? t.creditorIban : null),
        returnReason: reversal ? (t.returnReason ?? (n.reversal ? 'RVSL' : null)) : null,
      };
      this.sink.entry(entry);
    });
  }

  private externalId(n: Ntry, t: Tx, i: number, count: number, cents: number): string {
    const account = this.account || 'account?';
    if (t.acctSvcrRef) return `${account}:${t.acctSvcrRef}`;
    const entryRef = n.acctSvcrRef ?? n.ntryRef;
    if (entryRef) return count > 1 ? `${account}:${entryRef}/${i + 1}` : `${account}:${entryRef}`;
    // No bank reference at all: a fingerprint of what the entry says, the same in every statement that repeats it.
    const fp = [n.bookedOn, n.cdtDbt, n.reversal, cents, t.endToEndId, t.strdRef, t.ustrd.join(' '), t.debtorIban, i].join('|');
    return `${account}:sha256:${createHash('sha256').update(fp).digest('hex').slice(0, 32)}`;
  }
}

/** Parses a whole CAMT.053 text (tests, small files). */
export function parseCamt053(text: string): { entries: PaymentEntry[]; rejected: RejectedEntry[]; ignored: IgnoredEntry[] } {
  const out = { entries: [] as PaymentEntry[], rejected: [] as RejectedEntry[], ignored: [] as IgnoredEntry[] };
  const p = new Camt053Parser({ entry: (e) => out.entries.push(e), reject: (r) => out.rejected.push(r), ignore: (i) => out.ignored.push(i) });
  p.push(text);
  p.end();
  return out;
}
