/**
 * transfer: asks the AgentDesk to put the debtor through (warm transfer). After
 * 'connected' the agents module owns the bridging; this step only waits for the call to
 * end. A hang-up while waiting aborts the desk's work through the session's signal.
 */
import { isCallEnded, type CallSession } from '../session.ts';
import type { TransferOutcome, TransferRequest } from '../deps.ts';
import type { CampaignSettings } from '../../campaigns/settings.ts';

/** What the campaign says about the agent's side of a transfer: the whisper, and recording. */
export function agentSide(settings: CampaignSettings): Pick<TransferRequest, 'whisper' | 'recording'> {
  return {
    ...(settings.agentWhisper ? { whisper: settings.agentWhisper } : {}),
    ...(settings.recordAgentCalls ? { recording: { record: true, announce: settings.announceRecording === true } } : {}),
  };
}

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
    ...agentSide(s.settings),
  };
  const outcome = await settle(s, s.deps.agents.transfer(req, s.signal));
  s.log.info({ outcome: outcome.kind }, 'transfer');
  if (outcome.kind === 'connected') {
    s.record({ agentId: outcome.agentId });
    // The agents module talks to the call now; we only learn when it is over.
    // whenEnded() always resolves, so the outcome survives the hang-up that ends it.
    await s.call.whenEnded();
  }
  return outcome;
}

/** How long a desk may take to answer after the debtor hung up (it was told through the signal). */
const SETTLE_AFTER_HANGUP_MS = 5000;

/**
 * The desk's answer, even when the call ended meanwhile: a conversation that was connected
 * and then hung up is a transfer, not an early hang-up. A desk that errs counts as no agent.
 */
async function settle(s: CallSession, pending: Promise<TransferOutcome>): Promise<TransferOutcome> {
  const safe = pending.catch((err: unknown) => {
    s.log.error({ err }, 'transfer failed');
    return { kind: 'no_agent' } as const;
  });
  try {
    return await s.until(safe);
  } catch (err) {
    if (!isCallEnded(err)) throw err;
    const late = s.deps.clock.delay(SETTLE_AFTER_HANGUP_MS).then(() => ({ kind: 'debtor_hung_up' }) as const);
    return Promise.race([safe, late]);
  }
}
