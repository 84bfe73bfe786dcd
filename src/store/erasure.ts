/**
 * Erasure and subject access (issue 17 §4, docs/data-protection.md). erase() removes or
 * anonymises every personal field of one debtor in every table in one transaction; what
 * aggregates count (claims' amounts and statuses, contacts' outcomes, calls' dispositions,
 * messages' channels and states, actions) stays, without a name, number or text. The
 * numbers and e-mail address survive only as salted SHA-256 hashes in erased_numbers, which a
 * trigger checks when an import brings them back (migration 016).
 *
 * secure_delete is on for the erasure, so SQLite zeroes the freed bytes instead of leaving
 * them in free pages; the caller checkpoints the WAL afterwards (eraseAndCheckpoint).
 */
import { numberHash, statement, type Db } from './db.ts';
import { applyRetention, type RetentionKind, type RetentionLimits } from './retention.ts';

/** Claims the creditor may still need the data for: open, promised, arranged, disputed. */
export const LEGALLY_OPEN_SQL = `('open', 'promised', 'arranged', 'disputed')`;

export interface ErasureCounts {
  phones: number;
  calls: number;
  messages: number;
  replies: number;
  importErrors: number;
  payments: number;
  dispositions: number;
  links: number;
  recordings: number;
}

export interface SubjectData {
  debtor: Record<string, unknown>;
  phones: Record<string, unknown>[];
  claims: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
  calls: Record<string, unknown>[];
  /** Recordings of their conversations with agents (the files come with the export on request: GET /recordings/calls/:id/file). */
  recordings: Record<string, unknown>[];
  dispositions: Record<string, unknown>[];
  callbacks: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  replies: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  optOuts: Record<string, unknown>[];
  doNotCall: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  accessLog: Record<string, unknown>[];
}

// By index only (calls_by_debtor, calls_by_contact): agent legs carry the debtor id too.
const CALLS_OF = `SELECT id FROM calls WHERE debtor_id = @d UNION SELECT id FROM calls WHERE contact_id IN (SELECT id FROM contacts WHERE debtor_id = @d)`;
const CLAIMS_OF = `SELECT id FROM claims WHERE debtor_id = @d`;

export class ErasureStore {
  constructor(private readonly db: Db) {}

  /** The debtor's id for a debtor number (external_ref), or undefined. */
  byRef(ref: string): number | undefined {
    return (statement(this.db, `SELECT id FROM debtors WHERE external_ref = ?`).get(ref) as { id: number } | undefined)?.id;
  }

  /** The debtor's claims that are legally still open (erasure is refused while there are any). */
  openClaims(debtorId: number): { id: number; creditor: string; status: string }[] {
    return this.db.prepare(`SELECT id, creditor, status FROM claims WHERE debtor_id = ? AND status IN ${LEGALLY_OPEN_SQL} ORDER BY id`).all(debtorId) as { id: number; creditor: string; status: string }[];
  }

  /** Erases one debtor in one transaction (see the header). Returns what was touched. */
  erase(debtorId: number, now: string): ErasureCounts {
    const db = this.db;
    db.pragma('secure_delete = ON');
    try {
      return db.transaction(() => {
        const d = { d: debtorId };
        const debtor = db.prepare(`SELECT external_ref AS ref, name, email FROM debtors WHERE id = ?`).get(debtorId) as { ref: string; name: string; email: string | null };
        const phones = (db.prepare(`SELECT e164 FROM phones WHERE debtor_id = ?`).all(debtorId) as { e164: string }[]).map((p) => p.e164);
        const invoices = (db.prepare(`SELECT invoice_ref AS r FROM claims WHERE debtor_id = ?`).all(debtorId) as { r: string }[]).map((c) => c.r);
        const addresses = [...phones, ...(debtor.email ? [debtor.email] : [])];
        const addrJson = JSON.stringify(addresses);
        const keep = db.prepare(`INSERT OR IGNORE INTO erased_numbers (hash, added_at) VALUES (?, ?)`);
        for (const a of addresses) keep.run(numberHash(db, a), now);

        const calls = db.prepare(`UPDATE calls SET from_number = NULL, to_number = NULL, dtmf_path = '', channel_id = NULL, hangup_text = NULL WHERE id IN (${CALLS_OF})`).run(d).changes;
        const dispositions = db.prepare(`UPDATE dispositions SET note = NULL WHERE claim_id IN (${CLAIMS_OF})`).run(d).changes;
        // Their voice: the rows go now, the files with the next sweep (src/recordings/calls.ts).
        const recordings = db.prepare(`DELETE FROM call_recordings WHERE debtor_id = @d OR call_id IN (${CALLS_OF})`).run(d).changes;
        db.prepare(`DELETE FROM callback_requests WHERE debtor_id = @d`).run(d);
        const messages = db.prepare(`UPDATE messages SET to_addr = '', body = '', subject = NULL, html = NULL, options = NULL, template = NULL, error = NULL, provider_id = NULL WHERE debtor_id = @d`).run(d).changes;
        const replies = db.prepare(`UPDATE inbound_messages SET from_addr = '', body = ''
          WHERE debtor_id = @d OR from_addr IN (SELECT value FROM json_each(@a))`).run({ ...d, a: addrJson }).changes;
        const links = db.prepare(`DELETE FROM message_links WHERE debtor_id = @d`).run(d).changes;
        db.prepare(`DELETE FROM opt_outs WHERE channel IN ('sms', 'whatsapp', 'email') AND address IN (SELECT value FROM json_each(?))`).run(addrJson);
        db.prepare(`DELETE FROM dnc WHERE e164 IN (SELECT value FROM json_each(?))`).run(addrJson);
        const payments = db.prepare(`UPDATE payments SET counterparty_name = NULL, counterparty_iban = NULL, description = NULL, payment_reference = NULL, end_to_end_id = NULL
          WHERE debtor_id = @d OR claim_id IN (${CLAIMS_OF})`).run(d).changes;
        const importErrors = this.eraseImportErrors([debtor.ref, debtor.name, ...invoices, ...addresses.flatMap(numberForms)]);
        db.prepare(`UPDATE claims SET invoice_ref = 'erased-' || id, pay_url = NULL, payment_reference = NULL, review_reason = NULL WHERE debtor_id = @d`).run(d);
        // Anonymised, not deleted: deleting would make SQLite look for calls.phone_id (ON DELETE
        // SET NULL) through the whole calls table, unindexed (~0.4 s per person at a million calls).
        const phoneRows = db.prepare(`UPDATE phones SET e164 = 'erased-' || id, status = 'invalid', updated_at = @now WHERE debtor_id = @d`).run({ ...d, now }).changes;
        db.prepare(`UPDATE debtors SET external_ref = 'erased-' || id, name = '', email = NULL, erased_at = @now, updated_at = @now WHERE id = @d`).run({ ...d, now });
        return { phones: phoneRows, calls, messages, replies, importErrors, payments, dispositions, links, recordings };
      })();
    } finally {
      db.pragma('secure_delete = FAST');
    }
  }

  /** Deletes or anonymises what has outlived its limit (src/store/retention.ts). */
  applyRetention(limits: RetentionLimits, now: number): Record<RetentionKind, number> {
    return applyRetention(this.db, limits, now);
  }

  /** Moves every WAL page into the database file and empties the WAL, so erased bytes are gone from both. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Import errors and rejected rows that quote the person: their raw CSV values are matched, not linked. */
  private eraseImportErrors(needles: string[]): number {
    const terms = [...new Set(needles.filter((n) => n && n.length >= 4))];
    if (!terms.length) return 0;
    return this.db
      .prepare(`DELETE FROM import_errors WHERE EXISTS (SELECT 1 FROM json_each(?) t WHERE instr(coalesce(import_errors.raw, ''), t.value) > 0 OR instr(coalesce(import_errors.value, ''), t.value) > 0)`)
      .run(JSON.stringify(terms)).changes;
  }

  /** Everything held about one person (subject-access request), for JSON and the HTML page. */
  subject(debtorId: number): SubjectData | undefined {
    const db = this.db;
    const debtor = db.prepare(`SELECT id, external_ref AS externalRef, name, email, language, risk, time_zone AS timeZone, created_at AS createdAt, updated_at AS updatedAt, erased_at AS erasedAt FROM debtors WHERE id = ?`).get(debtorId) as Record<string, unknown> | undefined;
    if (!debtor) return undefined;
    const d = { d: debtorId };
    const all = (sql: string, p: unknown = d) => db.prepare(sql).all(p) as Record<string, unknown>[];
    const phones = all(`SELECT e164, status, position, created_at AS createdAt FROM phones WHERE debtor_id = @d ORDER BY position`);
    const addresses = JSON.stringify([...phones.map((p) => p.e164 as string), ...(debtor.email ? [debtor.email as string] : [])]);
    return {
      debtor,
      phones,
      claims: all(`SELECT id, creditor, invoice_ref AS invoiceRef, amount_cents AS amountCents, paid_cents AS paidCents, currency, due_date AS dueDate, status, pay_url AS payUrl, payment_reference AS paymentReference, created_at AS createdAt FROM claims WHERE debtor_id = @d ORDER BY id`),
      contacts: all(`SELECT id, campaign_id AS campaignId, claim_id AS claimId, status, attempts, last_attempt_at AS lastAttemptAt, last_outcome AS lastOutcome, result FROM contacts WHERE debtor_id = @d ORDER BY id`),
      calls: all(`SELECT id, direction, created_at AS createdAt, from_number AS fromNumber, to_number AS toNumber, disposition, dtmf_path AS keys, result, answered_at AS answeredAt, ended_at AS endedAt FROM calls WHERE id IN (${CALLS_OF}) ORDER BY created_at`),
      recordings: all(`SELECT id, call_id AS callId, agent_id AS agentId, campaign_id AS campaignId, state, duration_sec AS durationSec, started_at AS startedAt, ended_at AS endedAt FROM call_recordings WHERE debtor_id = @d ORDER BY started_at`),
      dispositions: all(`SELECT id, claim_id AS claimId, kind, promise_date AS promiseDate, amount_cents AS amountCents, callback_at AS callbackAt, note, created_at AS createdAt FROM dispositions WHERE claim_id IN (${CLAIMS_OF}) ORDER BY id`),
      callbacks: all(`SELECT id, claim_id AS claimId, reason, due_at AS dueAt, status, created_at AS createdAt FROM callback_requests WHERE debtor_id = @d ORDER BY id`),
      messages: all(`SELECT id, channel, to_addr AS toAddr, subject, body, status, created_at AS createdAt FROM messages WHERE debtor_id = @d ORDER BY id`),
      replies: all(`SELECT id, channel, from_addr AS fromAddr, body, intent, received_at AS receivedAt FROM inbound_messages WHERE debtor_id = @d ORDER BY id`),
      payments: all(`SELECT id, kind, amount_cents AS amountCents, currency, booked_on AS bookedOn, counterparty_name AS counterpartyName, counterparty_iban AS counterpartyIban, description, status FROM payments WHERE debtor_id = @d OR claim_id IN (${CLAIMS_OF}) ORDER BY id`),
      optOuts: all(`SELECT channel, address, source, created_at AS createdAt FROM opt_outs WHERE address IN (SELECT value FROM json_each(?))`, addresses),
      doNotCall: all(`SELECT e164, reason, added_at AS addedAt FROM dnc WHERE e164 IN (SELECT value FROM json_each(?))`, addresses),
      actions: all(`SELECT id, action, channel, planned_for AS plannedFor, status, executed_at AS executedAt FROM actions WHERE debtor_id = @d ORDER BY id`),
      // Art. 15(1)(c): who saw their data. Token names and roles, not addresses of staff.
      accessLog: all(`SELECT at, token_name AS who, role, access FROM audit_log WHERE debtor_id = @d ORDER BY id`),
    };
  }
}

/** The ways a number may appear in a raw CSV value: E.164, without the plus, and Dutch national. */
export function numberForms(address: string): string[] {
  if (!address.startsWith('+')) return [address];
  const forms = [address, address.slice(1)];
  if (address.startsWith('+31')) forms.push('0' + address.slice(3));
  return forms;
}
