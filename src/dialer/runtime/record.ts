/**
 * Records how an attempt ended and schedules what comes next for its contact: one path
 * for a live call's end, an originate Asterisk refused, and a call found gone after a
 * restart. Everything it needs is read from the call row, so it works the same after a
 * restart as during a call.
 */
import { isoUtc, type Clock } from '../../lib/clock.ts';
import { maskPhone, type Logger } from '../../lib/log.ts';
import type { AttemptOutcomeRecord, DialerRepository } from '../../store/dialer.ts';
import { judgeAttempt, historyRecord, type AttemptFacts, type AttemptVerdict } from '../outcomes.ts';
import { DEFAULT_SETTINGS, type CampaignSettings } from '../../campaigns/settings.ts';
import { outcomeToNext } from '../policy/attempts.ts';
import { isValidTimeZone } from '../policy/local-time.ts';
import { campaignSettings, countryOf } from './settings.ts';
import { isCallable } from '../policy/windows.ts';
import type { WindowsFor } from './deps.ts';

export interface RecordExtras {
  amdCause?: string;
  /** 'interrupted': the call was lost in a restart (disposition failed, result interrupted). */
  state?: 'ended' | 'interrupted';
  answeredAt?: number | null;
}

const INTERRUPTED: AttemptVerdict = {
  disposition: 'failed',
  result: 'interrupted',
  phoneStatus: null,
  messageHeard: false,
  attempt: { outcome: 'interrupted', conversation: false, closed: false, phoneStatus: null },
};

export interface Recorded {
  verdict: AttemptVerdict;
  contactStatus: string;
  nextAttemptAt: string | null;
}

/** Returns what was recorded, or null when the attempt was already recorded (or is unknown). */
export function recordAttempt(
  deps: { store: DialerRepository; clock: Clock; log: Logger; windowsFor?: WindowsFor | undefined },
  callId: string,
  facts: AttemptFacts,
  extras: RecordExtras = {},
): Recorded | null {
  const { store, clock, log } = deps;
  const a = store.attemptContext(callId);
  if (!a) return null;
  const now = clock.now();
  const settings = campaignSettings(a.settings);
  const verdict = extras.state === 'interrupted' ? INTERRUPTED : judgeAttempt(facts);
  const others = store
    .phonesOf(a.debtorId)
    .filter((p) => p.id !== a.phoneId && p.status !== 'invalid' && p.status !== 'dead' && !store.onDnc(p.e164));
  const windows = deps.windowsFor?.(settings) ?? isCallable;
  const policyFacts = {
    nowMs: now,
    attempts: a.attempts,
    // outcomeToNext adds this attempt itself; the flow may already have closed its row.
    history: store.attemptsOnClaim(a.debtorId, a.claimId).filter((h) => h.callId !== callId).map(historyRecord),
    otherPhonesLeft: others.length > 0,
    timeZone: a.timeZone || settings.defaultTimeZone,
    country: countryOf(a.e164, a.defaultCountry),
    dnc: false,
    callInProgress: false,
    agentReserved: false,
  };
  const schedule = (rules: CampaignSettings, timeZone: string) => {
    const n = outcomeToNext(verdict.attempt, rules, { ...policyFacts, timeZone }, windows);
    return { next: n, nextIso: n.nextAttemptAtMs === null ? null : isoUtc(n.nextAttemptAtMs) };
  };
  let scheduled: ReturnType<typeof schedule>;
  try {
    scheduled = schedule(settings, policyFacts.timeZone);
  } catch (err) {
    // Settings stored behind the API's checks (an unknown zone, a delay of 1e20 minutes):
    // the call happened and counts, so it is recorded with the strict defaults; the dialer
    // pauses the campaign itself once its rounds fail (failing.ts).
    log.error({ err, callId, campaignId: a.campaignId }, 'campaign settings break the retry rules: this attempt is scheduled by the defaults');
    scheduled = schedule(DEFAULT_SETTINGS, isValidTimeZone(a.timeZone) ? a.timeZone : DEFAULT_SETTINGS.defaultTimeZone);
  }
  const { next, nextIso } = scheduled;
  const s = facts.summary;
  const h = facts.hangup;
  const answeredAt = extras.answeredAt ?? (s?.answeredAt ? Date.parse(s.answeredAt) : null);
  const rec: AttemptOutcomeRecord = {
    callId,
    contactId: a.contactId,
    campaignId: a.campaignId,
    at: isoUtc(now),
    call: {
      state: extras.state ?? 'ended',
      disposition: verdict.disposition,
      result: verdict.result,
      amdStatus: facts.amdStatus || s?.amdStatus || null,
      amdCause: extras.amdCause || null,
      hangupCause: h?.cause ?? s?.hangupCause ?? null,
      hangupText: h?.causeText ?? null,
      answeredAt: answeredAt === null ? null : isoUtc(answeredAt),
      ...(s ? { dtmfPath: s.dtmfPath, messageHeard: s.messageHeard, identityConfirmed: s.identityConfirmed } : {}),
    },
    contact: {
      status: next.contactStatus,
      nextAttemptAt: nextIso,
      lastOutcome: verdict.attempt.outcome,
      result: next.contactStatus === 'pending' ? null : verdict.result,
      conversation: next.conversationAtMs !== null,
      abandoned: next.abandonedAtMs !== null,
      messageHeard: verdict.messageHeard,
    },
    ...(next.phoneStatus && a.phoneId !== null ? { phone: { id: a.phoneId, status: next.phoneStatus } } : {}),
    event: {
      kind: extras.state === 'interrupted' ? 'call_interrupted' : 'call_ended',
      data: {
        disposition: verdict.disposition,
        result: verdict.result,
        cause: h?.cause ?? null,
        contactStatus: next.contactStatus,
        next: nextIso,
      },
    },
  };
  if (!store.recordOutcome(rec)) return null;
  log.info(
    { callId, campaignId: a.campaignId, contactId: a.contactId, to: maskPhone(a.e164), disposition: verdict.disposition, result: verdict.result, contact: next.contactStatus, next: nextIso },
    'attempt recorded',
  );
  return { verdict, contactStatus: next.contactStatus, nextAttemptAt: nextIso };
}
