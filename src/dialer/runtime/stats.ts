/**
 * A campaign's progress, from SQL: where the contacts stand and what the calls came to.
 * What the operator's live view and GET /campaigns/:id/stats show.
 */
import type { CampaignCounts, ContactStatus, DialerRepository } from '../../store/dialer.ts';
import { AGENT_RESULTS, PAYLINK_RESULTS } from '../outcomes.ts';

export interface CampaignStats {
  campaignId: number;
  state: string;
  contacts: Record<ContactStatus, number> & { total: number };
  calls: CampaignCounts['calls'];
  answered: number;
  busy: number;
  noAnswer: number;
  machine: number;
  paylinks: number;
  agentRequests: number;
  /** Calls by flow result. */
  results: Record<string, number>;
}

/** creditors: the figures of their claims' contacts and calls only (a token limited to them; null: all). */
export function campaignStats(store: DialerRepository, campaignId: number, creditors: readonly string[] | null = null): CampaignStats | undefined {
  const campaign = store.campaign(campaignId);
  if (!campaign) return undefined;
  const { contacts, calls, results } = store.counts(campaignId, creditors);
  const sum = (keys: readonly string[]) => keys.reduce((n, k) => n + (results[k] ?? 0), 0);
  return {
    campaignId,
    state: campaign.state,
    contacts: { ...contacts, total: Object.values(contacts).reduce((a, b) => a + b, 0) },
    calls,
    answered: calls.answered,
    busy: calls.busy,
    noAnswer: calls.no_answer,
    machine: calls.machine,
    paylinks: sum(PAYLINK_RESULTS),
    agentRequests: sum(AGENT_RESULTS),
    results,
  };
}
