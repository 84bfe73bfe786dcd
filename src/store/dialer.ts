/**
 * The dialer's repository: the queries one dialer tick runs, over the aggregates they
 * belong to (campaigns.ts, contacts.ts, debtors.ts, call-attempts.ts, agents.ts), and the
 * two units of work that span them: claiming a contact for a call (contact pending → in
 * progress and its call row, atomically, so two ticks or two processes never dial the
 * same contact) and recording an attempt's end (call, contact, phone, event at once).
 */
import type { Db } from './db.ts';
import { AgentStore } from './agents.ts';
import * as attempts from './call-attempts.ts';
import type { AttemptCallEnd, CallCounts, DialedCall } from './call-attempts.ts';
import { CampaignStore, type CampaignRow } from './campaigns.ts';
import { ContactStore, type ContactAttemptEnd } from './contacts.ts';
import { DebtorStore } from './debtors.ts';
import { appendEvent } from './events.ts';
import type { ContactStatus, PhoneStatus } from './types.ts';

export type { CallDisposition, ContactStatus, PhoneStatus } from './types.ts';
export type { CampaignRow } from './campaigns.ts';
export type { DueContact } from './contacts.ts';
export type { PhoneRow } from './debtors.ts';
export type { AttemptContextRow, AttemptRow, LiveCallRow } from './call-attempts.ts';
/** The call row a claim creates. */
export type NewCall = DialedCall;

/** Everything that changes when an attempt ends, written in one transaction. */
export interface AttemptOutcomeRecord {
  callId: string;
  contactId: number;
  campaignId: number;
  at: string;
  call: AttemptCallEnd;
  contact: ContactAttemptEnd;
  /** A phone learned to be invalid (cause 1) or active (someone answered). */
  phone?: { id: number; status: PhoneStatus };
  event: { kind: string; data: Record<string, unknown> };
}

export interface CampaignCounts {
  contacts: Record<ContactStatus, number>;
  calls: CallCounts;
  /** Calls by flow result (paylink_requested, dispute, agent, …). */
  results: Record<string, number>;
}

/** The dialer's repository: the public shape of DialerStore (src/store/repositories.ts). */
export type DialerRepository = { [K in keyof DialerStore]: DialerStore[K] };

export class DialerStore {
  private readonly campaigns: CampaignStore;
  private readonly contacts: ContactStore;
  private readonly debtors: DebtorStore;
  private readonly agents: AgentStore;

  constructor(private readonly db: Db) {
    this.campaigns = new CampaignStore(db);
    this.contacts = new ContactStore(db);
    this.debtors = new DebtorStore(db);
    this.agents = new AgentStore(db);
  }

  /** Runs fn in one transaction (a tick's claims commit together: one WAL commit, not one per contact). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  campaignsInState(state: CampaignRow['state']): CampaignRow[] {
    return this.campaigns.inState(state);
  }

  campaign(id: number): CampaignRow | undefined {
    return this.campaigns.forDialer(id);
  }

  dueContacts(campaignId: number, nowIso: string, limit: number, creditors: readonly string[] | null = null) {
    return this.contacts.due(campaignId, nowIso, limit, creditors);
  }

  phonesOf(debtorId: number) {
    return this.debtors.phonesOf(debtorId);
  }

  onDnc(e164: string): boolean {
    return this.debtors.onDnc(e164);
  }

  /** Finished outbound attempts on this claim, in any campaign (Regulation F counts per claim). */
  attemptsOnClaim(debtorId: number, claimId: number) {
    return attempts.attemptsOnClaim(this.db, debtorId, claimId);
  }

  /** Finished outbound attempts since `sinceIso` to this debtor about their other claims (one person, called as one). */
  attemptsOnOtherClaims(debtorId: number, claimId: number, sinceIso: string) {
    return attempts.attemptsOnOtherClaims(this.db, debtorId, claimId, sinceIso);
  }

  /** Debtors on a live call now, inbound or outbound (read once per tick: one scan of the live calls). */
  debtorsOnLiveCalls(): Set<number> {
    return attempts.debtorsOnLiveCalls(this.db);
  }

  liveCallCount(campaignId: number): number {
    return attempts.liveCallCount(this.db, campaignId);
  }

  /** Moves a contact that may not be called now to the policy's next time, with the reason in the event log. */
  defer(c: { campaignId: number; contactId: number }, untilIso: string, reason: string, nowIso: string): void {
    this.contacts.defer(c, untilIso, reason, nowIso);
  }

  /** Closes a pending contact without a call (attempt caps reached, every phone invalid or on the do-not-call list). */
  closeContact(c: { campaignId: number; contactId: number }, status: 'exhausted' | 'invalid' | 'dnc', reason: string, nowIso: string): void {
    this.contacts.close(c, status, reason, nowIso);
  }

  /**
   * Claims a pending contact and creates its call row in one transaction. False when the
   * contact is no longer pending (another tick or process took it, or it was closed).
   */
  claim(call: NewCall, nowIso: string): boolean {
    return this.db.transaction(() => {
      if (!this.contacts.take(call.contactId, nowIso)) return false;
      attempts.insertDialedCall(this.db, call, nowIso);
      appendEvent(this.db, { at: nowIso, kind: 'call_dialing', campaignId: call.campaignId, contactId: call.contactId, callId: call.id, data: { phoneId: call.phoneId } });
      return true;
    })();
  }

  setCallState(callId: string, state: 'ringing' | 'up', answeredAtIso: string | null): void {
    attempts.setLiveCallState(this.db, callId, state, answeredAtIso);
  }

  /**
   * Writes an attempt's end. False when it was already recorded: the end is seen once, by
   * whoever comes first (the flow's summary or the channel's end), and only while the
   * contact is still in progress on this very call.
   */
  recordOutcome(r: AttemptOutcomeRecord): boolean {
    return this.db.transaction(() => {
      if (attempts.latestCallOfContact(this.db, r.contactId) !== r.callId) return false;
      if (!this.contacts.endAttempt(r.contactId, r.at, r.contact)) return false;
      attempts.endAttemptCall(this.db, r.callId, r.at, r.call);
      if (r.phone) this.debtors.setPhoneStatus(r.phone.id, r.phone.status, r.at);
      appendEvent(this.db, { at: r.at, kind: r.event.kind, campaignId: r.campaignId, contactId: r.contactId, callId: r.callId, data: r.event.data });
      return true;
    })();
  }

  attemptContext(callId: string) {
    return attempts.attemptContext(this.db, callId);
  }

  /** Outbound calls the store believes are live (for the restart sweep). */
  liveCalls() {
    return attempts.liveOutboundCalls(this.db);
  }

  /** Closes a call row that no contact waits on any more (found live in the store, gone in Asterisk). */
  interruptCall(callId: string, nowIso: string): void {
    attempts.interruptCall(this.db, callId, nowIso);
  }

  /** Contacts in progress without any live call row: put back to pending. Returns how many. */
  releaseOrphanContacts(nextIso: string, nowIso: string): number {
    return this.contacts.releaseOrphans(nextIso, nowIso);
  }

  /** Marks a running campaign finished when it has contacts and none is pending or in progress. */
  finishIfDone(campaignId: number, nowIso: string): boolean {
    return this.campaigns.finishIfDone(campaignId, nowIso);
  }

  /** Pauses a running campaign the dialer cannot work on, with the reason the operator sees; false if it was no longer running. */
  pauseFailing(campaignId: number, reason: string, nowIso: string): boolean {
    return this.campaigns.pauseFailing(campaignId, reason, nowIso);
  }

  /** Agents by state, for the pacer of agent campaigns. */
  agentCounts(): Record<string, number> {
    return this.agents.countsByState();
  }

  /** creditors: only the contacts and calls about their claims (a token limited to them; null: all). */
  counts(campaignId: number, creditors: readonly string[] | null = null): CampaignCounts {
    return { contacts: this.contacts.countsByStatus(campaignId, creditors), ...attempts.campaignCallCounts(this.db, campaignId, creditors) };
  }
}
