/**
 * A debtor calls back (DESIGN.md, inbound path 3): not heard the message yet → play it
 * with next steps and the segment's menu; heard it → an agent. Segmentation decides
 * first: a small claim stays self-service even when the message was heard (agents are
 * not for small claims), and high risk or a high amount goes to an agent even when not.
 */
import { segment, type Segment, type SegmentInput, type SegmentRule, type SegmentSettings, DEFAULT_RULES } from './segment.ts';

export type CallbackAction = 'play_message' | 'agent' | 'self_service';

export interface CallbackInput {
  messageHeard: boolean;
  claim: Pick<SegmentInput, 'amountCents'>;
  debtor: Pick<SegmentInput, 'risk'>;
  settings: SegmentSettings;
  rules?: readonly SegmentRule[];
}

export interface CallbackRoute {
  /** play_message: the message + next steps + menu; self_service: the message with the pay-link menu only; agent: transfer now. */
  action: CallbackAction;
  segment: Segment;
}

export function routeCallback(input: CallbackInput): CallbackRoute {
  const seg = segment({ amountCents: input.claim.amountCents, risk: input.debtor.risk }, input.settings, input.rules ?? DEFAULT_RULES);
  if (seg.route === 'agent_now') return { action: 'agent', segment: seg };
  if (seg.route === 'self_service') return { action: 'self_service', segment: seg };
  return { action: input.messageHeard ? 'agent' : 'play_message', segment: seg };
}
