/**
 * An answered outbound call of an agent campaign (progressive, predictive, preview): the
 * person goes straight to an agent through the desk — no IVR, no identity question by
 * machine. The agent asks who they are speaking to (identity before detail stays a rule:
 * the screen pop shows the case, the agent checks the name before naming the claim).
 *
 * Ofcom's abandoned-call rule, counted from the moment the phone was answered (so AMD's
 * listening time counts against it): if no agent is talking to the person 2 s after
 * answer, the call is abandoned — the wait for an agent is cancelled, the limited-content
 * information message (who called, the number to call back) starts at once, the call is
 * hung up and recorded as 'abandoned', which keeps the number from being called again for
 * abandonQuietHours unless an agent is reserved for it (dialer/policy/attempts.ts).
 *
 * Preview campaigns reserve the agent before dialling (calls.agent_id): only that agent is
 * rung. Machines never get here: outbound.ts leaves them the voicemail message first.
 */
import type { CallCase, CallResultCode, TransferOutcome, TransferRequest } from '../deps.ts';
import type { CallSession } from '../session.ts';
import type { RenderedPrompt } from '../../tts/types.ts';
import { playPrompts } from '../steps/play.ts';
import { agentSide } from '../steps/transfer.ts';

/** Ofcom: a live agent within 2 s of answer, else the call is abandoned. */
export const CONNECT_WITHIN_MS = 2000;
/** After the 2 s mark, how long the desk may take to let go of the debtor (holding bridge, agent leg). */
const RELEASE_WITHIN_MS = 500;

export async function agentOutbound(s: CallSession, c: CallCase): Promise<CallResultCode> {
  const clock = s.deps.clock;
  const row = s.deps.calls.get(s.callId);
  const answeredAtMs = row?.answeredAt ? Date.parse(row.answeredAt) : clock.now();
  s.setState('transferring');
  // Rendered before the 2 s mark, so an abandoned call only has to start the playback.
  const info = s.prompt('abandoned_info').catch((err: unknown) => err as Error);
  const cutoff = new AbortController();
  const left = answeredAtMs + CONNECT_WITHIN_MS - clock.now();
  s.setTimer(Math.max(0, left), () => cutoff.abort());
  const req: TransferRequest = {
    call: s.call,
    callId: s.callId,
    campaignId: c.campaign?.id ?? null,
    debtorId: c.debtor.id,
    claimId: c.claim.id,
    skill: s.settings.agentSkill,
    lang: s.lang,
    dtmfPath: '',
    reason: 'segment',
    whisperAfterJoin: true,
    ...agentSide(s.settings),
    ...(c.campaign?.mode === 'preview' && row?.agentId != null ? { agentId: row.agentId } : {}),
  };
  // Past the 2 s mark already (AMD listened that long): nobody is rung for an abandoned call.
  const pending: Promise<TransferOutcome> =
    left <= 0
      ? Promise.resolve({ kind: 'no_agent' })
      : s.deps.agents.transfer(req, AbortSignal.any([s.signal, cutoff.signal])).catch((err: unknown): TransferOutcome => {
          s.log.error({ err }, 'agent connect failed');
          return { kind: 'no_agent' };
        });
  const outcome = await Promise.race([pending, abortedAt(cutoff.signal).then(() => released(s, pending))]);

  if (outcome.kind === 'connected') {
    const late = clock.now() - answeredAtMs - CONNECT_WITHIN_MS;
    // Joined in the instant the 2 s ran out: a person is talking to an agent, so it stays connected.
    if (late > 0) s.log.warn({ lateMs: late }, 'agent joined after the 2 s mark');
    s.record({ agentId: outcome.agentId });
    s.result = 'transferred';
    await s.call.whenEnded();
    return s.result;
  }
  // Gone before the 2 s mark: they left us, not the other way round. After it, they had been abandoned.
  if (s.call.ended) return (s.result = clock.now() - answeredAtMs < CONNECT_WITHIN_MS ? 'hangup_early' : 'abandoned');
  // No agent within 2 s (or none at all): the information message, then hang up.
  s.result = 'abandoned';
  s.setState('closing');
  const prompt = await info;
  if (prompt instanceof Error) s.log.error({ err: prompt }, 'abandoned_info could not be rendered');
  else await playPrompts(s, [prompt as RenderedPrompt], { bargeIn: false });
  s.farewellSaid = true;
  s.throwIfEnded();
  await s.call.hangup('normal');
  s.log.info({ waitedMs: clock.now() - answeredAtMs }, 'abandoned: no agent within 2 s');
  return s.result;
}

function abortedAt(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The desk's answer after the cutoff: it lets go of the debtor (or joined them just in time). */
async function released(s: CallSession, pending: Promise<TransferOutcome>): Promise<TransferOutcome> {
  const late = s.deps.clock.delay(RELEASE_WITHIN_MS).then((): TransferOutcome => ({ kind: 'no_agent' }));
  return Promise.race([pending, late]);
}
