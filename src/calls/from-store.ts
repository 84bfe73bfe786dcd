/**
 * The session's seams over the store's repositories. The CaseFinder: the store hands back
 * the campaign's settings as stored, and they are parsed here, with the campaign defaults,
 * the one way every reader parses them (src/campaigns/stored-settings.ts). The effects:
 * stamped with the session's clock, never the database's.
 */
import { parseStoredSettings } from '../campaigns/stored-settings.ts';
import type { CallEffectRepository, CaseRepository } from '../store/repositories.ts';
import type { CaseRow } from '../store/types.ts';
import type { CallCase, CallEffects, CaseFinder } from './deps.ts';

export function toCallCase(row: CaseRow): CallCase {
  return { ...row, campaign: row.campaign && { ...row.campaign, settings: parseStoredSettings(row.campaign.settings) } };
}

export function caseFinder(cases: CaseRepository): CaseFinder {
  return {
    forCall: (callId) => {
      const row = cases.forCall(callId);
      return row && toCallCase(row);
    },
    byPhone: (e164) => cases.byPhone(e164).map(toCallCase),
    byDebtorRef: (ref) => cases.byDebtorRef(ref).map(toCallCase),
  };
}

export function callEffects(effects: CallEffectRepository, now: () => string): CallEffects {
  return {
    requestCallback: (r) => effects.requestCallback({ ...r, at: now() }),
    recordDispute: (r) => effects.recordDispute({ ...r, at: now() }),
    messageHeard: (r) => effects.messageHeard(r),
  };
}
