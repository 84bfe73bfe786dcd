/**
 * The segmentation rules of src/routing as the flows' Routing dependency. The callback
 * rule's actions map onto the same routes: play_message → menu_both, self_service →
 * self_service, agent → agent_now.
 */
import { segment } from '../routing/segment.ts';
import { routeCallback, type CallbackAction } from '../routing/callback.ts';
import type { Route, Routing } from './deps.ts';

const ROUTE_OF: Record<CallbackAction, Route> = { play_message: 'menu_both', self_service: 'self_service', agent: 'agent_now' };

export const segmentationRouting: Routing = {
  segment(i) {
    const s = segment({ amountCents: i.amountCents, risk: i.risk }, i.settings);
    return { route: s.route, menuOptions: s.menuOptions };
  },
  routeCallback(i) {
    const r = routeCallback({ messageHeard: i.messageHeard, claim: { amountCents: i.amountCents }, debtor: { risk: i.risk }, settings: i.settings });
    return { route: ROUTE_OF[r.action], menuOptions: r.segment.menuOptions };
  },
};
