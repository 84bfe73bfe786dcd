/**
 * Segmentation: who gets an agent (DESIGN.md, "Segmentation"). Ordered rules over the
 * claim and the debtor, first match wins; thresholds come from the campaign settings.
 * Agents' time goes to the large and difficult claims; the many small ones settle
 * without a person. Dispute is offered on every route: a debtor may always contest.
 */
import type { CampaignSettings, Risk } from '../campaigns/settings.ts';

export type Route = 'agent_now' | 'self_service' | 'menu_both';
export type MenuOption = 'paylink' | 'agent' | 'dispute' | 'repeat';
export type SegmentReason = 'high_risk' | 'high_amount' | 'low_amount' | 'default';

export interface SegmentInput {
  amountCents: number;
  risk: Risk;
}

export type SegmentSettings = Pick<CampaignSettings, 'lowAmountCents' | 'highAmountCents'>;

export interface Segment {
  route: Route;
  reason: SegmentReason;
  /** Keys the menu offers, in the order the prompt names them (1 paylink, 2 agent, 3 dispute, 9 repeat). */
  menuOptions: MenuOption[];
}

export interface SegmentRule {
  reason: SegmentReason;
  route: Route;
  applies(input: SegmentInput, settings: SegmentSettings): boolean;
}

/** Menu per route. agent_now still lets the debtor hear the message again or dispute while the transfer is set up. */
export const MENU_BY_ROUTE: Record<Route, MenuOption[]> = {
  agent_now: ['agent', 'dispute', 'repeat'],
  self_service: ['paylink', 'dispute', 'repeat'],
  menu_both: ['paylink', 'agent', 'dispute', 'repeat'],
};

export const DEFAULT_RULES: readonly SegmentRule[] = [
  { reason: 'high_risk', route: 'agent_now', applies: (i) => i.risk === 'high' },
  { reason: 'high_amount', route: 'agent_now', applies: (i, s) => i.amountCents >= s.highAmountCents },
  { reason: 'low_amount', route: 'self_service', applies: (i, s) => i.amountCents < s.lowAmountCents },
];

export function segment(input: SegmentInput, settings: SegmentSettings, rules: readonly SegmentRule[] = DEFAULT_RULES): Segment {
  for (const rule of rules) {
    if (rule.applies(input, settings)) return { route: rule.route, reason: rule.reason, menuOptions: [...MENU_BY_ROUTE[rule.route]] };
  }
  return { route: 'menu_both', reason: 'default', menuOptions: [...MENU_BY_ROUTE.menu_both] };
}
