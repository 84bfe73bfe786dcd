/**
 * The dialer's SQL: which contacts of a running campaign are due, claiming one for a
 * call (atomically, so two ticks or two processes never dial the same contact), the
 * attempt history the compliance policy needs, recording an attempt's outcome, the
 * restart sweep, and the per-campaign counts the progress view shows.
 */
import type { Db } from './db.ts';
import {
  CALL_DISPOSITIONS,
  CONTACT_STATUSES,
  LIVE_CALL_STATES,
  type CallDisposition,
  type CampaignMode,
  type CampaignState,
  type ContactStatus,
  type Language,
  type LiveCallState,
  type PhoneStatus,
} from './types.ts';

export type { CallDisposition, ContactStatus, PhoneStatus } from './types.ts';

export interface CampaignRow {
  id: number;
  name: string;
  mode: CampaignMode;
  state: CampaignState;
  callerId: string;
  defaultCountry: string;
  language: Language;
  /** Raw JSON; the dialer parses it with the campaign settings' defaults. */
  settings: string;
}

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

export interface PhoneRow {
  id: number;
  e164: string;
  status: PhoneStatus;
  position: number;
}

export interface AttemptRow {
  callId: string;
  at: string;
  disposition: CallDisposition | null;
  result: string | null;
  identityConfirmed: number;
  messageHeard: number;
}

export interface NewCall {
  id: string;
  campaignId: number;
  contactId: number;
  debtorId: number;
  phoneId: number;
  from: string;
  to: string;
}

/** Everything that changes when an attempt ends, written in one transaction. */
export interface AttemptOutcomeRecord {
  callId: string;
  contactId: number;
  campaignId: number;
  at: string;
  call: {
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
  };
  contact: {
    status: ContactStatus;
    nextAttemptAt: string | null;
    lastOutcome: string;
    result: string | null;
    conversation: boolean;
    abandoned: boolean;
    messageHeard: boolean;
  };
  /** A phone learned to be invalid (cause 1) or active (someone answered). */
  phone?: { id: number; status: PhoneStatus };
  event: { kind: string; data: Record<string, unknown> };
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

export interface CampaignCounts {
  contacts: Record<ContactStatus, number>;
  calls: { total: number; live: number } & Record<CallDisposition, number>;
  /** Calls by flow result (paylink_requested, dispute, agent, …). */
  results: Record<string, number>;
}

const LIVE = `(${LIVE_CALL_STATES.map((s) => `'${s}'`).join(', ')})`;
const DUE_COLUMNS = `c.id, c.campaign_id AS campaignId, c.claim_id AS claimId, c.debtor_id AS debtorId, c.attempts,
  c.next_attempt_at AS nextAttemptAt, c.last_conversation_at AS lastConversationAt, c.abandoned_at AS abandonedAt,
  d.time_zone AS timeZone`;

/** The dialer's repository: the public shape of DialerStore (src/store/repositories.ts). */
export type DialerRepository = { [K in keyof DialerStore]: DialerStore[K] };

export class DialerStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      campaigns: db.prepare(
        `SELECT id, name, mode, state, caller_id AS callerId, default_country AS defaultCountry, language, settings FROM campaigns WHERE state = ? ORDER BY id`,
      ),
      campaign: db.prepare(`SELECT id, name, mode, state, caller_id AS callerId, default_country AS defaultCountry, language, settings FROM campaigns WHERE id = ?`),
      // Never-tried contacts (NULL) first, then by due time: two index range scans on
      // contacts_due (campaign_id, status, next_attempt_at), so contacts deferred to later
      // are never read. Ties go by rowid (import order).
      dueNew: db.prepare(
        `SELECT ${DUE_COLUMNS} FROM contacts c JOIN debtors d ON d.id = c.debtor_id
          WHERE c.campaign_id = ? AND c.status = 'pending' AND c.next_attempt_at IS NULL ORDER BY c.id LIMIT ?`,
      ),
      dueTimed: db.prepare(
        `SELECT ${DUE_COLUMNS} FROM contacts c JOIN debtors d ON d.id = c.debtor_id
          WHERE c.campaign_id = ? AND c.status = 'pending' AND c.next_attempt_at <= ? ORDER BY c.next_attempt_at, c.id LIMIT ?`,
      ),
      phones: db.prepare(`SELECT id, e164, status, position FROM phones WHERE debtor_id = ? ORDER BY position, id`),
      dnc: db.prepare(`SELECT 1 FROM dnc WHERE e164 = ?`),
      // Attempts on this claim in any campaign (Regulation F counts per claim).
      attempts: db.prepare(
        `SELECT ca.id AS callId, ca.created_at AS at, ca.disposition, ca.result, ca.identity_confirmed AS identityConfirmed,
                ca.message_heard AS messageHeard
           FROM contacts co JOIN calls ca ON ca.contact_id = co.id
          WHERE co.debtor_id = ? AND co.claim_id = ? AND ca.direction = 'outbound' AND ca.state NOT IN ${LIVE}
          ORDER BY ca.created_at`,
      ),
      // The debtor's other claims: through contacts_by_debtor and calls_by_contact, recent ones only.
      otherClaims: db.prepare(
        `SELECT ca.id AS callId, ca.created_at AS at, ca.disposition, ca.result, ca.identity_confirmed AS identityConfirmed,
                ca.message_heard AS messageHeard
           FROM contacts co JOIN calls ca ON ca.contact_id = co.id
          WHERE co.debtor_id = ? AND co.claim_id <> ? AND ca.direction = 'outbound' AND ca.state NOT IN ${LIVE} AND ca.created_at >= ?
          ORDER BY ca.created_at`,
      ),
      debtorsLive: db.prepare(`SELECT DISTINCT debtor_id AS id FROM calls WHERE state IN ${LIVE} AND debtor_id IS NOT NULL`).pluck(),
      // +campaign_id: count through the small live-calls index, not the campaign's whole history.
      campaignLive: db.prepare(`SELECT COUNT(*) AS n FROM calls WHERE state IN ${LIVE} AND +campaign_id = ?`),
      defer: db.prepare(`UPDATE contacts SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`),
      closeContact: db.prepare(`UPDATE contacts SET status = ?, result = ?, updated_at = ? WHERE id = ? AND status = 'pending'`),
      claim: db.prepare(
        `UPDATE contacts SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = ?, updated_at = ?
          WHERE id = ? AND status = 'pending'`,
      ),
      insertCall: db.prepare(
        `INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, phone_id, channel_id, from_number, to_number, state, created_at)
         VALUES (@id, 'outbound', @campaignId, @contactId, @debtorId, @phoneId, @id, @from, @to, 'dialing', @at)`,
      ),
      callState: db.prepare(
        `UPDATE calls SET state = ?, answered_at = COALESCE(answered_at, ?) WHERE id = ? AND state IN ${LIVE}`,
      ),
      endCall: db.prepare(
        `UPDATE calls SET state = CASE WHEN state IN ${LIVE} THEN @state ELSE state END, disposition = @disposition, result = @result, amd_status = COALESCE(@amdStatus, amd_status),
                amd_cause = COALESCE(@amdCause, amd_cause), hangup_cause = @hangupCause, hangup_text = @hangupText,
                answered_at = COALESCE(answered_at, @answeredAt), ended_at = COALESCE(ended_at, @at),
                dtmf_path = COALESCE(@dtmfPath, dtmf_path), message_heard = COALESCE(@messageHeard, message_heard),
                identity_confirmed = COALESCE(@identityConfirmed, identity_confirmed)
          WHERE id = @callId`,
      ),
      updateContact: db.prepare(
        `UPDATE contacts SET status = @status, next_attempt_at = @nextAttemptAt, last_outcome = @lastOutcome,
                result = COALESCE(@result, result),
                last_conversation_at = CASE WHEN @conversation THEN @at ELSE last_conversation_at END,
                abandoned_at = CASE WHEN @abandoned THEN @at ELSE abandoned_at END,
                message_heard_at = CASE WHEN @messageHeard THEN COALESCE(message_heard_at, @at) ELSE message_heard_at END,
                updated_at = @at
          WHERE id = @contactId AND status = 'in_progress'`,
      ),
      latestCall: db.prepare(`SELECT id FROM calls WHERE contact_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`),
      attemptContext: db.prepare(
        `SELECT ca.id AS callId, ca.campaign_id AS campaignId, ca.contact_id AS contactId, co.debtor_id AS debtorId,
                co.claim_id AS claimId, ca.phone_id AS phoneId, ca.to_number AS e164, co.attempts, d.time_zone AS timeZone,
                cp.default_country AS defaultCountry, cp.settings, ca.created_at AS createdAt, ca.answered_at AS answeredAt
           FROM calls ca JOIN contacts co ON co.id = ca.contact_id JOIN debtors d ON d.id = co.debtor_id
           JOIN campaigns cp ON cp.id = co.campaign_id
          WHERE ca.id = ?`,
      ),
      interruptCall: db.prepare(
        `UPDATE calls SET state = 'interrupted', disposition = COALESCE(disposition, 'failed'), result = COALESCE(result, 'interrupted'),
                ended_at = COALESCE(ended_at, ?) WHERE id = ? AND state IN ${LIVE}`,
      ),
      phoneStatus: db.prepare(`UPDATE phones SET status = ?, updated_at = ? WHERE id = ?`),
      event: db.prepare(`INSERT INTO events (at, kind, campaign_id, contact_id, call_id, data) VALUES (?, ?, ?, ?, ?, ?)`),
      liveCalls: db.prepare(
        `SELECT id AS callId, contact_id AS contactId, campaign_id AS campaignId, channel_id AS channelId, phone_id AS phoneId, state,
                created_at AS createdAt
           FROM calls WHERE state IN ${LIVE} AND direction = 'outbound' AND contact_id IS NOT NULL`,
      ),
      orphanContacts: db.prepare(
        `SELECT co.id FROM contacts co WHERE co.status = 'in_progress'
            AND NOT EXISTS (SELECT 1 FROM calls ca WHERE ca.contact_id = co.id AND ca.state IN ${LIVE})`,
      ),
      releaseContact: db.prepare(
        `UPDATE contacts SET status = 'pending', next_attempt_at = ?, last_outcome = 'interrupted', updated_at = ?
          WHERE id = ? AND status = 'in_progress'`,
      ),
      open: db.prepare(`SELECT EXISTS (SELECT 1 FROM contacts WHERE campaign_id = ? AND status IN ('pending', 'in_progress')) AS open,
                               EXISTS (SELECT 1 FROM contacts WHERE campaign_id = ?) AS any`),
      finish: db.prepare(`UPDATE campaigns SET state = 'finished', finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running'`),
      pause: db.prepare(`UPDATE campaigns SET state = 'paused', paused_reason = ?, updated_at = ? WHERE id = ? AND state = 'running'`),
      contactCounts: db.prepare(`SELECT status, COUNT(*) AS n FROM contacts WHERE campaign_id = ? GROUP BY status`),
      callCounts: db.prepare(
        `SELECT COALESCE(disposition, '') AS disposition, COALESCE(result, '') AS result, state, COUNT(*) AS n
           FROM calls WHERE campaign_id = ? GROUP BY 1, 2, 3`,
      ),
      agentCounts: db.prepare(`SELECT state, COUNT(*) AS n FROM agents GROUP BY state`),
    };
  }

  /** Runs fn in one transaction (a tick's claims commit together: one WAL commit, not one per contact). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  campaignsInState(state: CampaignRow['state']): CampaignRow[] {
    return this.s.campaigns.all(state) as CampaignRow[];
  }

  campaign(id: number): CampaignRow | undefined {
    return this.s.campaign.get(id) as CampaignRow | undefined;
  }

  dueContacts(campaignId: number, nowIso: string, limit: number): DueContact[] {
    const fresh = this.s.dueNew.all(campaignId, limit) as DueContact[];
    if (fresh.length >= limit) return fresh;
    return fresh.concat(this.s.dueTimed.all(campaignId, nowIso, limit - fresh.length) as DueContact[]);
  }

  phonesOf(debtorId: number): PhoneRow[] {
    return this.s.phones.all(debtorId) as PhoneRow[];
  }

  onDnc(e164: string): boolean {
    return this.s.dnc.get(e164) !== undefined;
  }

  /** Finished outbound attempts on this claim, in any campaign (Regulation F counts per claim). */
  attemptsOnClaim(debtorId: number, claimId: number): AttemptRow[] {
    return this.s.attempts.all(debtorId, claimId) as AttemptRow[];
  }

  /** Finished outbound attempts since `sinceIso` to this debtor about their other claims (one person, called as one). */
  attemptsOnOtherClaims(debtorId: number, claimId: number, sinceIso: string): AttemptRow[] {
    return this.s.otherClaims.all(debtorId, claimId, sinceIso) as AttemptRow[];
  }

  /** Debtors on a live call now, inbound or outbound (read once per tick: one scan of the live calls). */
  debtorsOnLiveCalls(): Set<number> {
    return new Set(this.s.debtorsLive.all() as number[]);
  }

  liveCallCount(campaignId: number): number {
    return (this.s.campaignLive.get(campaignId) as { n: number }).n;
  }

  /** Moves a contact that may not be called now to the policy's next time, with the reason in the event log. */
  defer(c: { campaignId: number; contactId: number }, untilIso: string, reason: string, nowIso: string): void {
    this.db.transaction(() => {
      if (this.s.defer.run(untilIso, nowIso, c.contactId).changes === 0) return;
      this.s.event.run(nowIso, 'contact_deferred', c.campaignId, c.contactId, null, JSON.stringify({ reason, until: untilIso }));
    })();
  }

  /** Closes a pending contact without a call (attempt caps reached, every phone invalid or on the do-not-call list). */
  closeContact(c: { campaignId: number; contactId: number }, status: 'exhausted' | 'invalid' | 'dnc', reason: string, nowIso: string): void {
    this.db.transaction(() => {
      if (this.s.closeContact.run(status, reason, nowIso, c.contactId).changes === 0) return;
      this.s.event.run(nowIso, 'contact_closed', c.campaignId, c.contactId, null, JSON.stringify({ status, reason }));
    })();
  }

  /**
   * Claims a pending contact and creates its call row in one transaction. False when the
   * contact is no longer pending (another tick or process took it, or it was closed).
   */
  claim(call: NewCall, nowIso: string): boolean {
    return this.db.transaction(() => {
      if (this.s.claim.run(nowIso, nowIso, call.contactId).changes === 0) return false;
      this.s.insertCall.run({ ...call, at: nowIso });
      this.s.event.run(nowIso, 'call_dialing', call.campaignId, call.contactId, call.id, JSON.stringify({ phoneId: call.phoneId }));
      return true;
    })();
  }

  setCallState(callId: string, state: 'ringing' | 'up', answeredAtIso: string | null): void {
    this.s.callState.run(state, answeredAtIso, callId);
  }

  /**
   * Writes an attempt's end. False when it was already recorded: the end is seen once, by
   * whoever comes first (the flow's summary or the channel's end), and only while the
   * contact is still in progress on this very call.
   */
  recordOutcome(r: AttemptOutcomeRecord): boolean {
    return this.db.transaction(() => {
      const latest = this.s.latestCall.get(r.contactId) as { id: string } | undefined;
      if (latest?.id !== r.callId) return false;
      const k = r.contact;
      const updated = this.s.updateContact.run({
        contactId: r.contactId,
        at: r.at,
        status: k.status,
        nextAttemptAt: k.nextAttemptAt,
        lastOutcome: k.lastOutcome,
        result: k.result,
        conversation: Number(k.conversation),
        abandoned: Number(k.abandoned),
        messageHeard: Number(k.messageHeard),
      });
      if (updated.changes === 0) return false;
      const c = r.call;
      this.s.endCall.run({
        callId: r.callId,
        at: r.at,
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
      if (r.phone) this.s.phoneStatus.run(r.phone.status, r.at, r.phone.id);
      this.s.event.run(r.at, r.event.kind, r.campaignId, r.contactId, r.callId, JSON.stringify(r.event.data));
      return true;
    })();
  }

  attemptContext(callId: string): AttemptContextRow | undefined {
    return this.s.attemptContext.get(callId) as AttemptContextRow | undefined;
  }

  /** Outbound calls the store believes are live (for the restart sweep). */
  liveCalls(): LiveCallRow[] {
    return this.s.liveCalls.all() as LiveCallRow[];
  }

  /** Closes a call row that no contact waits on any more (found live in the store, gone in Asterisk). */
  interruptCall(callId: string, nowIso: string): void {
    this.s.interruptCall.run(nowIso, callId);
  }

  /** Contacts in progress without any live call row: put back to pending. Returns how many. */
  releaseOrphanContacts(nextIso: string, nowIso: string): number {
    return this.db.transaction(() => {
      const ids = (this.s.orphanContacts.all() as { id: number }[]).map((r) => r.id);
      for (const id of ids) this.s.releaseContact.run(nextIso, nowIso, id);
      return ids.length;
    })();
  }

  /** Marks a running campaign finished when it has contacts and none is pending or in progress. */
  finishIfDone(campaignId: number, nowIso: string): boolean {
    const { open, any } = this.s.open.get(campaignId, campaignId) as { open: number; any: number };
    if (open || !any) return false;
    return this.db.transaction(() => {
      if (this.s.finish.run(nowIso, nowIso, campaignId).changes === 0) return false;
      this.s.event.run(nowIso, 'campaign_finished', campaignId, null, null, JSON.stringify({ by: 'dialer' }));
      return true;
    })();
  }

  /** Pauses a running campaign the dialer cannot work on, with the reason the operator sees; false if it was no longer running. */
  pauseFailing(campaignId: number, reason: string, nowIso: string): boolean {
    return this.db.transaction(() => {
      if (this.s.pause.run(reason, nowIso, campaignId).changes === 0) return false;
      this.s.event.run(nowIso, 'campaign_paused', campaignId, null, null, JSON.stringify({ by: 'dialer', reason }));
      return true;
    })();
  }

  /** Agents by state, for the pacer of agent campaigns. */
  agentCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.s.agentCounts.all() as { state: string; n: number }[]) out[r.state] = r.n;
    return out;
  }

  counts(campaignId: number): CampaignCounts {
    const contacts = Object.fromEntries(CONTACT_STATUSES.map((s) => [s, 0])) as Record<ContactStatus, number>;
    for (const r of this.s.contactCounts.all(campaignId) as { status: ContactStatus; n: number }[]) contacts[r.status] = r.n;
    const calls = { total: 0, live: 0, ...Object.fromEntries(CALL_DISPOSITIONS.map((d) => [d, 0])) } as CampaignCounts['calls'];
    const results: Record<string, number> = {};
    for (const r of this.s.callCounts.all(campaignId) as { disposition: string; result: string; state: string; n: number }[]) {
      calls.total += r.n;
      if (r.state === 'dialing' || r.state === 'ringing' || r.state === 'up') calls.live += r.n;
      if (r.disposition) calls[r.disposition as CallDisposition] += r.n;
      if (r.result) results[r.result] = (results[r.result] ?? 0) + r.n;
    }
    return { contacts, calls, results };
  }
}
