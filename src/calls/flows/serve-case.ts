/**
 * After the identity check, outbound and inbound calls go the same way: the route from
 * segmentation (or the callback rule) either puts the debtor through to an agent or
 * plays the automated follow-up with the menu the segment allows.
 *
 * The callback rule holds in every campaign mode (DESIGN.md, inbound path 3): a caller is
 * put through whatever the mode of the campaign that called them. Only an outbound call
 * of an agentless campaign, paced for the IVR with no agent kept for it, plays the message
 * first; its agent option asks the desk for a free agent when the debtor chooses it.
 */
import type { CallCase, CallResultCode, MenuAction, Route, RouteInput, TransferRequest } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { putThrough } from '../actions/agent.ts';
import { followUp } from './follow-up.ts';

export function routeInput(s: CallSession, c: CallCase): RouteInput {
  return { amountCents: c.claim.amountCents, risk: c.debtor.risk, mode: c.campaign?.mode ?? null, settings: s.settings };
}

/** An agent route on an agentless outbound call: every option, the agent among them. */
export const AGENTLESS_MENU: MenuAction[] = ['paylink', 'agent', 'dispute', 'repeat'];

export async function serveCase(
  s: CallSession,
  c: CallCase,
  route: { route: Route; menuOptions: MenuAction[] },
  reason: TransferRequest['reason'],
): Promise<CallResultCode> {
  s.log.info({ route: route.route }, 'route');
  if (route.route === 'agent_now') {
    if (reason === 'segment' && c.campaign?.mode === 'agentless') return followUp(s, c, AGENTLESS_MENU);
    return putThrough(s, c, reason);
  }
  return followUp(s, c, route.menuOptions);
}
