/**
 * The console's read model for the live view and the reports, and the one write an
 * operator makes from the debtor page that no other repository owns (do-not-call).
 * Calls are counted from the rollup migration 013's triggers keep (per campaign and UTC
 * hour); what must be exact to the second (the last minute, the edge of the 24 h window)
 * reads the calls through calls_by_campaign over at most an hour.
 */
import { statement, type Db } from './db.ts';
import { callOfCreditors, creditorsParam } from './scope-sql.ts';
import { AGENT_RESULTS, PAYLINK_RESULTS } from './types.ts';

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

// Sums over the call rollup (migration 013): whole UTC hours, so a range of Amsterdam days
// (whose midnights are whole UTC hours) is exact.
const FUNNEL_SUMS = `coalesce(sum(n), 0) AS dialled,
    coalesce(sum(n * (disposition = 'answered')), 0) AS answered,
    coalesce(sum(n * identity_confirmed), 0) AS identityConfirmed,
    coalesce(sum(n * message_heard), 0) AS messageHeard,
    coalesce(sum(n * (result IN (${list(PAYLINK_RESULTS)}))), 0) AS paylink,
    coalesce(sum(n * (result IN (${list(AGENT_RESULTS)}))), 0) AS agent,
    coalesce(sum(n * (result = 'dispute')), 0) AS dispute`;
const FUNNEL = `SELECT ${FUNNEL_SUMS}
  FROM call_rollup WHERE campaign_id = ? AND direction = 'outbound' AND hour >= ? AND hour < ?`;
// A token limited to creditors (src/http/scope.ts): the same sums over the rollup per creditor
// (migration 020), which counts each call under its contact's claim's creditor. A call without
// a contact (inbound) belongs to no creditor.
const IN_CREDITORS = `creditor IN (SELECT value FROM json_each(@creditors))`;
const SCOPED_CALLS = `call_rollup_by_creditor WHERE campaign_id = @campaign AND ${IN_CREDITORS} AND direction = 'outbound' AND hour >= @from AND hour < @to`;
const SCOPED_FUNNEL = `SELECT ${FUNNEL_SUMS} FROM ${SCOPED_CALLS}`;
// By day: payments_by_status would walk every matched payment ever booked.
const PAID = `SELECT count(DISTINCT p.claim_id) AS n FROM payments p INDEXED BY payments_matched_by_day
  WHERE p.kind = 'payment' AND p.status = 'matched' AND p.booked_on >= ? AND p.booked_on <= ?
    AND EXISTS (SELECT 1 FROM contacts c WHERE c.claim_id = p.claim_id AND c.campaign_id = ?)`;
const SCOPED_PAID = `${PAID} AND EXISTS (SELECT 1 FROM claims k WHERE k.id = p.claim_id AND k.creditor IN (SELECT value FROM json_each(?)))`;
const HOURS = `SELECT hour, sum(n) AS dialled, sum(n * (disposition = 'answered')) AS answered
  FROM call_rollup WHERE campaign_id = ? AND direction = 'outbound' AND hour >= ? AND hour < ? AND disposition <> ''
  GROUP BY hour HAVING sum(n) > 0 ORDER BY hour`;
const SCOPED_HOURS = `SELECT hour, sum(n) AS dialled, sum(n * (disposition = 'answered')) AS answered
  FROM ${SCOPED_CALLS} AND disposition <> '' GROUP BY hour HAVING sum(n) > 0 ORDER BY hour`;
// "Any 24 hours" to the second: whole hours from the rollup, the part of the first hour from the calls.
const ABANDON_HOURS = `SELECT coalesce(sum(n), 0) AS live, coalesce(sum(n * (disposition = 'abandoned')), 0) AS abandoned
  FROM call_rollup WHERE campaign_id = ? AND direction = 'outbound' AND hour > ? AND disposition IN ('answered', 'abandoned')`;
const ABANDON_EDGE = `SELECT count(*) AS live, coalesce(sum(disposition = 'abandoned'), 0) AS abandoned
  FROM calls WHERE campaign_id = ? AND created_at >= ? AND created_at < ? AND direction = 'outbound' AND disposition IN ('answered', 'abandoned')`;
const AMD = `SELECT amd_status AS status, sum(n) AS n FROM call_rollup
  WHERE campaign_id = ? AND hour >= ? AND direction = 'outbound' AND amd_status <> '' GROUP BY amd_status HAVING sum(n) > 0`;
const SINCE = `SELECT count(*) AS n FROM calls WHERE campaign_id = ? AND created_at >= ? AND direction = 'outbound'`;
// The live view for a token limited to creditors: the same figures over the calls about their
// claims, whole hours from the rollup per creditor, the rest from the calls through calls_by_campaign.
const SCOPED_ABANDON_HOURS = `SELECT coalesce(sum(n), 0) AS live, coalesce(sum(n * (disposition = 'abandoned')), 0) AS abandoned
  FROM call_rollup_by_creditor WHERE campaign_id = @campaign AND ${IN_CREDITORS} AND direction = 'outbound' AND hour > @hour AND disposition IN ('answered', 'abandoned')`;
const SCOPED_ABANDON_EDGE = `SELECT count(*) AS live, coalesce(sum(disposition = 'abandoned'), 0) AS abandoned FROM calls INDEXED BY calls_by_campaign
  WHERE campaign_id = :campaign AND created_at >= :since AND created_at < :to AND direction = 'outbound' AND disposition IN ('answered', 'abandoned') AND ${callOfCreditors()}`;
const SCOPED_AMD = `SELECT amd_status AS status, sum(n) AS n FROM call_rollup_by_creditor
  WHERE campaign_id = @campaign AND ${IN_CREDITORS} AND hour >= @hour AND direction = 'outbound' AND amd_status <> '' GROUP BY amd_status HAVING sum(n) > 0`;
const SCOPED_SINCE = `SELECT count(*) AS n FROM calls INDEXED BY calls_by_campaign WHERE campaign_id = :campaign AND created_at >= :since AND direction = 'outbound' AND ${callOfCreditors()}`;

/** 'YYYY-MM-DDTHH' of an ISO instant: the rollup's hour. */
const hourOf = (iso: string) => iso.slice(0, 13);
/** The start of the next UTC hour after an ISO instant. */
const nextHour = (iso: string) => new Date(Date.parse(`${hourOf(iso)}:00:00.000Z`) + 3600_000).toISOString();

export class ConsoleReports {
  constructor(private readonly db: Db) {}

  /**
   * Outbound calls of a campaign created in [fromIso, toIso) (whole UTC hours), through the funnel; payments booked on fromDay..toDay.
   * creditors: only calls and payments about claims of theirs (null: every creditor).
   */
  funnel(campaignId: number, fromIso: string, toIso: string, fromDay: string, toDay: string, creditors: string[] | null = null): FunnelCounts {
    if (creditors) {
      const c = statement(this.db, SCOPED_FUNNEL).get({ campaign: campaignId, from: hourOf(fromIso), to: hourOf(toIso), creditors: JSON.stringify(creditors) }) as Omit<FunnelCounts, 'paid'>;
      const paid = (statement(this.db, SCOPED_PAID).get(fromDay, toDay, campaignId, JSON.stringify(creditors)) as { n: number }).n;
      return { ...c, paid };
    }
    const c = statement(this.db, FUNNEL).get(campaignId, hourOf(fromIso), hourOf(toIso)) as Omit<FunnelCounts, 'paid'>;
    const paid = (statement(this.db, PAID).get(fromDay, toDay, campaignId) as { n: number }).n;
    return { ...c, paid };
  }

  /** Ended outbound calls of a campaign per UTC hour in [fromIso, toIso); creditors as for funnel. */
  hours(campaignId: number, fromIso: string, toIso: string, creditors: string[] | null = null): HourBucket[] {
    if (creditors) return statement(this.db, SCOPED_HOURS).all({ campaign: campaignId, from: hourOf(fromIso), to: hourOf(toIso), creditors: JSON.stringify(creditors) }) as HourBucket[];
    return statement(this.db, HOURS).all(campaignId, hourOf(fromIso), hourOf(toIso)) as HourBucket[];
  }

  /** Live-answered and abandoned outbound calls since then: the campaign's abandon rate (Ofcom: any 24 hours). creditors here and below: the calls about their claims only. */
  abandonSince(campaignId: number, sinceIso: string, creditors: readonly string[] | null = null): { live: number; abandoned: number } {
    if (creditors?.length) {
      const scope = creditorsParam(creditors);
      const hours = statement(this.db, SCOPED_ABANDON_HOURS).get({ campaign: campaignId, hour: hourOf(sinceIso), creditors: scope }) as { live: number; abandoned: number };
      const edge = statement(this.db, SCOPED_ABANDON_EDGE).get({ campaign: campaignId, since: sinceIso, to: nextHour(sinceIso), creditors: scope }) as { live: number; abandoned: number };
      return { live: hours.live + edge.live, abandoned: hours.abandoned + edge.abandoned };
    }
    const hours = statement(this.db, ABANDON_HOURS).get(campaignId, hourOf(sinceIso)) as { live: number; abandoned: number };
    const edge = statement(this.db, ABANDON_EDGE).get(campaignId, sinceIso, nextHour(sinceIso)) as { live: number; abandoned: number };
    return { live: hours.live + edge.live, abandoned: hours.abandoned + edge.abandoned };
  }

  /** AMD verdicts of a campaign's outbound calls since the start of that UTC hour. */
  amdVerdicts(campaignId: number, sinceIso: string, creditors: readonly string[] | null = null): { status: string; n: number }[] {
    if (creditors?.length) return statement(this.db, SCOPED_AMD).all({ campaign: campaignId, hour: hourOf(sinceIso), creditors: creditorsParam(creditors) }) as { status: string; n: number }[];
    return statement(this.db, AMD).all(campaignId, hourOf(sinceIso)) as { status: string; n: number }[];
  }

  /** Outbound calls a campaign started since then (calls per minute). */
  callsSince(campaignId: number, sinceIso: string, creditors: readonly string[] | null = null): number {
    if (creditors?.length) return (statement(this.db, SCOPED_SINCE).get({ campaign: campaignId, since: sinceIso, creditors: creditorsParam(creditors) }) as { n: number }).n;
    return (statement(this.db, SINCE).get(campaignId, sinceIso) as { n: number }).n;
  }

  /** Puts a number on the do-not-call list; false when it was already there (the first reason and time stay). */
  addDnc(e164: string, reason: string, at: string): boolean {
    return statement(this.db, `INSERT OR IGNORE INTO dnc (e164, reason, added_at) VALUES (?, ?, ?)`).run(e164, reason, at).changes === 1;
  }
}
