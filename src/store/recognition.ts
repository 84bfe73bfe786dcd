/**
 * Who is on the line and what do they owe? Finds a debtor's open claims by the caller's
 * E.164 number (index phones_by_e164), by the debtor number typed on the keypad, or by
 * the contact an outbound call was placed for.
 *
 * "Open" means still to be paid: open, promised or arranged (not disputed, paid, closed).
 * Several matches are ordered most urgent first: the highest amount, then the oldest due
 * date (no due date last), then the oldest claim — the claim an agent would raise first.
 */
import { statement, type Db } from './db.ts';
import { OPEN_CLAIM_SQL, type CaseRow, type CaseCampaignRow, type DebtorSummary } from './types.ts';

// What the debtor is told is what is still open: the claim's amount less what was paid on it (src/store/payments.ts).
const CASE_SELECT = `
SELECT d.id AS debtor_id, d.external_ref, d.name, d.language AS debtor_language, d.risk,
       c.id AS claim_id, c.creditor, c.invoice_ref, c.amount_cents - c.paid_cents AS amount_cents, c.currency, c.due_date, c.pay_url,
       k.id AS contact_id,
       cp.id AS campaign_id, cp.mode, cp.language AS campaign_language, cp.caller_id, cp.default_country, cp.settings,
       (SELECT MAX(h.message_heard_at) FROM contacts h WHERE h.claim_id = c.id) AS heard_at,
       (SELECT count(*) FROM claims o WHERE o.debtor_id = d.id AND o.id <> c.id AND o.status IN ${OPEN_CLAIM_SQL}) AS other_open,
       (SELECT coalesce(sum(o.amount_cents - o.paid_cents), 0) FROM claims o WHERE o.debtor_id = d.id AND o.id <> c.id AND o.status IN ${OPEN_CLAIM_SQL}) AS other_open_cents`;

/** The contact of a claim that was worked on last decides the campaign an inbound call belongs to. */
const LATEST_CONTACT = `LEFT JOIN contacts k ON k.id = (
         SELECT k2.id FROM contacts k2 WHERE k2.claim_id = c.id ORDER BY k2.updated_at DESC, k2.id DESC LIMIT 1)
       LEFT JOIN campaigns cp ON cp.id = k.campaign_id`;

const OPEN = `c.status IN ${OPEN_CLAIM_SQL}`;
const URGENT_FIRST = `ORDER BY c.amount_cents DESC, c.due_date IS NULL, c.due_date ASC, c.id ASC`;

type Raw = Record<string, unknown>;

function toCase(r: Raw, phone: { id: number; e164: string } | null): CaseRow {
  return {
    debtor: {
      id: r.debtor_id as number,
      externalRef: r.external_ref as string,
      name: r.name as string,
      language: r.debtor_language as DebtorSummary['language'],
      risk: r.risk as DebtorSummary['risk'],
    },
    claim: {
      id: r.claim_id as number,
      creditor: r.creditor as string,
      invoiceRef: r.invoice_ref as string,
      amountCents: r.amount_cents as number,
      currency: r.currency as string,
      dueDate: (r.due_date as string | null) ?? null,
      payUrl: (r.pay_url as string | null) ?? null,
    },
    phone,
    contactId: (r.contact_id as number | null) ?? null,
    campaign:
      r.campaign_id == null
        ? null
        : {
            id: r.campaign_id as number,
            mode: r.mode as CaseCampaignRow['mode'],
            language: r.campaign_language as DebtorSummary['language'],
            callerId: r.caller_id as string,
            defaultCountry: r.default_country as string,
            settings: r.settings as string,
          },
    messageHeardAt: (r.heard_at as string | null) ?? null,
    otherOpen: { count: Number(r.other_open ?? 0), amountCents: Number(r.other_open_cents ?? 0) },
  };
}

/** Open claims of every debtor with this phone number, most urgent first. */
export function findCasesByPhone(db: Db, e164: string): CaseRow[] {
  const rows = statement(
    db,
    `${CASE_SELECT}, p.id AS phone_id, p.e164
       FROM phones p JOIN debtors d ON d.id = p.debtor_id
       JOIN claims c ON c.debtor_id = d.id AND ${OPEN}
       ${LATEST_CONTACT}
       WHERE p.e164 = ? ${URGENT_FIRST}`,
  ).all(e164) as Raw[];
  return rows.map((r) => toCase(r, { id: r.phone_id as number, e164: r.e164 as string }));
}

/** Open claims of the debtor with this external reference (debiteurnummer), most urgent first. */
export function findCasesByDebtorRef(db: Db, ref: string): CaseRow[] {
  const rows = statement(
    db,
    `${CASE_SELECT}
       FROM debtors d JOIN claims c ON c.debtor_id = d.id AND ${OPEN}
       ${LATEST_CONTACT}
       WHERE d.external_ref = ? ${URGENT_FIRST}`,
  ).all(ref) as Raw[];
  return rows.map((r) => toCase(r, null));
}

/** The case an outbound call was placed for: calls.contact_id → contact → claim, debtor, campaign. */
export function findCaseForCall(db: Db, callId: string): CaseRow | undefined {
  const r = statement(
    db,
    `${CASE_SELECT}, p.id AS phone_id, p.e164
       FROM calls x JOIN contacts k ON k.id = x.contact_id
       JOIN claims c ON c.id = k.claim_id
       JOIN debtors d ON d.id = k.debtor_id
       JOIN campaigns cp ON cp.id = k.campaign_id
       LEFT JOIN phones p ON p.id = x.phone_id
       WHERE x.id = ?`,
  ).get(callId) as Raw | undefined;
  if (!r) return undefined;
  return toCase(r, r.phone_id == null ? null : { id: r.phone_id as number, e164: r.e164 as string });
}

/**
 * The campaign's contacts still to be called, in the order the dialer takes them (new
 * ones by id, then retries by when they are due): what src/calls/prerender.ts speaks ahead.
 */
export function findCasesForCampaign(db: Db, campaignId: number, limit: number): CaseRow[] {
  const rows = statement(
    db,
    `${CASE_SELECT}
       FROM contacts k JOIN claims c ON c.id = k.claim_id
       JOIN debtors d ON d.id = k.debtor_id
       JOIN campaigns cp ON cp.id = k.campaign_id
       WHERE k.campaign_id = ? AND k.status = 'pending' AND k.paused_reason IS NULL
       ORDER BY k.next_attempt_at IS NOT NULL, k.next_attempt_at, k.id LIMIT ?`,
  ).all(campaignId, limit) as Raw[];
  return rows.map((r) => toCase(r, null));
}

/** The recognition queries as one repository. */
export function sqliteCaseRepository(db: Db) {
  return {
    forCall: (callId: string) => findCaseForCall(db, callId),
    byPhone: (e164: string) => findCasesByPhone(db, e164),
    byDebtorRef: (ref: string) => findCasesByDebtorRef(db, ref),
    forCampaign: (campaignId: number, limit: number) => findCasesForCampaign(db, campaignId, limit),
  };
}
