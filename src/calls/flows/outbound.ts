/**
 * Outbound collection call (DESIGN.md "Outbound"), entered as
 * Stasis(bereik,outbound,<call id>,<AMDSTATUS>,<AMDCAUSE>) (src/telephony/stasis-entry.ts):
 *   machine → the limited-content voicemail (who called, a number to call back; never
 *             the creditor, the amount or the word "debt") or hang up, per campaign;
 *   person  → identity check → segment route → message + menu, or an agent.
 * AMD's NOTSURE and a missing verdict (AMD off) are treated as a person.
 */
import type { AmdVerdict } from '../../telephony/types.ts';
import type { CallResultCode } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { say } from '../steps/say.ts';
import { checkIdentity, closeUnconfirmed } from './identity.ts';
import { routeInput, serveCase } from './serve-case.ts';
import { agentOutbound } from './agent-outbound.ts';

export async function outboundFlow(s: CallSession, amd: AmdVerdict): Promise<CallResultCode> {
  const machine = amd.status === 'MACHINE';
  s.markAnswered(machine ? 'machine' : 'answered', amd);
  const c = s.deps.cases.forCall(s.callId);
  if (!c) {
    s.log.error('no contact behind this call: hanging up without a word');
    return (s.result = 'failed');
  }
  s.setCase(c);
  s.replyTo = c.phone?.e164 ?? null;
  if (machine) {
    if (s.settings.voicemail === 'hangup') return (s.result = 'machine_hangup');
    s.setState('message');
    // Only who called and where to call back: prompt() adds callerName and callbackNumber.
    await say(s, 'voicemail');
    return (s.result = 'voicemail_left');
  }
  if (amd.status === 'HANGUP') return (s.result = 'hangup_early');
  // Agent campaigns: a person goes straight to an agent (the agent asks who they are).
  if (c.campaign && c.campaign.mode !== 'agentless' && (s.settings.answeredBy ?? 'agent') === 'agent') return agentOutbound(s, c);
  // Keys pressed while AMD listened were meant for nothing.
  s.call.clearDigits();
  const who = await checkIdentity(s, c);
  if (who !== 'confirmed') return closeUnconfirmed(s);
  const route = s.deps.routing.segment(routeInput(s, c));
  return serveCase(s, c, route, 'segment');
}
