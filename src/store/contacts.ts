/** Contacts: a claim to be worked in a campaign (campaign × claim), as the import creates and the API lists them. */
import type { Statement } from 'better-sqlite3';
import { statement, type Db } from './db.ts';
import { appendEvent } from './events.ts';
import { CONTACT_STATUSES, LIVE_CALL_SQL, type ContactStatus } from './types.ts';
import { callOfCreditors, creditorsParam } from './scope-sql.ts';
import { STAGE } from './imports.ts';


export interface ContactListItem {
  id: number;
  status: ContactStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastOutcome: string | null;
  result: string | null;
  debtorId: number;
  debtorRef: string;
  debtorName: string;
  language: string;
  risk: string;
  claimId: number;
  invoiceRef: string;
  creditor: string;
  amountCents: number;
  dueDate: string | null;
  claimStatus: string;
  /** The debtor's phones in preference order, E.164. */
  phones: string[];
}

/** A pending contact the dialer may call now, with what the policy needs to decide. */
export interface DueContact {
  id: number;
  campaignId: number;
  claimId: number;
  debtorId: number;
  attempts: number;
  nextAttemptAt: string | null;
  lastConversationAt: string | null;
  abandonedAt: string | null;
  timeZone: string;
}

/** How a contact's attempt ended, as the contact keeps it. */
export interface ContactAttemptEnd {
  status: ContactStatus;
  nextAttemptAt: string | null;
  lastOutcome: string;
  result: string | null;
  conversation: boolean;
  abandoned: boolean;
  messageHeard: boolean;
}

const DUE_COLUMNS = `c.id, c.campaign_id AS campaignId, c.claim_id AS claimId, c.debtor_id AS debtorId, c.attempts,
  c.next_attempt_at AS nextAttemptAt, c.last_conversation_at AS lastConversationAt, c.abandoned_at AS abandonedAt,
  d.time_zone AS timeZone`;
// Never-tried contacts (NULL) first, then by due time: two index range scans on
// contacts_due (campaign_id, status, next_attempt_at), so contacts deferred to later
// are never read. Ties go by rowid (import order).
const DUE_NEW = `SELECT ${DUE_COLUMNS} FROM contacts c JOIN debtors d ON d.id = c.debtor_id
          WHERE c.campaign_id = ? AND c.status = 'pending' AND c.next_attempt_at IS NULL AND c.paused_reason IS NULL ORDER BY c.id LIMIT ?`;
const DUE_TIMED = `SELECT ${DUE_COLUMNS} FROM contacts c JOIN debtors d ON d.id = c.debtor_id
          WHERE c.campaign_id = ? AND c.status = 'pending' AND c.next_attempt_at <= ? AND c.paused_reason IS NULL ORDER BY c.next_attempt_at, c.id LIMIT ?`;
// The same for an agent limited to creditors (previews): their claims only. Not the dialer's hot path.
const CLAIM_OF_CREDITORS = `AND EXISTS (SELECT 1 FROM claims k WHERE k.id = c.claim_id AND k.creditor IN (SELECT value FROM json_each(@creditors)))`;
const SCOPED_DUE_NEW = `SELECT ${DUE_COLUMNS} FROM contacts c JOIN debtors d ON d.id = c.debtor_id
          WHERE c.campaign_id = @campaign AND c.status = 'pending' AND c.next_attempt_at IS NULL AND c.paused_reason IS NULL ${CLAIM_OF_CREDITORS} ORDER BY c.id LIMIT @limit`;
const SCOPED_DUE_TIMED = `SELECT ${DUE_COLUMNS} FROM contacts c JOIN debtors d ON d.id = c.debtor_id
          WHERE c.campaign_id = @campaign AND c.status = 'pending' AND c.next_attempt_at <= @now AND c.paused_reason IS NULL ${CLAIM_OF_CREDITORS} ORDER BY c.next_attempt_at, c.id LIMIT @limit`;
const BY_MESSAGE = `UPDATE contacts SET status = ?, result = ?, attempts = attempts + 1, last_attempt_at = ?, last_outcome = 'message', updated_at = ?
          WHERE id = ? AND status = 'pending'`;
const DEFER = `UPDATE contacts SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`;
const CLOSE = `UPDATE contacts SET status = ?, result = ?, updated_at = ? WHERE id = ? AND status = 'pending'`;
const TAKE = `UPDATE contacts SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = ?, updated_at = ?
          WHERE id = ? AND status = 'pending'`;
// A claim paid while its call was on the line: the contact closes instead of waiting for another attempt.
const END_ATTEMPT = `UPDATE contacts SET
                status = CASE WHEN @status = 'pending' AND (SELECT k.status FROM claims k WHERE k.id = contacts.claim_id) = 'paid' THEN 'done' ELSE @status END,
                next_attempt_at = @nextAttemptAt, last_outcome = @lastOutcome,
                result = CASE WHEN @status = 'pending' AND (SELECT k.status FROM claims k WHERE k.id = contacts.claim_id) = 'paid' THEN 'paid' ELSE COALESCE(@result, result) END,
                last_conversation_at = CASE WHEN @conversation THEN @at ELSE last_conversation_at END,
                abandoned_at = CASE WHEN @abandoned THEN @at ELSE abandoned_at END,
                message_heard_at = CASE WHEN @messageHeard THEN COALESCE(message_heard_at, @at) ELSE message_heard_at END,
                updated_at = @at
          WHERE id = @contactId AND status = 'in_progress'`;
const ORPHANS = `SELECT co.id FROM contacts co WHERE co.status = 'in_progress'
            AND NOT EXISTS (SELECT 1 FROM calls ca WHERE ca.contact_id = co.id AND ca.state IN ${LIVE_CALL_SQL})`;
const RELEASE = `UPDATE contacts SET status = 'pending', next_attempt_at = ?, last_outcome = 'interrupted', updated_at = ?
          WHERE id = ? AND status = 'in_progress'`;
const BY_STATUS = `SELECT status, COUNT(*) AS n FROM contacts WHERE campaign_id = ? GROUP BY status`;
const ONLY_OF = `SELECT
  (SELECT 1 FROM contacts ct JOIN claims k ON k.id = ct.claim_id WHERE ct.campaign_id = :campaign AND k.creditor IN (SELECT value FROM json_each(:creditors)) LIMIT 1) AS mine,
  (SELECT 1 FROM contacts ct JOIN claims k ON k.id = ct.claim_id WHERE ct.campaign_id = :campaign AND k.creditor NOT IN (SELECT value FROM json_each(:creditors)) LIMIT 1) AS others`;
// Through claims_by_creditor and the (campaign_id, claim_id) key: one probe per claim of theirs, stopping at the first.
const HOLDS = `SELECT EXISTS (SELECT 1 FROM contacts ct JOIN claims k ON k.id = ct.claim_id
  WHERE ct.campaign_id = :campaign AND k.creditor IN (SELECT value FROM json_each(:creditors))) AS yes`;
// Kept per creditor by migration 020's triggers: counting the campaign's contacts cost ~80 ms per 200,000.
const SCOPED_BY_STATUS = `SELECT status, sum(n) AS n FROM contact_rollup_by_creditor
  WHERE campaign_id = :campaign AND creditor IN (SELECT value FROM json_each(:creditors)) GROUP BY status`;

export class ContactStore {
  private staged?: { upsert: Statement; phones?: Statement };

  constructor(private readonly db: Db) {}

  /** Prepared on first use: the staging tables exist once an import has created them (ImportStage). */
  private stagedStatements() {
    if (!this.staged) {
      // A contact already being worked keeps its attempts and status; the import only notes it saw it again.
      const upsert = this.db.prepare(
        `INSERT INTO contacts (campaign_id, claim_id, debtor_id, import_id, created_at, updated_at)
         SELECT @campaignId, k.id, d.id, @importId, @now, @now
         FROM ${STAGE} s CROSS JOIN debtors d ON d.external_ref = s.debtor_ref
           CROSS JOIN claims k ON k.debtor_id = d.id AND k.invoice_ref = s.invoice_ref
         WHERE true
         ON CONFLICT (campaign_id, claim_id) DO UPDATE SET import_id = excluded.import_id, updated_at = excluded.updated_at`,
      );
      this.staged = { upsert };
    }
    return this.staged;
  }

  /** Adds the claims of every row staged since the last flush to the campaign; their debtors and claims must be upserted first. */
  upsertStaged(campaignId: number, importId: number, now: string): void {
    this.stagedStatements().upsert.run({ campaignId, importId, now });
  }

  /** Keyset paging on id (cursor = last id seen), so deep pages stay fast. */
  /** creditors: only contacts whose claim is of one of them (null: every creditor). */
  list(campaignId: number, opts: { limit: number; after: number; status?: ContactStatus; creditors?: string[] | null }): ContactListItem[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.status, c.attempts, c.next_attempt_at AS nextAttemptAt, c.last_attempt_at AS lastAttemptAt,
                c.last_outcome AS lastOutcome, c.result, d.id AS debtorId, d.external_ref AS debtorRef, d.name AS debtorName,
                d.language, d.risk, k.id AS claimId, k.invoice_ref AS invoiceRef, k.creditor, k.amount_cents AS amountCents,
                k.due_date AS dueDate, k.status AS claimStatus,
                (SELECT group_concat(e164, ' ') FROM (SELECT e164 FROM phones p WHERE p.debtor_id = d.id ORDER BY position, id)) AS phones
         FROM contacts c JOIN debtors d ON d.id = c.debtor_id JOIN claims k ON k.id = c.claim_id
         WHERE c.campaign_id = @campaignId AND c.id > @after ${opts.status ? 'AND c.status = @status' : ''}
           ${opts.creditors?.length ? 'AND k.creditor IN (SELECT value FROM json_each(@creditors))' : ''}
         ORDER BY c.id LIMIT @limit`,
      )
      .all({ campaignId, after: opts.after, limit: opts.limit, status: opts.status, creditors: JSON.stringify(opts.creditors ?? []) }) as (Omit<ContactListItem, 'phones'> & { phones: string | null })[];
    return rows.map((r) => ({ ...r, phones: r.phones ? r.phones.split(' ') : [] }));
  }

  count(campaignId: number, status?: ContactStatus, creditors?: string[] | null): number {
    if (creditors?.length) {
      return (this.db
        .prepare(`SELECT count(*) AS n FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.campaign_id = @campaignId ${status ? 'AND c.status = @status' : ''}
          AND k.creditor IN (SELECT value FROM json_each(@creditors))`)
        .get({ campaignId, status, creditors: JSON.stringify(creditors) }) as { n: number }).n;
    }
    return this.db
      .prepare(`SELECT count(*) FROM contacts WHERE campaign_id = ? ${status ? 'AND status = ?' : ''}`)
      .pluck()
      .get(...(status ? [campaignId, status] : [campaignId])) as number;
  }

  /** The campaigns holding at least one claim of these creditors: what a token limited to them may see. */
  campaignsOf(creditors: string[]): Set<number> {
    // From the contacts counted per creditor (migration 020): a few rows per campaign, not every claim of theirs.
    const rows = statement(this.db, `SELECT DISTINCT campaign_id AS id FROM contact_rollup_by_creditor
      WHERE creditor IN (SELECT value FROM json_each(?)) AND n > 0`).all(JSON.stringify(creditors)) as { id: number }[];
    return new Set(rows.map((r) => r.id));
  }

  /** True when the campaign holds a claim of one of these creditors: one a token limited to them may see (campaignsOf, for one campaign). */
  holdsClaimOf(campaignId: number, creditors: readonly string[]): boolean {
    return (statement(this.db, HOLDS).get({ campaign: campaignId, creditors: JSON.stringify(creditors) }) as { yes: number }).yes === 1;
  }

  /**
   * True when the campaign holds claims and every one is of these creditors: its imports
   * (counts, errors, rejected rows that name no claim) are then theirs alone.
   */
  campaignOnlyOf(campaignId: number, creditors: readonly string[]): boolean {
    const row = statement(this.db, ONLY_OF).get({ campaign: campaignId, creditors: JSON.stringify(creditors) }) as { mine: number | null; others: number | null };
    return row.mine === 1 && row.others === null;
  }

  /** Pending contacts of a campaign that are due now, never-tried first; creditors: about their claims only. */
  due(campaignId: number, nowIso: string, limit: number, creditors: readonly string[] | null = null): DueContact[] {
    if (creditors?.length) {
      const args = { campaign: campaignId, now: nowIso, limit, creditors: JSON.stringify(creditors) };
      const fresh = statement(this.db, SCOPED_DUE_NEW).all(args) as DueContact[];
      if (fresh.length >= limit) return fresh;
      return fresh.concat(statement(this.db, SCOPED_DUE_TIMED).all({ ...args, limit: limit - fresh.length }) as DueContact[]);
    }
    const fresh = statement(this.db, DUE_NEW).all(campaignId, limit) as DueContact[];
    if (fresh.length >= limit) return fresh;
    return fresh.concat(statement(this.db, DUE_TIMED).all(campaignId, nowIso, limit - fresh.length) as DueContact[]);
  }

  /** Moves a contact that may not be called now to the policy's next time, with the reason in the event log. */
  defer(c: { campaignId: number; contactId: number }, untilIso: string, reason: string, nowIso: string): void {
    this.db.transaction(() => {
      if (statement(this.db, DEFER).run(untilIso, nowIso, c.contactId).changes === 0) return;
      appendEvent(this.db, { at: nowIso, kind: 'contact_deferred', campaignId: c.campaignId, contactId: c.contactId, data: { reason, until: untilIso } });
    })();
  }

  /** Closes a pending contact without a call (attempt caps reached, every phone invalid or on the do-not-call list). */
  close(c: { campaignId: number; contactId: number }, status: 'exhausted' | 'invalid' | 'dnc', reason: string, nowIso: string): void {
    this.db.transaction(() => {
      if (statement(this.db, CLOSE).run(status, reason, nowIso, c.contactId).changes === 0) return;
      appendEvent(this.db, { at: nowIso, kind: 'contact_closed', campaignId: c.campaignId, contactId: c.contactId, data: { status, reason } });
    })();
  }

  /** A message campaign's contact: done when its message is queued, or closed with why it cannot be. */
  settleByMessage(c: { campaignId: number; contactId: number }, status: 'done' | 'invalid' | 'dnc', result: string, nowIso: string): boolean {
    return this.db.transaction(() => {
      if (statement(this.db, BY_MESSAGE).run(status, result, nowIso, nowIso, c.contactId).changes === 0) return false;
      appendEvent(this.db, { at: nowIso, kind: 'contact_messaged', campaignId: c.campaignId, contactId: c.contactId, data: { status, result } });
      return true;
    })();
  }

  /** Pending → in progress for one more attempt; false when it is no longer pending (another tick or process took it). */
  take(contactId: number, nowIso: string): boolean {
    return statement(this.db, TAKE).run(nowIso, nowIso, contactId).changes === 1;
  }

  /** Writes how the attempt in progress ended; false when the contact is not in progress any more. */
  endAttempt(contactId: number, at: string, k: ContactAttemptEnd): boolean {
    return (
      statement(this.db, END_ATTEMPT).run({
        contactId,
        at,
        status: k.status,
        nextAttemptAt: k.nextAttemptAt,
        lastOutcome: k.lastOutcome,
        result: k.result,
        conversation: Number(k.conversation),
        abandoned: Number(k.abandoned),
        messageHeard: Number(k.messageHeard),
      }).changes === 1
    );
  }

  /** Contacts in progress without any live call row: put back to pending. Returns how many. */
  releaseOrphans(nextIso: string, nowIso: string): number {
    return this.db.transaction(() => {
      const ids = (statement(this.db, ORPHANS).all() as { id: number }[]).map((r) => r.id);
      for (const id of ids) statement(this.db, RELEASE).run(nextIso, nowIso, id);
      return ids.length;
    })();
  }

  /** A campaign's contacts by status (every status present, zero when none). */
  /** creditors: only the contacts about their claims (null: every contact). */
  countsByStatus(campaignId: number, creditors: readonly string[] | null = null): Record<ContactStatus, number> {
    const out = Object.fromEntries(CONTACT_STATUSES.map((s) => [s, 0])) as Record<ContactStatus, number>;
    const scope = creditorsParam(creditors);
    const rows = scope ? statement(this.db, SCOPED_BY_STATUS).all({ campaign: campaignId, creditors: scope }) : statement(this.db, BY_STATUS).all(campaignId);
    for (const r of rows as { status: ContactStatus; n: number }[]) out[r.status] = r.n;
    return out;
  }
}
