/**
 * Payments in (docs/payments.md): each bank entry, CSV row or webhook event once, by
 * (source, external id), and what it did to its claim.
 *
 * A payment and its effects are one transaction: the payment row, the claim's paid_cents
 * and status, and — when the claim is paid in full — its pending contacts closed (done,
 * result 'paid', so the dialer never takes them) and the queued messages about it
 * cancelled. A call already on the line is left alone; when it ends, its contact is closed
 * the same way (contacts.ts END_ATTEMPT). A reversal (storno) takes the amount back and
 * reopens a claim it had paid, with the contacts it had closed.
 */
import { statement, type Db } from './db.ts';
import { appendEvent } from './events.ts';
import { MessageStore } from './messages.ts';
import {
  OPEN_CLAIM_SQL,
  type ClaimStatus,
  type PaymentFileKind,
  type PaymentKind,
  type PaymentMatchRule,
  type PaymentSource,
  type PaymentStatus,
} from './types.ts';

/** A claim as matching sees it. */
export interface ClaimCandidate {
  id: number;
  debtorId: number;
  invoiceRef: string;
  status: ClaimStatus;
  amountCents: number;
  paidCents: number;
  dueDate: string | null;
}

/** What a bank entry, CSV row or webhook says about a payment (src/payments/types.ts PaymentEntry adds how it was read). */
export interface PaymentFacts {
  kind: PaymentKind;
  source: PaymentSource;
  /** Unique per source: the bank's entry reference, the PSP's event id, or a CSV row's fingerprint. */
  externalId: string;
  amountCents: number;
  currency: string;
  /** YYYY-MM-DD. */
  bookedOn: string;
  valueDate: string | null;
  endToEndId: string | null;
  /** Betalingskenmerk, 16 digits. */
  paymentReference: string | null;
  /** Free text (the transfer's description), where an invoice number may be found. */
  description: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  /** Storno: the bank's reason code. */
  returnReason: string | null;
}

export interface NewPayment extends PaymentFacts {
  claimId: number | null;
  debtorId: number | null;
  matchedBy: PaymentMatchRule | null;
  fileId: number | null;
}

export interface PaymentRow extends NewPayment {
  id: number;
  status: PaymentStatus;
  reversesId: number | null;
  overpaidCents: number;
  createdAt: string;
  updatedAt: string;
}

/** What a payment or reversal did to its claim. */
export interface ClaimEffect {
  claimId: number;
  status: ClaimStatus;
  amountCents: number;
  paidCents: number;
  becamePaid: boolean;
  reopened: boolean;
  overpaidCents: number;
  contactsClosed: number;
  contactsReopened: number;
  messagesCancelled: number;
}

export type RecordOutcome =
  | { kind: 'duplicate'; existing: PaymentRow }
  | { kind: 'recorded'; payment: PaymentRow; effect: ClaimEffect | null };

export interface PaymentFileRow {
  id: number;
  sha256: string;
  name: string | null;
  kind: PaymentFileKind;
  entries: number;
  matched: number;
  unmatched: number;
  duplicates: number;
  reversed: number;
  ignored: number;
  rejected: number;
  createdAt: string;
  completedAt: string | null;
}

export type PaymentFileCounts = Pick<PaymentFileRow, 'entries' | 'matched' | 'unmatched' | 'duplicates' | 'reversed' | 'ignored' | 'rejected'>;

export interface PaymentListFilter {
  status?: PaymentStatus;
  source?: PaymentSource;
  claimId?: number;
  debtorId?: number;
  fileId?: number;
  /** Booked on or after (YYYY-MM-DD). */
  from?: string;
  /** Booked on or before (YYYY-MM-DD). */
  to?: string;
  /** Rows with an id below this (paging, newest first). */
  beforeId?: number;
  limit?: number;
  /** Only payments credited to these creditors' claims (src/http/scope.ts); null or absent: every payment, unmatched ones too. */
  creditors?: readonly string[] | null;
}

/** A payment a token limited to :creditors (JSON array) may see: credited to one of their claims. Unmatched payments belong to nobody yet. */
const PAYMENT_IN_SCOPE = `claim_id IN (SELECT k.id FROM claims k WHERE k.creditor IN (SELECT value FROM json_each(@creditors)))`;

const COLUMNS = `id, kind, source, external_id AS externalId, amount_cents AS amountCents, currency, booked_on AS bookedOn,
  value_date AS valueDate, end_to_end_id AS endToEndId, payment_reference AS paymentReference, description,
  counterparty_name AS counterpartyName, counterparty_iban AS counterpartyIban, return_reason AS returnReason,
  claim_id AS claimId, debtor_id AS debtorId, matched_by AS matchedBy, status, reverses_id AS reversesId,
  overpaid_cents AS overpaidCents, file_id AS fileId, created_at AS createdAt, updated_at AS updatedAt`;
const CLAIM_COLUMNS = `id, debtor_id AS debtorId, invoice_ref AS invoiceRef, status, amount_cents AS amountCents, paid_cents AS paidCents, due_date AS dueDate`;
const FILE_COLUMNS = `id, sha256, name, kind, entries, matched, unmatched, duplicates, reversed, ignored, rejected, created_at AS createdAt, completed_at AS completedAt`;

const INSERT = `INSERT INTO payments (kind, source, external_id, amount_cents, currency, booked_on, value_date, end_to_end_id, payment_reference,
  description, counterparty_name, counterparty_iban, return_reason, claim_id, debtor_id, matched_by, status, file_id, created_at, updated_at)
  VALUES (@kind, @source, @externalId, @amountCents, @currency, @bookedOn, @valueDate, @endToEndId, @paymentReference, @description,
  @counterpartyName, @counterpartyIban, @returnReason, @claimId, @debtorId, @matchedBy, @status, @fileId, @at, @at)
  ON CONFLICT (source, external_id) DO NOTHING`;
const GET = `SELECT ${COLUMNS} FROM payments WHERE id = ?`;
const BY_EXTERNAL = `SELECT ${COLUMNS} FROM payments WHERE source = ? AND external_id = ?`;
const EXISTS = `SELECT 1 AS yes FROM payments WHERE source = ? AND external_id = ?`;

const CLAIM = `SELECT ${CLAIM_COLUMNS} FROM claims WHERE id = ?`;
const BY_PAYMENT_REFERENCE = `SELECT ${CLAIM_COLUMNS} FROM claims WHERE payment_reference = ?`;
// Paid and closed claims are left out: a second invoice with that number may be the open one.
const BY_INVOICE = `SELECT ${CLAIM_COLUMNS} FROM claims WHERE invoice_ref = ? AND status NOT IN ('paid', 'closed')`;
const DEBTOR_BY_REF = `SELECT id FROM debtors WHERE external_ref = ?`;
const OPEN_OF_DEBTOR = `SELECT ${CLAIM_COLUMNS} FROM claims WHERE debtor_id = ? AND status IN ${OPEN_CLAIM_SQL}
  ORDER BY due_date IS NULL, due_date, id`;

const CREDIT = `UPDATE claims SET paid_cents = paid_cents + ?, updated_at = ? WHERE id = ?`;
const DEBIT = `UPDATE claims SET paid_cents = max(paid_cents - ?, 0), updated_at = ? WHERE id = ?`;
const SET_STATUS = `UPDATE claims SET status = ?, updated_at = ? WHERE id = ?`;
const CLOSE_CONTACTS = `UPDATE contacts SET status = 'done', result = 'paid', updated_at = ? WHERE claim_id = ? AND status = 'pending'`;
// Only contacts payment closed come back; one closed by a call's own result stays closed.
const REOPEN_CONTACTS = `UPDATE contacts SET status = 'pending', result = NULL, next_attempt_at = ?, updated_at = ?
  WHERE claim_id = ? AND status = 'done' AND result = 'paid'`;
const SET_MATCH = `UPDATE payments SET claim_id = ?, debtor_id = ?, matched_by = ?, status = 'matched', updated_at = ? WHERE id = ? AND status = 'unmatched'`;
const SET_OVERPAID = `UPDATE payments SET overpaid_cents = ? WHERE id = ?`;
const MARK_REVERSED = `UPDATE payments SET status = 'reversed', updated_at = ? WHERE id = ? AND status = 'matched'`;
const LINK_REVERSAL = `UPDATE payments SET status = 'reversed', reverses_id = ?, claim_id = ?, debtor_id = ?, matched_by = ?, updated_at = ? WHERE id = ?`;
// The payment a storno takes back: the same SEPA end-to-end id, else the same reference and amount; newest first.
const ORIGINAL_BY_E2E = `SELECT ${COLUMNS} FROM payments WHERE end_to_end_id = ? AND kind = 'payment' AND status = 'matched'
  ORDER BY amount_cents = ? DESC, id DESC LIMIT 1`;
const ORIGINAL_BY_REFERENCE = `SELECT ${COLUMNS} FROM payments WHERE payment_reference = ? AND amount_cents = ? AND kind = 'payment'
  AND status = 'matched' ORDER BY id DESC LIMIT 1`;
const ORIGINAL_BY_CLAIM = `SELECT ${COLUMNS} FROM payments WHERE claim_id = ? AND amount_cents = ? AND kind = 'payment'
  AND status = 'matched' ORDER BY id DESC LIMIT 1`;

const FILE_BY_SHA = `SELECT ${FILE_COLUMNS} FROM payment_files WHERE sha256 = ?`;
const INSERT_FILE = `INSERT INTO payment_files (sha256, name, kind, created_at) VALUES (?, ?, ?, ?)`;
const FINISH_FILE = `UPDATE payment_files SET entries = @entries, matched = @matched, unmatched = @unmatched, duplicates = @duplicates,
  reversed = @reversed, ignored = @ignored, rejected = @rejected, completed_at = @at WHERE id = @id`;
const GET_FILE = `SELECT ${FILE_COLUMNS} FROM payment_files WHERE id = ?`;

const ACCEPT_SIGNATURE = `INSERT INTO payment_webhook_signatures (signature, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`;
const PRUNE_SIGNATURES = `DELETE FROM payment_webhook_signatures WHERE received_at < ?`;

export class PaymentStore {
  private readonly messages: MessageStore;

  constructor(private readonly db: Db) {
    this.messages = new MessageStore(db);
  }

  // ---- matching lookups -------------------------------------------------------------

  claim(id: number): ClaimCandidate | undefined {
    return statement(this.db, CLAIM).get(id) as ClaimCandidate | undefined;
  }

  /** Claims carrying this betalingskenmerk (normally one). */
  claimsByPaymentReference(ref: string): ClaimCandidate[] {
    return statement(this.db, BY_PAYMENT_REFERENCE).all(ref) as ClaimCandidate[];
  }

  /** Claims not yet paid or closed with this invoice number, of any debtor. */
  claimsByInvoiceRef(invoiceRef: string): ClaimCandidate[] {
    return statement(this.db, BY_INVOICE).all(invoiceRef) as ClaimCandidate[];
  }

  /** The debtor with this debiteurnummer and their open claims, oldest due first; undefined for an unknown debtor. */
  debtorByRef(ref: string): { debtorId: number; openClaims: ClaimCandidate[] } | undefined {
    const d = statement(this.db, DEBTOR_BY_REF).get(ref) as { id: number } | undefined;
    return d && { debtorId: d.id, openClaims: statement(this.db, OPEN_OF_DEBTOR).all(d.id) as ClaimCandidate[] };
  }

  // ---- payments ------------------------------------------------------------------------

  get(id: number): PaymentRow | undefined {
    return statement(this.db, GET).get(id) as PaymentRow | undefined;
  }

  /** True when a token limited to `creditors` may see this payment (see PAYMENT_IN_SCOPE). */
  visibleTo(id: number, creditors: readonly string[] | null): boolean {
    if (!creditors || !creditors.length) return true;
    return statement(this.db, `SELECT 1 FROM payments WHERE id = @id AND ${PAYMENT_IN_SCOPE}`).get({ id, creditors: JSON.stringify(creditors) }) !== undefined;
  }

  /** True when a token limited to `creditors` may see this claim: it is one of theirs. */
  claimVisibleTo(claimId: number, creditors: readonly string[] | null): boolean {
    if (!creditors || !creditors.length) return true;
    return statement(this.db, `SELECT 1 FROM claims WHERE id = @id AND creditor IN (SELECT value FROM json_each(@creditors))`).get({ id: claimId, creditors: JSON.stringify(creditors) }) !== undefined;
  }

  byExternalId(source: PaymentSource, externalId: string): PaymentRow | undefined {
    return statement(this.db, BY_EXTERNAL).get(source, externalId) as PaymentRow | undefined;
  }

  has(source: PaymentSource, externalId: string): boolean {
    return statement(this.db, EXISTS).get(source, externalId) !== undefined;
  }

  /** Newest first. */
  list(f: PaymentListFilter = {}): PaymentRow[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    const add = (sql: string, key: keyof PaymentListFilter) => {
      if (f[key] === undefined) return;
      where.push(sql);
      args[key] = f[key];
    };
    add('status = @status', 'status');
    add('source = @source', 'source');
    add('claim_id = @claimId', 'claimId');
    add('debtor_id = @debtorId', 'debtorId');
    add('file_id = @fileId', 'fileId');
    add('booked_on >= @from', 'from');
    add('booked_on <= @to', 'to');
    add('id < @beforeId', 'beforeId');
    if (f.creditors && f.creditors.length) (where.push(PAYMENT_IN_SCOPE), (args.creditors = JSON.stringify(f.creditors)));
    args.limit = Math.min(Math.max(f.limit ?? 100, 1), 1000);
    const sql = `SELECT ${COLUMNS} FROM payments ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT @limit`;
    return this.db.prepare(sql).all(args) as PaymentRow[];
  }

  /**
   * Records a payment once per (source, external id); a matched one is credited to its
   * claim in the same transaction. The same entry again (a file read twice, overlapping
   * statements, a webhook retried) changes nothing and says so.
   */
  record(p: NewPayment, at: string): RecordOutcome {
    return this.unit((): RecordOutcome => {
      const status: PaymentStatus = p.claimId !== null ? 'matched' : 'unmatched';
      const info = statement(this.db, INSERT).run({ ...p, status, at });
      if (info.changes === 0) return { kind: 'duplicate', existing: this.byExternalId(p.source, p.externalId)! };
      const id = Number(info.lastInsertRowid);
      const effect = p.claimId !== null ? this.credit(id, p.claimId, p.amountCents, at) : null;
      appendEvent(this.db, { at, kind: 'payment_received', data: { paymentId: id, source: p.source, claimId: p.claimId, matchedBy: p.matchedBy } });
      return { kind: 'recorded', payment: this.get(id)!, effect };
    });
  }

  /** An operator ties an unmatched payment to a claim. Undefined when the payment is not an unmatched payment (any more). */
  matchManually(paymentId: number, claimId: number, at: string): { payment: PaymentRow; effect: ClaimEffect } | undefined {
    return this.unit(() => {
      const p = this.get(paymentId);
      const claim = this.claim(claimId);
      if (!p || !claim || p.kind !== 'payment') return undefined;
      if (statement(this.db, SET_MATCH).run(claimId, claim.debtorId, 'manual', at, paymentId).changes === 0) return undefined;
      const effect = this.credit(paymentId, claimId, p.amountCents, at);
      appendEvent(this.db, { at, kind: 'payment_matched', data: { paymentId, claimId, matchedBy: 'manual' } });
      return { payment: this.get(paymentId)!, effect };
    });
  }

  /**
   * A storno: recorded once like a payment; the payment it takes back (same end-to-end id,
   * else same reference and amount, else same claim and amount) is marked reversed and its
   * amount taken off the claim, which reopens if it was paid. Without an original it stays
   * unmatched for an operator.
   */
  recordReversal(p: NewPayment, at: string): RecordOutcome & { original?: PaymentRow } {
    return this.unit((): RecordOutcome & { original?: PaymentRow } => {
      const info = statement(this.db, INSERT).run({ ...p, kind: 'reversal', claimId: null, debtorId: null, matchedBy: null, status: 'unmatched', at });
      if (info.changes === 0) return { kind: 'duplicate', existing: this.byExternalId(p.source, p.externalId)! };
      const id = Number(info.lastInsertRowid);
      const original = this.findOriginal(p);
      let effect: ClaimEffect | null = null;
      if (original && statement(this.db, MARK_REVERSED).run(at, original.id).changes === 1) {
        statement(this.db, LINK_REVERSAL).run(original.id, original.claimId, original.debtorId, original.matchedBy, at, id);
        if (original.claimId !== null) effect = this.debit(original.claimId, original.amountCents, at);
      }
      appendEvent(this.db, { at, kind: 'payment_reversed', data: { paymentId: id, reverses: original?.id ?? null, claimId: original?.claimId ?? null, reason: p.returnReason } });
      return { kind: 'recorded', payment: this.get(id)!, effect, ...(original ? { original: this.get(original.id)! } : {}) };
    });
  }

  private findOriginal(p: NewPayment): PaymentRow | undefined {
    if (p.endToEndId) {
      const o = statement(this.db, ORIGINAL_BY_E2E).get(p.endToEndId, p.amountCents) as PaymentRow | undefined;
      if (o) return o;
    }
    if (p.paymentReference) {
      const o = statement(this.db, ORIGINAL_BY_REFERENCE).get(p.paymentReference, p.amountCents) as PaymentRow | undefined;
      if (o) return o;
    }
    if (p.claimId !== null) return statement(this.db, ORIGINAL_BY_CLAIM).get(p.claimId, p.amountCents) as PaymentRow | undefined;
    return undefined;
  }

  /** Adds the amount to the claim; paid in full stops every action on it (inside the caller's transaction). */
  private credit(paymentId: number, claimId: number, amountCents: number, at: string): ClaimEffect {
    const before = this.claim(claimId)!;
    statement(this.db, CREDIT).run(amountCents, at, claimId);
    const paidCents = before.paidCents + amountCents;
    const overpaidCents = Math.max(0, paidCents - Math.max(before.amountCents, before.paidCents));
    if (overpaidCents > 0) {
      statement(this.db, SET_OVERPAID).run(overpaidCents, paymentId);
      appendEvent(this.db, { at, kind: 'claim_overpaid', data: { claimId, paymentId } });
    }
    const effect: ClaimEffect = {
      claimId, status: before.status, amountCents: before.amountCents, paidCents, becamePaid: false, reopened: false,
      overpaidCents, contactsClosed: 0, contactsReopened: 0, messagesCancelled: 0,
    };
    if (paidCents < before.amountCents || before.status === 'paid' || before.status === 'closed') return effect;
    statement(this.db, SET_STATUS).run('paid', at, claimId);
    effect.status = 'paid';
    effect.becamePaid = true;
    effect.contactsClosed = statement(this.db, CLOSE_CONTACTS).run(at, claimId).changes;
    effect.messagesCancelled = this.messages.cancelQueuedAboutClaim(claimId, before.debtorId, 'PAID', 'the claim was paid', at);
    appendEvent(this.db, { at, kind: 'claim_paid', data: { claimId, paymentId, contactsClosed: effect.contactsClosed, messagesCancelled: effect.messagesCancelled } });
    return effect;
  }

  /** Takes the amount off the claim; a paid claim no longer paid in full reopens with the contacts payment had closed. */
  private debit(claimId: number, amountCents: number, at: string): ClaimEffect {
    const before = this.claim(claimId)!;
    statement(this.db, DEBIT).run(amountCents, at, claimId);
    const paidCents = Math.max(before.paidCents - amountCents, 0);
    const effect: ClaimEffect = {
      claimId, status: before.status, amountCents: before.amountCents, paidCents, becamePaid: false, reopened: false,
      overpaidCents: 0, contactsClosed: 0, contactsReopened: 0, messagesCancelled: 0,
    };
    if (before.status !== 'paid' || paidCents >= before.amountCents) return effect;
    statement(this.db, SET_STATUS).run('open', at, claimId);
    effect.status = 'open';
    effect.reopened = true;
    effect.contactsReopened = statement(this.db, REOPEN_CONTACTS).run(at, at, claimId).changes;
    appendEvent(this.db, { at, kind: 'claim_reopened', data: { claimId, reason: 'payment_reversed', contactsReopened: effect.contactsReopened } });
    return effect;
  }

  // ---- files -------------------------------------------------------------------------

  fileBySha(sha256: string): PaymentFileRow | undefined {
    return statement(this.db, FILE_BY_SHA).get(sha256) as PaymentFileRow | undefined;
  }

  file(id: number): PaymentFileRow | undefined {
    return statement(this.db, GET_FILE).get(id) as PaymentFileRow | undefined;
  }

  /** The file's record: new, or the one a run that did not finish left (its entries are idempotent, so reading it again completes it). */
  startFile(f: { sha256: string; name: string | null; kind: PaymentFileKind }, at: string): PaymentFileRow {
    const existing = this.fileBySha(f.sha256);
    if (existing) return existing;
    const id = Number(statement(this.db, INSERT_FILE).run(f.sha256, f.name, f.kind, at).lastInsertRowid);
    return this.file(id)!;
  }

  finishFile(id: number, counts: PaymentFileCounts, at: string): PaymentFileRow {
    statement(this.db, FINISH_FILE).run({ id, ...counts, at });
    appendEvent(this.db, { at, kind: 'payment_file_read', data: { fileId: id, ...counts } });
    return this.file(id)!;
  }

  /** Runs work as one transaction (a batch of entries: one commit, not one per payment). */
  batch<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /**
   * One payment's writes as a unit: its own transaction, or — inside a batch — part of the
   * batch's, without a savepoint per payment (a failure aborts the whole batch anyway).
   */
  private unit<T>(work: () => T): T {
    return this.db.inTransaction ? work() : this.db.transaction(work)();
  }

  // ---- webhook replay protection ---------------------------------------------------

  /** True the first time a signature is seen; signatures received before `forgetBefore` are pruned. */
  acceptSignature(signature: string, at: string, forgetBefore: string): boolean {
    return this.db.transaction(() => {
      statement(this.db, PRUNE_SIGNATURES).run(forgetBefore);
      return statement(this.db, ACCEPT_SIGNATURE).run(signature, at).changes === 1;
    })();
  }
}
