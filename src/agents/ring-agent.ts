/**
 * One step of a warm transfer: ring one agent. Their phone rings (the screen pop shows
 * the case), and if they answer in time they hear the whisper on their own channel
 * while the debtor keeps the music. Whatever ends the step early (no answer, the agent
 * leaving during the whisper, the debtor gone) hangs the agent leg up, closes its row
 * and puts the agent where the state table says.
 */
import { randomUUID } from 'node:crypto';
import { isoUtc } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Call } from '../telephony/types.ts';
import type { ScreenPop } from './case.ts';
import type { LegEnd, TransferDeps } from './transfer-deps.ts';
import type { AgentEvent } from './states.ts';
import type { Agent, TransferRequest } from './types.ts';

/** Why a wait of the transfer ended. 'over': the session itself ended (never seen by a running step). */
export type Wake = 'debtor_gone' | 'over' | 'timeout' | 'cancelled' | 'answered' | 'leg_ended' | 'agent_free';

/** The session as a step sees it (transfer.ts). */
export interface RingContext {
  d: TransferDeps;
  req: TransferRequest;
  log: Logger;
  /** Resolves 'debtor_gone' when the debtor left, the flow cancelled or the service stops. */
  debtorGone: Promise<Wake>;
  /** A wait on the injected clock, cancelled with the session or with `until`. */
  wait(ms: number, until?: AbortSignal): Promise<Wake>;
  /** The step moved on: the session keeps its state current. */
  phase(state: 'ringing' | 'whisper'): void;
}

export type RingResult = { kind: 'debtor_gone' } | { kind: 'no_answer' } | { kind: 'answered'; leg: Call; agentCallId: string; pop: ScreenPop };

export async function ringAgent(t: RingContext, agent: Agent): Promise<RingResult> {
  const { d, req, log } = t;
  const agentCallId = `${req.callId}-agent-${randomUUID().slice(0, 8)}`;
  const now = () => isoUtc(d.clock.now());
  d.legs.open({ agentCallId, req, agent, at: now() });
  const pop = d.screenPop(req, agentCallId, now());
  d.registry.apply(agent.id, 'ring');
  t.phase('ringing');
  d.pop(agent.id, pop);
  d.agentLeg({ kind: 'ringing', agentId: agent.id, callId: req.callId, agentCallId, at: d.clock.now() });

  const dropped = (end: LegEnd, event: AgentEvent) => {
    d.legs.ended(agentCallId, now(), end);
    d.registry.tryApply(agent.id, event);
    d.pop(agent.id, { ...pop, phase: 'ended', endedAt: now() });
    d.agentLeg({ kind: 'ended', agentId: agent.id, callId: req.callId, agentCallId, at: d.clock.now() });
  };

  let leg: Call;
  try {
    leg = await d.telephony.originate({
      // The desktop softphone when the agent has one (it answers by itself), else their phone.
      endpoint: d.phoneOf?.(agent.id) ?? agent.endpoint,
      route: { kind: 'app', args: ['agent', req.callId, String(agent.id)] },
      // Bereik's own ring timer decides; Asterisk's originate timeout is only a safety net.
      timeoutSec: d.ringTimeoutSec + 5,
      channelId: agentCallId,
      variables: { BEREIK_CALL_ID: agentCallId },
    });
  } catch (err) {
    log.warn({ err, agentId: agent.id }, 'agent leg could not be placed');
    dropped({ disposition: 'failed' }, 'not_responding');
    return { kind: 'no_answer' };
  }
  d.legs.ringing(agentCallId, leg.id);
  const ring = new AbortController();
  const answered = leg.whenInStasis().then((args): Wake => (args ? 'answered' : 'leg_ended'));
  const wake = await Promise.race([t.debtorGone, answered, t.wait(d.ringTimeoutSec * 1000, ring.signal)]);
  ring.abort();

  if (wake !== 'answered') {
    await leg.hangup().catch(() => {});
    const info = leg.endInfo;
    if (wake === 'debtor_gone' || wake === 'over') {
      dropped({ disposition: 'abandoned', cause: info?.cause, causeText: info?.causeText }, 'release');
      return { kind: 'debtor_gone' };
    }
    log.info({ agentId: agent.id, why: wake }, 'agent did not answer');
    // A phone that rings out is unattended: stop offering calls until the agent says they are back.
    dropped({ disposition: 'no_answer', cause: info?.cause, causeText: info?.causeText }, 'not_responding');
    return { kind: 'no_answer' };
  }

  d.legs.answered(agentCallId, now());
  d.registry.apply(agent.id, 'answer');
  t.phase('whisper');
  d.pop(agent.id, { ...pop, phase: 'whisper' });
  // The whisper goes to the agent's channel only, before the debtor joins (DESIGN.md, ARI facts).
  const heard = req.whisperAfterJoin ? Promise.resolve() : whisper(d, leg, pop, log, req.whisper);
  const after = await Promise.race([t.debtorGone, heard.then((): Wake => (leg.ended ? 'leg_ended' : 'answered'))]);
  if (after !== 'answered') {
    await leg.hangup().catch(() => {});
    dropped({ cause: leg.endInfo?.cause, causeText: leg.endInfo?.causeText }, 'hang_up');
    return after === 'leg_ended' ? { kind: 'no_answer' } : { kind: 'debtor_gone' };
  }
  return { kind: 'answered', leg, agentCallId, pop };
}

/** Asterisk's own short beep (core sounds): the 'tone' whisper, a zip tone as the debtor arrives. */
export const WHISPER_TONE = 'sound:beep';

/**
 * Plays the whisper to the agent's leg only; resolves when it was heard or cut off. 'tone'
 * plays a short beep instead of the spoken text (the campaign's agentWhisper).
 */
export async function whisper(d: Pick<TransferDeps, 'tts' | 'whisperLang'>, leg: Call, pop: Pick<ScreenPop, 'whisper' | 'debtor'>, log: Logger, mode: TransferRequest['whisper'] = 'speech'): Promise<void> {
  try {
    const media = mode === 'tone' ? WHISPER_TONE : (await d.tts.render(pop.whisper, d.whisperLang, { listener: 'agent', owner: pop.debtor?.id })).media;
    const pb = await leg.play(media, { lang: d.whisperLang });
    await pb.finished;
  } catch (err) {
    // No whisper is better than no conversation: the screen pop still has everything.
    if (!leg.ended) log.warn({ err }, 'whisper could not be played');
  }
}
