/**
 * The session's CaseFinder over the store's recognition queries: the store hands back the
 * campaign's settings as stored, and they are parsed here, with the campaign defaults,
 * the one way every reader parses them (src/campaigns/stored-settings.ts).
 */
import { parseStoredSettings } from '../campaigns/stored-settings.ts';
import type { sqliteCaseRepository } from '../store/recognition.ts';
import type { CaseRow } from '../store/types.ts';
import type { CallCase, CaseFinder } from './deps.ts';

export function toCallCase(row: CaseRow): CallCase {
  return { ...row, campaign: row.campaign && { ...row.campaign, settings: parseStoredSettings(row.campaign.settings) } };
}

export function caseFinder(cases: ReturnType<typeof sqliteCaseRepository>): CaseFinder {
  return {
    forCall: (callId) => {
      const row = cases.forCall(callId);
      return row && toCallCase(row);
    },
    byPhone: (e164) => cases.byPhone(e164).map(toCallCase),
    byDebtorRef: (ref) => cases.byDebtorRef(ref).map(toCallCase),
  };
}
