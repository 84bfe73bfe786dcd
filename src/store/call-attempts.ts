/**
 * Outbound attempts, as rows of the calls aggregate: the dialer's reads and writes of the
 * calls table (attempt history for the compliance policy, live calls, an attempt's end,
 * the restart sweep, per-campaign counts). Each statement is compiled once per database
 * (statement()): these run on every dialer tick.
 */
import { inTransaction, statement, type Db } from './db.ts';
import { CALL_DISPOSITIONS, LIVE_CALL_SQL, LIVE_CALL_STATES, type CallDisposition, type LiveCallState } from './types.ts';
import { callOfCreditors, creditorsParam } from './scope-sql.ts';

const LIVE_SQL = LIVE_CALL_SQL;

export interface AttemptRow {
  callId: string;
  at: string;
  disposition: CallDisposition | null;
  result: string | null;
  identityConfirmed: number;
  messageHeard: number;
}

/** The call row the dialer writes when it claims a contact. */
export interface DialedCall {
  id: string;
  campaignId: number;
  contactId: number;
  debtorId: number;
  phoneId: number;
  from: string;
  to: string;
}

/** How an attempt's call row ends. */
export interface AttemptCallEnd {
  disposition: CallDisposition;
  result: string;
  amdStatus: string | null;
  amdCause: string | null;
  hangupCause: number | null;
  hangupText: string | null;
  answeredAt: string | null;
  state: 'ended' | 'interrupted';
  dtmfPath?: string;
  messageHeard?: boolean;
  identityConfirmed?: boolean;
}

export interface LiveCallRow {
  callId: string;
  contactId: number | null;
  campaignId: number | null;
  channelId: string | null;
  phoneId: number | null;
  state: LiveCallState;
  createdAt: string;
}

/** What recording an attempt needs to know about it, from its call row. */
export interface AttemptContextRow {
  callId: string;
  campaignId: number;
  contactId: number;
  debtorId: number;
  claimId: number;
  phoneId: number | null;
  e164: string | null;
  attempts: number;
  timeZone: string;
  defaultCountry: string;
  settings: string;
  createdAt: string;
  answeredAt: string | null;
}

export type CallCounts = { total: number; live: number } & Record<CallDisposition, number>;

const ATTEMPT_COLS = `ca.id AS callId, ca.created_at AS at, ca.disposition, ca.result, ca.identity_confirmed AS identityConfirmed,
                ca.message_heard AS messageHeard`;
// Attempts on this claim in any campaign (Regulation F counts per claim).
const ON_CLAIM = `SELECT ${ATTEMPT_COLS}
           FROM contacts co JOIN calls ca ON ca.contact_id = co.id
          WHERE co.debtor_id = ? AND co.claim_id = ? AND ca.direction = 'outbound' AND ca.state NOT IN ${LIVE_SQL}
          ORDER BY ca.created_at`;
// The debtor's other claims: through contacts_by_debtor and calls_by_contact, recent ones only.
const ON_OTHER_CLAIMS = `SELECT ${ATTEMPT_COLS}
           FROM contacts co JOIN calls ca ON ca.contact_id = co.id
          WHERE co.debtor_id = ? AND co.claim_id <> ? AND ca.direction = 'outbound' AND ca.state NOT IN ${LIVE_SQL} AND ca.created_at >= ?
          ORDER BY ca.created_at`;
const DEBTORS_LIVE = `SELECT DISTINCT debtor_id AS id FROM calls WHERE state IN ${LIVE_SQL} AND debtor_id IS NOT NULL`;
// +campaign_id: count through the small live-calls index, not the campaign's whole history.
const CAMPAIGN_LIVE = `SELECT COUNT(*) AS n FROM calls WHERE state IN ${LIVE_SQL} AND +campaign_id = ?`;
const INSERT_DIALED = `INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, phone_id, channel_id, from_number, to_number, state, created_at)
         VALUES (@id, 'outbound', @campaignId, @contactId, @debtorId, @phoneId, @id, @from, @to, 'dialing', @at)`;
const LIVE_STATE = `UPDATE calls SET state = ?, answered_at = COALESCE(answered_at, ?) WHERE id = ? AND state IN ${LIVE_SQL}`;
const END = `UPDATE calls SET state = CASE WHEN state IN ${LIVE_SQL} THEN @state ELSE state END, disposition = @disposition, result = @result, amd_status = COALESCE(@amdStatus, amd_status),
                amd_cause = COALESCE(@amdCause, amd_cause), hangup_cause = @hangupCause, hangup_text = @hangupText,
                answered_at = COALESCE(answered_at, @answeredAt), ended_at = COALESCE(ended_at, @at),
                dtmf_path = COALESCE(@dtmfPath, dtmf_path), message_heard = COALESCE(@messageHeard, message_heard),
                identity_confirmed = COALESCE(@identityConfirmed, identity_confirmed)
          WHERE id = @callId`;
const LATEST_OF_CONTACT = `SELECT id FROM calls WHERE contact_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`;
const CONTEXT = `SELECT ca.id AS callId, ca.campaign_id AS campaignId, ca.contact_id AS contactId, co.debtor_id AS debtorId,
                co.claim_id AS claimId, ca.phone_id AS phoneId, ca.to_number AS e164, co.attempts, d.time_zone AS timeZone,
                cp.default_country AS defaultCountry, cp.settings, ca.created_at AS createdAt, ca.answered_at AS answeredAt
           FROM calls ca JOIN contacts co ON co.id = ca.contact_id JOIN debtors d ON d.id = co.debtor_id
           JOIN campaigns cp ON cp.id = co.campaign_id
          WHERE ca.id = ?`;
const INTERRUPT = `UPDATE calls SET state = 'interrupted', disposition = COALESCE(disposition, 'failed'), result = COALESCE(result, 'interrupted'),
                ended_at = COALESCE(ended_at, ?) WHERE id = ? AND state IN ${LIVE_SQL}`;
const LIVE_OUTBOUND = `SELECT id AS callId, contact_id AS contactId, campaign_id AS campaignId, channel_id AS channelId, phone_id AS phoneId, state,
                created_at AS createdAt
           FROM calls WHERE state IN ${LIVE_SQL} AND direction = 'outbound' AND contact_id IS NOT NULL`;
// From the rollup the triggers keep (migration 013): a campaign's 5,000,000 calls are a few
// thousand rows there. Live calls are few and found through the calls_live partial index.
const COUNTS = `SELECT disposition, result, sum(n) AS n FROM call_rollup WHERE campaign_id = ? GROUP BY 1, 2`;
const LIVE = `SELECT count(*) AS n FROM calls WHERE state IN ${LIVE_CALL_SQL} AND campaign_id = ?`;
// A token limited to creditors: the campaign's calls about their claims, from the rollup per creditor (migration 020).
const SCOPED_COUNTS = `SELECT disposition, result, sum(n) AS n FROM call_rollup_by_creditor
  WHERE campaign_id = :campaign AND creditor IN (SELECT value FROM json_each(:creditors)) GROUP BY 1, 2`;
const SCOPED_LIVE = `SELECT count(*) AS n FROM calls WHERE state IN ${LIVE_CALL_SQL} AND campaign_id = :campaign AND ${callOfCreditors()}`;

/** Finished outbound attempts on this claim, in any campaign (Regulation F counts per claim). */
export function attemptsOnClaim(db: Db, debtorId: number, claimId: number): AttemptRow[] {
  return statement(db, ON_CLAIM).all(debtorId, claimId) as AttemptRow[];
}

/** Finished outbound attempts since `sinceIso` to this debtor about their other claims (one person, called as one). */
export function attemptsOnOtherClaims(db: Db, debtorId: number, claimId: number, sinceIso: string): AttemptRow[] {
  return statement(db, ON_OTHER_CLAIMS).all(debtorId, claimId, sinceIso) as AttemptRow[];
}

/** Debtors on a live call now, inbound or outbound (read once per tick: one scan of the live calls). */
export function debtorsOnLiveCalls(db: Db): Set<number> {
  return new Set((statement(db, DEBTORS_LIVE).all() as { id: number }[]).map((r) => r.id));
}

export function liveCallCount(db: Db, campaignId: number): number {
  return (statement(db, CAMPAIGN_LIVE).get(campaignId) as { n: number }).n;
}

export function insertDialedCall(db: Db, call: DialedCall, at: string): void {
  statement(db, INSERT_DIALED).run({ ...call, at });
}

export function setLiveCallState(db: Db, callId: string, state: 'ringing' | 'up', answeredAtIso: string | null): void {
  // A transaction, so the score-per-action rollup takes the answer in the same commit (src/store/action-rollup.ts).
  inTransaction(db, () => statement(db, LIVE_STATE).run(state, answeredAtIso, callId));
}

/** The attempt the contact is on now: its newest call. */
export function latestCallOfContact(db: Db, contactId: number): string | undefined {
  return (statement(db, LATEST_OF_CONTACT).get(contactId) as { id: string } | undefined)?.id;
}

export function endAttemptCall(db: Db, callId: string, at: string, c: AttemptCallEnd): void {
  statement(db, END).run({
    callId,
    at,
    state: c.state,
    disposition: c.disposition,
    result: c.result,
    amdStatus: c.amdStatus,
    amdCause: c.amdCause,
    hangupCause: c.hangupCause,
    hangupText: c.hangupText,
    answeredAt: c.answeredAt,
    dtmfPath: c.dtmfPath ?? null,
    messageHeard: c.messageHeard === undefined ? null : Number(c.messageHeard),
    identityConfirmed: c.identityConfirmed === undefined ? null : Number(c.identityConfirmed),
  });
}

export function attemptContext(db: Db, callId: string): AttemptContextRow | undefined {
  return statement(db, CONTEXT).get(callId) as AttemptContextRow | undefined;
}

/** Outbound calls the store believes are live (for the restart sweep). */
export function liveOutboundCalls(db: Db): LiveCallRow[] {
  return statement(db, LIVE_OUTBOUND).all() as LiveCallRow[];
}

/** Closes a call row that no contact waits on any more (found live in the store, gone in Asterisk). */
export function interruptCall(db: Db, callId: string, nowIso: string): void {
  inTransaction(db, () => statement(db, INTERRUPT).run(nowIso, callId));
}

/** A campaign's calls by disposition (and how many are live), and by flow result; creditors: only the calls about their claims. */
export function campaignCallCounts(db: Db, campaignId: number, creditors: readonly string[] | null = null): { calls: CallCounts; results: Record<string, number> } {
  const calls = { total: 0, live: 0, ...Object.fromEntries(CALL_DISPOSITIONS.map((d) => [d, 0])) } as CallCounts;
  const results: Record<string, number> = {};
  const scope = creditorsParam(creditors);
  const args = { campaign: campaignId, creditors: scope };
  calls.live = ((scope ? statement(db, SCOPED_LIVE).get(args) : statement(db, LIVE).get(campaignId)) as { n: number }).n;
  const rows = scope ? statement(db, SCOPED_COUNTS).all(args) : statement(db, COUNTS).all(campaignId);
  for (const r of rows as { disposition: string | null; result: string | null; n: number }[]) {
    calls.total += r.n;
    if (r.disposition) calls[r.disposition as CallDisposition] += r.n;
    if (r.result) results[r.result] = (results[r.result] ?? 0) + r.n;
  }
  return { calls, results };
}
