/**
 * transfer: asks the AgentDesk to put the debtor through (warm transfer). After
 * 'connected' the agents module owns the bridging; this step only waits for the call to
 * end. A hang-up while waiting aborts the desk's work through the session's signal.
 */
import type { CallSession } from '../session.ts';
import type { TransferOutcome, TransferRequest } from '../deps.ts';

export async function transfer(s: CallSession, reason: TransferRequest['reason']): Promise<TransferOutcome> {
  s.setState('transferring');
  const c = s.case;
  const req: TransferRequest = {
    call: s.call,
    callId: s.callId,
    campaignId: c?.campaign?.id ?? null,
    debtorId: c?.debtor.id ?? null,
    claimId: c?.claim.id ?? null,
    skill: s.settings.agentSkill,
    lang: s.lang,
    dtmfPath: s.dtmfPath,
    reason,
  };
  const outcome = await s.until(s.deps.agents.transfer(req, s.signal)).catch((err: unknown) => {
    s.throwIfEnded();
    s.log.error({ err }, 'transfer failed');
    return { kind: 'no_agent' } as const;
  });
  s.log.info({ outcome: outcome.kind }, 'transfer');
  if (outcome.kind === 'connected') {
    s.record({ agentId: outcome.agentId });
    // The agents module talks to the call now; we only learn when it is over.
    // whenEnded() always resolves, so the outcome survives the hang-up that ends it.
    await s.call.whenEnded();
  }
  return outcome;
}
