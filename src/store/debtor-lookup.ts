/**
 * The operator console's read model of a debtor: search by debtor number, invoice, phone
 * (E.164, normalised by the caller) or name prefix, and one timeline of what happened to
 * them. Every query is an index lookup (migration 010 adds the last three indexes), and
 * every answer is one page: a search page, or a timeline page per cursor.
 */
import { statement, type Db } from './db.ts';
import { creditorsParam } from './scope-sql.ts';
import { OPEN_CLAIM_SQL, TIMELINE_KINDS, type PhoneStatus, type TimelineKind } from './types.ts';

export interface DebtorHit {
  id: number;
  externalRef: string;
  name: string;
  phones: string[];
  openClaims: number;
  openCents: number;
}

export interface DebtorProfile {
  id: number;
  externalRef: string;
  name: string;
  email: string | null;
  language: string;
  risk: string;
  phones: { e164: string; status: PhoneStatus; dnc: boolean }[];
  claims: { id: number; creditor: string; invoiceRef: string; amountCents: number; paidCents: number; currency: string; dueDate: string | null; status: string; open: boolean }[];
}

/** One thing that happened; `detail` carries the fields of its kind (see the route's description). */
export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  id: string;
  detail: Record<string, string | number | boolean | null>;
}

/** A page of a debtor's claims is all of them in practice; the cap keeps the answer one page. */
const MAX_CLAIMS = 100;

/** A debtor with a claim of one of :creditors (a JSON array), or any debtor when :creditors is NULL (src/http/scope.ts). */
const IN_SCOPE = (col: string) => `(:creditors IS NULL OR EXISTS (SELECT 1 FROM claims s WHERE s.debtor_id = ${col} AND s.creditor IN (SELECT value FROM json_each(:creditors))))`;

const SEARCH = `
  WITH hits(id) AS (
    SELECT id FROM debtors WHERE external_ref = :text
    UNION SELECT debtor_id FROM claims WHERE invoice_ref = :text
    UNION SELECT debtor_id FROM phones WHERE e164 = :e164
    UNION SELECT id FROM (SELECT id FROM debtors WHERE name >= :lo COLLATE NOCASE AND name < :hi COLLATE NOCASE AND ${IN_SCOPE('debtors.id')} ORDER BY name COLLATE NOCASE LIMIT :upto)
  )
  SELECT d.id, d.external_ref AS externalRef, d.name FROM hits JOIN debtors d ON d.id = hits.id WHERE ${IN_SCOPE('d.id')}
  ORDER BY d.name COLLATE NOCASE, d.id LIMIT :limit OFFSET :offset`;
const PHONES = `SELECT p.e164, p.status, EXISTS (SELECT 1 FROM dnc WHERE dnc.e164 = p.e164) AS dnc FROM phones p WHERE p.debtor_id = ? ORDER BY p.position, p.id`;
const CLAIM_IN_SCOPE = `(:creditors IS NULL OR creditor IN (SELECT value FROM json_each(:creditors)))`;
const OPEN = `SELECT count(*) AS n, coalesce(sum(amount_cents - paid_cents), 0) AS cents FROM claims WHERE debtor_id = :debtor AND status IN ${OPEN_CLAIM_SQL} AND ${CLAIM_IN_SCOPE}`;
const PROFILE = `SELECT id, external_ref AS externalRef, name, email, language, risk FROM debtors WHERE id = ?`;
const CLAIMS = `SELECT id, creditor, invoice_ref AS invoiceRef, amount_cents AS amountCents, paid_cents AS paidCents, currency, due_date AS dueDate, status,
  status IN ${OPEN_CLAIM_SQL} AS open FROM claims WHERE debtor_id = :debtor AND ${CLAIM_IN_SCOPE} ORDER BY open DESC, due_date IS NULL, due_date, id LIMIT ${MAX_CLAIMS}`;

/** A claim (alias) of one of :creditors, or any claim when :creditors is NULL. */
const CLAIM_OF_SCOPE = (alias: string) => `(:creditors IS NULL OR ${alias}.creditor IN (SELECT value FROM json_each(:creditors)))`;

/** Per kind: rows at or before :before, newest first, at most :limit. Each names its index in a comment. */
const SOURCES: Record<TimelineKind, string> = {
  // calls_by_debtor
  call: `SELECT c.created_at AS at, c.id, c.direction, c.campaign_id AS campaignId, c.from_number AS fromNumber, c.to_number AS toNumber, c.state, c.disposition,
      c.amd_status AS amd, c.dtmf_path AS keys, c.result, c.identity_confirmed AS identityConfirmed, c.message_heard AS messageHeard, a.name AS agent,
      CAST(round((julianday(c.ended_at) - julianday(c.answered_at)) * 86400) AS INTEGER) AS durationSec
    FROM calls c LEFT JOIN agents a ON a.id = c.agent_id WHERE c.debtor_id = :debtor AND c.created_at <= :before
      AND (:creditors IS NULL OR c.contact_id IS NULL OR c.contact_id IN (SELECT ct.id FROM contacts ct JOIN claims k ON k.id = ct.claim_id WHERE ct.debtor_id = :debtor AND ${CLAIM_OF_SCOPE('k')}))
    ORDER BY c.created_at DESC LIMIT :limit`,
  // messages_by_debtor
  message: `SELECT created_at AS at, id, channel, source, to_addr AS toAddr, status, substr(body, 1, 160) AS body, error FROM messages
    WHERE debtor_id = :debtor AND created_at <= :before
      AND (:creditors IS NULL OR claim_id IS NULL OR claim_id IN (SELECT k.id FROM claims k WHERE k.debtor_id = :debtor AND ${CLAIM_OF_SCOPE('k')}))
    ORDER BY created_at DESC LIMIT :limit`,
  // inbound_by_debtor
  reply: `SELECT received_at AS at, id, channel, from_addr AS fromAddr, intent, option_digit AS optionDigit, substr(body, 1, 160) AS body, status FROM inbound_messages
    WHERE debtor_id = :debtor AND received_at <= :before
      AND (:creditors IS NULL OR message_id IS NULL OR message_id IN (SELECT m.id FROM messages m WHERE m.debtor_id = :debtor
        AND (m.claim_id IS NULL OR m.claim_id IN (SELECT k.id FROM claims k WHERE k.debtor_id = :debtor AND ${CLAIM_OF_SCOPE('k')}))))
    ORDER BY received_at DESC LIMIT :limit`,
  // payments_by_claim, over the debtor's claims
  payment: `SELECT p.created_at AS at, p.id, p.kind, p.amount_cents AS amountCents, p.currency, p.booked_on AS bookedOn, p.status, cl.invoice_ref AS invoiceRef FROM payments p
    JOIN claims cl ON cl.id = p.claim_id WHERE cl.debtor_id = :debtor AND ${CLAIM_OF_SCOPE('cl')} AND p.created_at <= :before ORDER BY p.created_at DESC LIMIT :limit`,
  // dispositions_by_claim, over the debtor's claims
  disposition: `SELECT d.created_at AS at, d.id, d.kind, d.promise_date AS promiseDate, d.amount_cents AS amountCents, d.callback_at AS callbackAt, d.note, d.call_id AS callId,
      a.name AS agent, cl.invoice_ref AS invoiceRef
    FROM dispositions d JOIN claims cl ON cl.id = d.claim_id LEFT JOIN agents a ON a.id = d.agent_id
    WHERE cl.debtor_id = :debtor AND ${CLAIM_OF_SCOPE('cl')} AND d.created_at <= :before ORDER BY d.created_at DESC LIMIT :limit`,
  // the opt_outs and dnc primary keys, over the debtor's phones and e-mail address
  opt_out: `SELECT o.created_at AS at, o.channel || ':' || o.address AS id, o.channel, o.address, o.source FROM opt_outs o
    WHERE ((o.channel IN ('sms', 'whatsapp') AND o.address IN (SELECT e164 FROM phones WHERE debtor_id = :debtor))
       OR (o.channel = 'email' AND o.address = (SELECT email FROM debtors WHERE id = :debtor)))
      AND o.created_at <= :before ORDER BY o.created_at DESC LIMIT :limit`,
  dnc: `SELECT added_at AS at, e164 AS id, e164, reason FROM dnc WHERE e164 IN (SELECT e164 FROM phones WHERE debtor_id = :debtor) AND added_at <= :before
    ORDER BY added_at DESC LIMIT :limit`,
};

/** Newest first; ties on time by kind, then id, so a cursor names one place exactly. */
const key = (e: TimelineEntry) => `${e.at}|${e.kind}|${e.id}`;
/** Past every ISO time stored. */
const END = '9999';

/** The :creditors parameter: a JSON array, or NULL for every creditor. */
export const scopeParam = creditorsParam;

export class DebtorLookup {
  constructor(private readonly db: Db) {}

  /** One page of debtors matching `text` exactly as debtor number or invoice, `e164` as a phone, or `text` as the start of the name. */
  search(q: { text: string; e164: string | null; creditors?: string[] | null }, page: { limit: number; offset: number }): { items: DebtorHit[]; hasMore: boolean } {
    const upto = page.offset + page.limit + 1;
    const creditors = scopeParam(q.creditors);
    const rows = statement(this.db, SEARCH).all({ text: q.text, e164: q.e164, lo: q.text, hi: q.text + '\uffff', upto, limit: page.limit + 1, offset: page.offset, creditors }) as { id: number; externalRef: string; name: string }[];
    const items = rows.slice(0, page.limit).map((r) => {
      const open = statement(this.db, OPEN).get({ debtor: r.id, creditors }) as { n: number; cents: number };
      const phones = (statement(this.db, PHONES).all(r.id) as { e164: string }[]).map((p) => p.e164);
      return { ...r, phones, openClaims: open.n, openCents: open.cents };
    });
    return { items, hasMore: rows.length > page.limit };
  }

  /** Undefined when the debtor does not exist, or has no claim of the given creditors (null: any creditor). */
  profile(debtorId: number, creditors: string[] | null = null): DebtorProfile | undefined {
    const d = statement(this.db, PROFILE).get(debtorId) as Omit<DebtorProfile, 'phones' | 'claims'> | undefined;
    if (!d) return undefined;
    const scope = scopeParam(creditors);
    const phones = (statement(this.db, PHONES).all(debtorId) as { e164: string; status: PhoneStatus; dnc: number }[]).map((p) => ({ ...p, dnc: p.dnc === 1 }));
    const claims = (statement(this.db, CLAIMS).all({ debtor: debtorId, creditors: scope }) as (Omit<DebtorProfile['claims'][number], 'open'> & { open: number })[]).map((c) => ({ ...c, open: c.open === 1 }));
    if (scope !== null && !claims.length) return undefined;
    return { ...d, phones, claims };
  }

  /** One page of the timeline, newest first, strictly after `cursor` (the last entry's key of the page before). */
  /**
   * creditors: a token limited to them sees calls, messages, payments and dispositions about
   * their claims only (and what names no claim: inbound calls, replies, opt-outs).
   */
  timeline(debtorId: number, opts: { cursor?: string; limit: number; creditors?: string[] | null }): { entries: TimelineEntry[]; nextCursor: string | null } {
    const creditors = scopeParam(opts.creditors);
    const before = opts.cursor?.split('|')[0] ?? END;
    const all: TimelineEntry[] = [];
    for (const kind of TIMELINE_KINDS) {
      // One row more than a page per kind: entries at the cursor's own time may be skipped below.
      const sql = SOURCES[kind];
      const rows = statement(this.db, sql).all({ debtor: debtorId, before, limit: opts.limit + 1, ...(sql.includes(':creditors') ? { creditors } : {}) }) as Record<string, string | number | null>[];
      for (const { at, id, ...detail } of rows) all.push({ at: String(at), kind, id: String(id), detail: normalise(kind, detail) });
    }
    const after = opts.cursor;
    const sorted = all.filter((e) => after === undefined || key(e) < after).sort((a, b) => (key(a) < key(b) ? 1 : -1));
    const entries = sorted.slice(0, opts.limit);
    return { entries, nextCursor: sorted.length > opts.limit ? key(entries.at(-1)!) : null };
  }
}

/** SQLite's 0/1 as booleans where the field is one. */
function normalise(kind: TimelineKind, d: Record<string, string | number | null>): TimelineEntry['detail'] {
  if (kind !== 'call') return d;
  return { ...d, identityConfirmed: d.identityConfirmed === 1, messageHeard: d.messageHeard === 1 };
}
