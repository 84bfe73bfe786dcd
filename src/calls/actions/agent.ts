/**
 * Put the debtor through to an agent: the menu's "payment arrangement / agent" choice,
 * the segment that goes straight to an agent, and a callback from a debtor who already
 * heard the message, in every campaign mode (DESIGN.md, inbound path 3). The desk is asked
 * for a free agent at this moment: an agentless call has none kept for it. Nobody logged in,
 * or nobody free in time, gives the no_agent_available message and a callback request.
 */
import type { CallCase, CallResultCode, TransferRequest } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { say, sayAndClose } from '../steps/say.ts';
import { transfer } from '../steps/transfer.ts';

export async function putThrough(s: CallSession, c: CallCase | null, reason: TransferRequest['reason']): Promise<CallResultCode> {
  const callback = (why: string) => {
    if (c) s.deps.effects.requestCallback({ callId: s.callId, debtorId: c.debtor.id, claimId: c.claim.id, reason: why });
  };
  if (s.deps.agents.hasAgents(s.settings.agentSkill)) {
    await say(s, 'transfer_wait');
    const out = await transfer(s, reason);
    if (out.kind === 'connected') return (s.result = 'transferred');
    if (out.kind === 'debtor_hung_up' || s.ended) {
      // They asked for a person and gave up waiting: somebody should call them.
      callback('hung_up_waiting');
      s.result = c ? 'callback_requested' : 'debtor_not_found';
      return s.result;
    }
  }
  if (!c) {
    // Nobody to call back: an unknown caller hears that we could not find them.
    s.result = 'debtor_not_found';
    await sayAndClose(s, 'debtor_not_found');
    return s.result;
  }
  callback('no_agent');
  s.result = 'callback_requested';
  await say(s, 'no_agent_available');
  return s.result;
}
