/**
 * Which contacts of a campaign to dial now: due ones in order, each checked against the
 * attempt policy (calling window in the debtor's zone, caps, quiet days, abandon rule),
 * the do-not-call list and live calls to the same debtor, then claimed atomically with
 * its call row. A contact that may not be called now is moved to the policy's next time
 * (with the reason in the event log) so the next tick does not read it again.
 */
import { randomUUID } from 'node:crypto';
import type { CampaignSettings } from '../../campaigns/settings.ts';
import { isoUtc } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { CampaignRow, DialerRepository, DueContact, PhoneRow } from '../../store/dialer.ts';
import { decideDue, type AttemptRecord } from '../policy/attempts.ts';
import { isCallable } from '../policy/windows.ts';
import { historyRecord } from '../outcomes.ts';
import { countryOf } from './settings.ts';
import type { WindowsFor } from './deps.ts';

export interface Claimed {
  callId: string;
  contact: DueContact;
  phone: PhoneRow;
}

/** A debtor already on a call is tried again this much later (clock ms). */
export const DEBTOR_BUSY_DEFER_MS = 5 * 60_000;
/** No calling window within a year (a misconfigured campaign): look again a day later. */
const NO_WINDOW_DEFER_MS = 24 * 3600_000;

const RANK: Record<PhoneRow['status'], number> = { active: 0, valid: 1, unknown: 2, invalid: 9, dead: 9 };

/** Callable phones, best first: numbers that reached the debtor before, then the import's order. Invalid, dead and DNC numbers are out. */
export function callablePhones(store: DialerRepository, debtorId: number): { phones: PhoneRow[]; anyValid: boolean } {
  const valid = store.phonesOf(debtorId).filter((p) => RANK[p.status] < 9);
  const phones = valid.filter((p) => !store.onDnc(p.e164)).sort((a, b) => RANK[a.status] - RANK[b.status] || a.position - b.position || a.id - b.id);
  return { phones, anyValid: valid.length > 0 };
}

/**
 * Recent attempts to this contact's debtor about their other claims, for decideDue: as far
 * back as any rule that spans claims can reach (the day cap, the longest retry delay, the
 * abandoned-call quiet period), plus a day.
 */
export function otherClaimsOf(store: DialerRepository, c: DueContact, now: number, s: CampaignSettings): AttemptRecord[] {
  const reach = Math.max(24 * 3600_000, s.abandonQuietHours * 3600_000, ...Object.values(s.retryDelayMinutes).map((m) => (m as number) * 60_000));
  return store.attemptsOnOtherClaims(c.debtorId, c.claimId, isoUtc(now - reach - 24 * 3600_000)).map(historyRecord);
}

export function claimDue(
  deps: { store: DialerRepository; log: Logger; windowsFor?: WindowsFor | undefined },
  campaign: CampaignRow,
  settings: CampaignSettings,
  now: number,
  want: number,
): Claimed[] {
  return deps.store.batch(() => claimBatch(deps, campaign, settings, now, want));
}

function claimBatch(
  deps: { store: DialerRepository; log: Logger; windowsFor?: WindowsFor | undefined },
  campaign: CampaignRow,
  settings: CampaignSettings,
  now: number,
  want: number,
): Claimed[] {
  const { store, log } = deps;
  const nowIso = isoUtc(now);
  const out: Claimed[] = [];
  const ids = { campaignId: campaign.id, contactId: 0 };
  const onCall = store.debtorsOnLiveCalls();
  const windows = deps.windowsFor?.(settings) ?? isCallable;
  // A few rounds: contacts deferred or closed in one round make room for the next ones.
  for (let round = 0; round < 4 && out.length < want; round++) {
    const limit = (want - out.length) * 3 + 10;
    const batch = store.dueContacts(campaign.id, nowIso, limit);
    for (const c of batch) {
      if (out.length >= want) break;
      ids.contactId = c.id;
      const { phones, anyValid } = callablePhones(store, c.debtorId);
      const phone = phones[0];
      if (!phone) {
        store.closeContact(ids, anyValid ? 'dnc' : 'invalid', anyValid ? 'every valid phone is on the do-not-call list' : 'no valid phone', nowIso);
        continue;
      }
      const timeZone = c.timeZone || settings.defaultTimeZone;
      const decision = decideDue(
        { status: 'pending', attempts: c.attempts, nextAttemptAtMs: null },
        store.attemptsOnClaim(c.debtorId, c.claimId).map(historyRecord),
        now,
        settings,
        {
          timeZone,
          country: countryOf(phone.e164, campaign.defaultCountry),
          dnc: false,
          callInProgress: onCall.has(c.debtorId),
          agentReserved: false,
          otherClaims: otherClaimsOf(store, c, now, settings),
        },
        windows,
      );
      if (!decision.due) {
        if (decision.reason === 'exhausted') store.closeContact(ids, 'exhausted', `${c.attempts} attempts made`, nowIso);
        else if (decision.reason === 'dnc') store.closeContact(ids, 'dnc', 'do-not-call', nowIso);
        else if (decision.reason === 'in_progress') store.defer(ids, isoUtc(now + DEBTOR_BUSY_DEFER_MS), 'debtor_on_call', nowIso);
        else if (decision.nextAt === null) {
          log.warn({ campaignId: campaign.id, contactId: c.id, reason: decision.reason }, 'no calling time within a year for this contact');
          store.defer(ids, isoUtc(now + NO_WINDOW_DEFER_MS), decision.reason, nowIso);
        } else store.defer(ids, isoUtc(Math.max(decision.nextAt, now + 1000)), decision.reason, nowIso);
        continue;
      }
      const callId = `out-${randomUUID()}`;
      const claimed = store.claim(
        { id: callId, campaignId: campaign.id, contactId: c.id, debtorId: c.debtorId, phoneId: phone.id, from: campaign.callerId, to: phone.e164 },
        nowIso,
      );
      if (claimed) {
        out.push({ callId, contact: c, phone });
        onCall.add(c.debtorId);
      }
    }
    if (batch.length < limit) break;
  }
  return out;
}
