/**
 * The console's read model for the live view and the reports, and the one write an
 * operator makes from the debtor page that no other repository owns (do-not-call).
 * Every query is bounded by an index range: one campaign's calls between two instants
 * (calls_by_campaign), never a scan of the whole table.
 */
import { statement, type Db } from './db.ts';
import { AGENT_RESULTS, PAYLINK_RESULTS } from '../dialer/outcomes.ts';

export interface FunnelCounts {
  dialled: number;
  answered: number;
  identityConfirmed: number;
  messageHeard: number;
  paylink: number;
  agent: number;
  dispute: number;
  /** Claims of this campaign's contacts with a matched payment booked in the range. */
  paid: number;
}

/** One UTC hour of one campaign's outbound calls: the caller turns it into local time. */
export interface HourBucket {
  /** 'YYYY-MM-DDTHH' in UTC. */
  hour: string;
  dialled: number;
  answered: number;
}

const list = (xs: readonly string[]) => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');

const FUNNEL = `SELECT count(*) AS dialled,
    coalesce(sum(disposition = 'answered'), 0) AS answered,
    coalesce(sum(identity_confirmed), 0) AS identityConfirmed,
    coalesce(sum(message_heard), 0) AS messageHeard,
    coalesce(sum(result IN (${list(PAYLINK_RESULTS)})), 0) AS paylink,
    coalesce(sum(result IN (${list(AGENT_RESULTS)})), 0) AS agent,
    coalesce(sum(result = 'dispute'), 0) AS dispute
  FROM calls WHERE campaign_id = ? AND direction = 'outbound' AND created_at >= ? AND created_at < ?`;
const PAID = `SELECT count(DISTINCT p.claim_id) AS n FROM payments p
  WHERE p.kind = 'payment' AND p.status = 'matched' AND p.booked_on >= ? AND p.booked_on <= ?
    AND EXISTS (SELECT 1 FROM contacts c WHERE c.claim_id = p.claim_id AND c.campaign_id = ?)`;
const HOURS = `SELECT substr(created_at, 1, 13) AS hour, count(*) AS dialled, coalesce(sum(disposition = 'answered'), 0) AS answered
  FROM calls WHERE campaign_id = ? AND direction = 'outbound' AND created_at >= ? AND created_at < ? AND disposition IS NOT NULL
  GROUP BY hour ORDER BY hour`;
const ABANDON = `SELECT coalesce(sum(disposition = 'answered'), 0) + coalesce(sum(disposition = 'abandoned'), 0) AS live,
    coalesce(sum(disposition = 'abandoned'), 0) AS abandoned
  FROM calls WHERE campaign_id = ? AND direction = 'outbound' AND created_at >= ? AND disposition IN ('answered', 'abandoned')`;

const AMD = `SELECT amd_status AS status, count(*) AS n FROM calls
  WHERE campaign_id = ? AND created_at >= ? AND direction = 'outbound' AND amd_status IS NOT NULL AND amd_status <> '' GROUP BY amd_status`;
const SINCE = `SELECT count(*) AS n FROM calls WHERE campaign_id = ? AND created_at >= ? AND direction = 'outbound'`;

export class ConsoleReports {
  constructor(private readonly db: Db) {}

  /** Outbound calls of a campaign created in [fromIso, toIso), through the funnel; payments booked on fromDay..toDay. */
  funnel(campaignId: number, fromIso: string, toIso: string, fromDay: string, toDay: string): FunnelCounts {
    const c = statement(this.db, FUNNEL).get(campaignId, fromIso, toIso) as Omit<FunnelCounts, 'paid'>;
    const paid = (statement(this.db, PAID).get(fromDay, toDay, campaignId) as { n: number }).n;
    return { ...c, paid };
  }

  /** Ended outbound calls of a campaign per UTC hour in [fromIso, toIso). */
  hours(campaignId: number, fromIso: string, toIso: string): HourBucket[] {
    return statement(this.db, HOURS).all(campaignId, fromIso, toIso) as HourBucket[];
  }

  /** Live-answered and abandoned outbound calls since then: the campaign's abandon rate (Ofcom: any 24 hours). */
  abandonSince(campaignId: number, sinceIso: string): { live: number; abandoned: number } {
    return statement(this.db, ABANDON).get(campaignId, sinceIso) as { live: number; abandoned: number };
  }

  /** AMD verdicts of a campaign's outbound calls since then. */
  amdVerdicts(campaignId: number, sinceIso: string): { status: string; n: number }[] {
    return statement(this.db, AMD).all(campaignId, sinceIso) as { status: string; n: number }[];
  }

  /** Outbound calls a campaign started since then (calls per minute). */
  callsSince(campaignId: number, sinceIso: string): number {
    return (statement(this.db, SINCE).get(campaignId, sinceIso) as { n: number }).n;
  }

  /** Puts a number on the do-not-call list; false when it was already there (the first reason and time stay). */
  addDnc(e164: string, reason: string, at: string): boolean {
    return statement(this.db, `INSERT OR IGNORE INTO dnc (e164, reason, added_at) VALUES (?, ?, ?)`).run(e164, reason, at).changes === 1;
  }
}
