/**
 * After the identity check, outbound and inbound calls go the same way: the route from
 * segmentation (or the callback rule) either puts the debtor through to an agent or
 * plays the automated follow-up with the menu the segment allows.
 */
import type { CallCase, CallResultCode, Route, RouteInput, TransferRequest } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { putThrough } from '../actions/agent.ts';
import { followUp } from './follow-up.ts';
import type { MenuAction } from '../deps.ts';

export function routeInput(s: CallSession, c: CallCase): RouteInput {
  return { amountCents: c.claim.amountCents, risk: c.debtor.risk, mode: c.campaign?.mode ?? null, settings: s.settings };
}

/** What an agent route falls back to when the campaign has no agents: every option, the wish to speak to someone recorded. */
export const AGENTLESS_MENU: MenuAction[] = ['paylink', 'agent', 'dispute', 'repeat'];

export async function serveCase(
  s: CallSession,
  c: CallCase,
  route: { route: Route; menuOptions: MenuAction[] },
  reason: TransferRequest['reason'],
): Promise<CallResultCode> {
  s.log.info({ route: route.route }, 'route');
  if (route.route === 'agent_now') {
    if (c.campaign?.mode === 'agentless') return followUp(s, c, AGENTLESS_MENU);
    return putThrough(s, c, reason);
  }
  return followUp(s, c, route.menuOptions);
}
