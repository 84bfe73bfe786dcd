/** Campaign lifecycle: draft → running ⇄ paused → finished. Pure: no I/O. */
import type { CampaignState } from './settings.ts';

export type CampaignAction = 'start' | 'pause' | 'resume' | 'finish';
export const CAMPAIGN_ACTIONS: readonly CampaignAction[] = ['start', 'pause', 'resume', 'finish'];

const TRANSITIONS: Record<CampaignAction, { from: CampaignState[]; to: CampaignState }> = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  // Finishing a draft is allowed: an operator may abandon a campaign that never ran.
  finish: { from: ['draft', 'running', 'paused'], to: 'finished' },
};

/** The state after `action`, or undefined when the action is not allowed from `state`. */
export function nextState(state: CampaignState, action: CampaignAction): CampaignState | undefined {
  const t = TRANSITIONS[action];
  return t.from.includes(state) ? t.to : undefined;
}

/** Which actions are possible from a state (shown to the operator next to the campaign). */
export function allowedActions(state: CampaignState): CampaignAction[] {
  return CAMPAIGN_ACTIONS.filter((a) => nextState(state, a) !== undefined);
}
