/**
 * One step of a transfer when the reserved agent has an open line (line.ts): nothing
 * rings. The whisper plays on the agent's line channel (the debtor keeps the music in
 * the holding bridge), then the debtor is moved into the agent's bridge. Agent campaigns
 * (whisperAfterJoin) move the debtor first: the 2 s rule counts from the debtor's answer
 * to this move, which takes one ARI request instead of a ring and an answer. A campaign
 * whose agentWhisper is 'tone' moves the debtor first too, and the agent hears a beep.
 *
 * When the debtor leaves, the agent stays on the line (the bridge stays, the line's call
 * stays up) and goes to wrap-up. A line that drops mid-conversation ends the debtor's
 * call as a hung-up agent leg would, and the agent is paused once in wrap-up.
 */
import { randomUUID } from 'node:crypto';
import { isoUtc } from '../lib/clock.ts';
import type { Bridge } from '../telephony/types.ts';
import type { ScreenPop } from './case.ts';
import type { AgentLines, OpenLine } from './line.ts';
import { whisper, type RingContext, type Wake } from './ring-agent.ts';
import { aborted, goLive } from './conversation.ts';
import type { Agent } from './types.ts';

export type LineResult = { kind: 'debtor_gone' } | { kind: 'line_gone' } | { kind: 'connected'; finished: Promise<void> };

export async function connectOnLine(t: RingContext, lines: AgentLines, agent: Agent, line: OpenLine, holding: Bridge): Promise<LineResult> {
  const { d, req, log } = t;
  const agentCallId = `${req.callId}-line-${randomUUID().slice(0, 8)}`;
  const now = () => isoUtc(d.clock.now());
  const debtor = req.call;
  d.legs.open({ agentCallId, req, agent, at: now() });
  d.legs.ringing(agentCallId, line.leg.id);
  d.legs.answered(agentCallId, now());
  line.debtorCallId = req.callId;
  const pop: ScreenPop = d.screenPop(req, agentCallId, now());
  d.registry.apply(agent.id, 'connect');
  const legEvent = (kind: 'connected' | 'ended') => d.agentLeg({ kind, agentId: agent.id, callId: req.callId, agentCallId, at: d.clock.now() });
  let connectedAt: string | null = null;
  const end = (end: 'debtor_gone' | 'line_gone') => {
    line.debtorCallId = undefined;
    d.legs.ended(agentCallId, now(), {});
    d.registry.tryApply(agent.id, 'hang_up');
    if (!lines.isOpen(agent.id)) d.registry.tryApply(agent.id, 'pause');
    d.pop(agent.id, { ...pop, phase: 'ended', connectedAt, endedAt: now() });
    legEvent('ended');
    return end;
  };

  // The spoken whisper first, unless it follows the join (agent campaigns) or is only a tone
  // (agentWhisper 'tone'): then the debtor is moved in at once and the beep plays as they arrive.
  const whisperFirst = !req.whisperAfterJoin && req.whisper !== 'tone';
  if (whisperFirst) {
    t.phase('whisper');
    d.pop(agent.id, { ...pop, phase: 'whisper' });
    const heard = whisper(d, line.leg, pop, log).then((): Wake => (line.leg.ended ? 'leg_ended' : 'answered'));
    const after = await Promise.race([t.debtorGone, heard]);
    if (after !== 'answered') return { kind: end(after === 'leg_ended' ? 'line_gone' : 'debtor_gone') };
  }
  let announced = false;
  try {
    await holding.stopMoh().catch(() => {});
    // The debtor hears that the conversation is recorded before the agent is put through.
    announced = (await d.recorder?.announce(req.recording, debtor, req.lang)) ?? false;
    if (debtor.ended) return { kind: end('debtor_gone') };
    if (line.bridge.destroyed || line.leg.ended) return { kind: end('line_gone') };
    // Adding the debtor to the agent's bridge moves them out of the holding bridge.
    await line.bridge.addChannel(debtor);
  } catch (err) {
    if (!debtor.ended && !line.leg.ended) log.error({ err, agentId: agent.id }, 'could not move the debtor into the agent line');
    return { kind: end(debtor.ended ? 'debtor_gone' : 'line_gone') };
  }
  if (debtor.ended) return { kind: end('debtor_gone') };
  connectedAt = now();
  log.info({ agentId: agent.id }, 'debtor moved into the agent line');
  d.pop(agent.id, { ...pop, phase: 'connected', connectedAt });
  legEvent('connected');
  const late = whisperFirst ? undefined : whisper(d, line.leg, pop, log, req.whisper);
  const recording = await goLive(d, { callId: req.callId, agentCallId, agentId: agent.id, campaignId: req.campaignId, debtorId: req.debtorId, since: connectedAt, debtor, agentLeg: line.leg, bridge: line.bridge }, req.recording, announced);

  const finished = (async () => {
    const over = new AbortController();
    await Promise.race([debtor.whenEnded(), line.leg.whenEnded(), aborted(d.shutdown, over.signal)]);
    over.abort();
    d.live?.ended(req.callId);
    // The debtor's side is over; the agent's line stays up for the next one (the recording ends here).
    await debtor.hangup().catch(() => {});
    await recording?.stop();
    await late;
    await recording?.stored;
    end(line.leg.ended ? 'line_gone' : 'debtor_gone');
  })();
  return { kind: 'connected', finished };
}
