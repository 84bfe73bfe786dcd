/**
 * The conversation after a warm transfer: debtor and agent in one mixing bridge until
 * either hangs up; then the other is hung up cleanly, the bridge destroyed, the agent
 * leg closed in the store and the agent put in wrap-up.
 */
import { isoUtc } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Bridge, Call } from '../telephony/types.ts';
import type { ScreenPop } from './case.ts';
import type { RecordingPolicy, TransferRequest } from './types.ts';
import type { TransferDeps } from './transfer-deps.ts';
import type { LiveConversation } from './live-calls.ts';
import type { RecordingRun } from './recorder.ts';

export interface Joining {
  req: TransferRequest;
  agentId: number;
  leg: Call;
  agentCallId: string;
  pop: ScreenPop;
  /** The debtor's holding bridge: music stops, the debtor moves out, it is destroyed. */
  holding: Bridge;
  log: Logger;
}

export interface Talk {
  /** 'joined': both are in the mixing bridge; otherwise who was gone before they could be. */
  joined: 'joined' | 'debtor_gone' | 'agent_gone';
  /** Resolves once both legs are down and the agent is in wrap-up. */
  finished: Promise<void>;
}

export async function joinBridge(d: TransferDeps, j: Joining): Promise<Talk> {
  const { req, leg, log } = j;
  const debtor = req.call;
  const now = () => isoUtc(d.clock.now());
  let mixing: Bridge | undefined;
  let joined: Talk['joined'] = 'joined';
  let announced = false;
  try {
    await j.holding.stopMoh().catch(() => {});
    // The debtor hears that the conversation is recorded before the agent is put through.
    announced = (await d.recorder?.announce(req.recording, debtor, req.lang)) ?? false;
    mixing = await d.telephony.createBridge('mixing', { name: `talk-${req.callId}` });
    // Adding the debtor to the mixing bridge moves them out of the holding bridge.
    await mixing.addChannel(debtor);
    await mixing.addChannel(leg);
  } catch (err) {
    joined = debtor.ended ? 'debtor_gone' : 'agent_gone';
    if (!debtor.ended && !leg.ended) log.error({ err }, 'could not bridge debtor and agent');
  }
  await j.holding.destroy().catch(() => {});
  if (joined === 'joined' && (debtor.ended || leg.ended)) joined = debtor.ended ? 'debtor_gone' : 'agent_gone';
  const connectedAt = joined === 'joined' ? now() : null;
  const legEvent = (kind: 'connected' | 'ended') => d.agentLeg({ kind, agentId: j.agentId, callId: req.callId, agentCallId: j.agentCallId, at: d.clock.now() });
  if (joined === 'joined') {
    log.info({ agentId: j.agentId }, 'debtor and agent bridged');
    d.pop(j.agentId, { ...j.pop, phase: 'connected', connectedAt });
    legEvent('connected');
  }

  const recording = joined === 'joined' && mixing ? await goLive(d, { callId: req.callId, agentCallId: j.agentCallId, agentId: j.agentId, campaignId: req.campaignId, debtorId: req.debtorId, since: connectedAt!, debtor, agentLeg: leg, bridge: mixing }, req.recording, announced) : undefined;

  const finished = (async () => {
    if (joined === 'joined') {
      const over = new AbortController();
      await Promise.race([debtor.whenEnded(), leg.whenEnded(), aborted(d.shutdown, over.signal)]);
      over.abort();
    }
    d.live?.ended(req.callId);
    // Whoever is still on the line is hung up: the conversation is over for both.
    await Promise.all([leg.hangup().catch(() => {}), joined === 'agent_gone' ? undefined : debtor.hangup().catch(() => {})]);
    await recording?.stop();
    await mixing?.destroy().catch(() => {});
    await recording?.stored;
    const info = leg.endInfo;
    d.legs.ended(j.agentCallId, now(), { cause: info?.cause, causeText: info?.causeText });
    d.registry.tryApply(j.agentId, 'hang_up');
    d.pop(j.agentId, { ...j.pop, phase: 'ended', connectedAt, endedAt: now() });
    legEvent('ended');
  })();
  return { joined, finished };
}

/** The conversation is on: supervisors see it, and it is recorded when its campaign says so. */
export async function goLive(d: Pick<TransferDeps, 'live' | 'recorder'>, c: LiveConversation, recording: RecordingPolicy | undefined, announced: boolean): Promise<RecordingRun | undefined> {
  d.live?.started(c);
  return d.recorder?.start(c, recording, announced);
}

/** Resolves when `signal` aborts, or quietly when `until` does (the race it was in is over). */
export function aborted(signal: AbortSignal, until: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || until.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true, signal: until });
    until.addEventListener('abort', () => resolve(), { once: true });
  });
}
