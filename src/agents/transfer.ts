/**
 * One warm transfer (DESIGN.md, warm transfer): the debtor waits in a holding bridge with
 * music; agents are rung one at a time (longest idle first, matching skill); the one who
 * answers hears the whisper on their own channel only, then both are joined in a mixing
 * bridge. Every wait is on the injected clock and is cancelled when the transfer ends.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock.ts';
import { isoUtc } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Bridge, Call, Telephony } from '../telephony/types.ts';
import type { TtsEngine } from '../tts/types.ts';
import type { PromptCatalog } from '../tts/prompts.ts';
import type { Language } from '../campaigns/settings.ts';
import type { Db } from '../store/db.ts';
import { createCall, getCall, updateCall } from '../store/calls.ts';
import type { AgentRegistry } from './registry.ts';
import { buildScreenPop, type ScreenPop } from './case.ts';
import type { Agent, TransferOutcome, TransferRequest } from './types.ts';
import { joinBridge } from './conversation.ts';

export interface TransferDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  telephony: Telephony;
  tts: TtsEngine;
  registry: AgentRegistry;
  ringTimeoutSec: number;
  /** How long a debtor may wait for an agent to become free, in seconds. */
  maxWaitSec: number;
  whisperLang: Language;
  prompts: PromptCatalog;
  mohClass?: string;
  /** Aborted when the service stops: waiting debtors and live conversations are ended. */
  shutdown: AbortSignal;
  /** The agent's desktop: show or update the screen pop. */
  pop(agentId: number, pop: ScreenPop): void;
}

type Wake = 'debtor_gone' | 'timeout' | 'answered' | 'leg_ended' | 'agent_free';

/** States from which an agent comes back to available without anyone doing anything. */
const RETURNING = new Set(['reserved', 'ringing', 'talking', 'wrap_up']);

export async function runTransfer(d: TransferDeps, req: TransferRequest, signal: AbortSignal | undefined, onFinished: Promise<void>[]): Promise<TransferOutcome> {
  const { call } = req;
  const log = d.log.child({ callId: req.callId });
  // One controller for everything this transfer waits on: aborting it cancels the clock timers.
  const life = new AbortController();
  const debtorGone = new Promise<Wake>((resolve) => {
    void call.whenEnded().then(() => resolve('debtor_gone'));
    if (signal?.aborted) resolve('debtor_gone');
    for (const s of [signal, d.shutdown]) s?.addEventListener('abort', () => resolve('debtor_gone'), { once: true, signal: life.signal });
    if (d.shutdown.aborted) resolve('debtor_gone');
  });
  const gone = () => call.ended || signal?.aborted === true || d.shutdown.aborted;
  const timer = (ms: number, until: AbortSignal = life.signal) =>
    d.clock.delay(ms, AbortSignal.any([life.signal, until])).then(() => 'timeout' as const, () => new Promise<never>(() => {}));
  const deadline = timer(d.maxWaitSec * 1000);

  let holding: Bridge | undefined;
  const leaveHolding = async () => {
    const h = holding;
    holding = undefined;
    if (!h) return;
    await h.stopMoh().catch(() => {});
    if (!call.ended) await h.removeChannel(call).catch(() => {});
    await h.destroy().catch(() => {});
  };

  try {
    if (gone()) return { kind: 'debtor_hung_up' };
    try {
      holding = await d.telephony.createBridge('holding', { name: `hold-${req.callId}` });
      await holding.addChannel(call);
      await holding.startMoh(d.mohClass);
    } catch (err) {
      if (gone()) return { kind: 'debtor_hung_up' };
      throw err;
    }
    const tried = new Set<number>();
    for (;;) {
      if (gone()) return { kind: 'debtor_hung_up' };
      const agent = req.agentId === undefined ? d.registry.reserve(req.skill, tried) : tried.has(req.agentId) ? undefined : d.registry.get(req.agentId);
      if (!agent && req.agentId !== undefined) return { kind: 'no_agent' };
      if (!agent) {
        const someoneReturns = d.registry.list().some((a) => !tried.has(a.id) && RETURNING.has(a.state) && (!req.skill || a.skills.includes(req.skill)));
        if (!someoneReturns) return { kind: 'no_agent' };
        const wake = await Promise.race([debtorGone, deadline, agentFreed(d.registry, req.skill, life.signal)]);
        if (wake === 'debtor_gone') return { kind: 'debtor_hung_up' };
        if (wake === 'timeout') return { kind: 'no_agent' };
        continue;
      }
      tried.add(agent.id);
      const r = await ringAgent(d, req, agent, debtorGone, timer, log);
      if (r.kind === 'debtor_gone') return { kind: 'debtor_hung_up' };
      if (r.kind === 'no_answer') continue;
      // Joined: the debtor leaves the holding bridge for the mixing one.
      const h = holding!;
      holding = undefined;
      const talk = await joinBridge(d, { req, agentId: agent.id, leg: r.leg, agentCallId: r.agentCallId, pop: r.pop, holding: h, log });
      onFinished.push(talk.finished);
      if (talk.joined === 'joined' && req.whisperAfterJoin) void whisper(d, r.leg, r.pop.whisper, log);
      if (talk.joined === 'joined') return { kind: 'connected', agentId: agent.id };
      // The agent hung up in the instant between whisper and bridge: the flow offers a callback.
      return talk.joined === 'debtor_gone' ? { kind: 'debtor_hung_up' } : { kind: 'no_agent' };
    }
  } finally {
    life.abort();
    await leaveHolding();
  }
}

type RingResult = { kind: 'debtor_gone' } | { kind: 'no_answer' } | { kind: 'answered'; leg: Call; agentCallId: string; pop: ScreenPop };

async function ringAgent(
  d: TransferDeps,
  req: TransferRequest,
  agent: Agent,
  debtorGone: Promise<Wake>,
  timer: (ms: number, until?: AbortSignal) => Promise<'timeout'>,
  log: Logger,
): Promise<RingResult> {
  const agentCallId = `${req.callId}-agent-${randomUUID().slice(0, 8)}`;
  const now = () => isoUtc(d.clock.now());
  const parent = getCall(d.db, req.callId) ? req.callId : null;
  createCall(d.db, {
    id: agentCallId,
    direction: 'agent',
    createdAt: now(),
    parentCallId: parent,
    agentId: agent.id,
    debtorId: req.debtorId,
    campaignId: req.campaignId,
    toNumber: agent.endpoint,
    state: 'dialing',
  });
  const pop = buildScreenPop(d.db, d.prompts, req, agentCallId, d.whisperLang, now());
  d.registry.apply(agent.id, 'ring');
  d.pop(agent.id, pop);

  const ringEnd = (patch: { disposition: 'no_answer' | 'failed' | 'abandoned'; cause?: number; text?: string }) =>
    updateCall(d.db, agentCallId, { state: 'ended', endedAt: now(), disposition: patch.disposition, hangupCause: patch.cause, hangupText: patch.text });
  const dropped = (phase: ScreenPop['phase']) => d.pop(agent.id, { ...pop, phase, endedAt: now() });

  let leg: Call;
  try {
    leg = await d.telephony.originate({
      endpoint: agent.endpoint,
      route: { kind: 'app', args: ['agent', req.callId, String(agent.id)] },
      // Bereik's own ring timer decides; Asterisk's originate timeout is only a safety net.
      timeoutSec: d.ringTimeoutSec + 5,
      channelId: agentCallId,
      variables: { BEREIK_CALL_ID: agentCallId },
    });
  } catch (err) {
    log.warn({ err, agentId: agent.id }, 'agent leg could not be placed');
    ringEnd({ disposition: 'failed' });
    d.registry.tryApply(agent.id, 'not_responding');
    dropped('ended');
    return { kind: 'no_answer' };
  }
  updateCall(d.db, agentCallId, { channelId: leg.id, state: 'ringing' });
  const ring = new AbortController();
  const answered = leg.whenInStasis().then((args) => (args ? ('answered' as const) : ('leg_ended' as const)));
  const wake = await Promise.race([debtorGone, answered, timer(d.ringTimeoutSec * 1000, ring.signal)]);
  ring.abort();

  if (wake !== 'answered') {
    await leg.hangup().catch(() => {});
    const info = leg.endInfo;
    if (wake === 'debtor_gone') {
      ringEnd({ disposition: 'abandoned', cause: info?.cause, text: info?.causeText });
      d.registry.tryApply(agent.id, 'release');
      dropped('ended');
      return { kind: 'debtor_gone' };
    }
    log.info({ agentId: agent.id, why: wake }, 'agent did not answer');
    ringEnd({ disposition: 'no_answer', cause: info?.cause, text: info?.causeText });
    // A phone that rings out is unattended: stop offering calls until the agent says they are back.
    d.registry.tryApply(agent.id, 'not_responding');
    dropped('ended');
    return { kind: 'no_answer' };
  }

  updateCall(d.db, agentCallId, { state: 'up', answeredAt: now(), disposition: 'answered' });
  d.registry.apply(agent.id, 'answer');
  d.pop(agent.id, { ...pop, phase: 'whisper' });
  // The whisper goes to the agent's channel only, before the debtor joins (DESIGN.md, ARI facts).
  const heard = req.whisperAfterJoin ? Promise.resolve() : whisper(d, leg, pop.whisper, log);
  const after = await Promise.race([debtorGone, heard.then(() => (leg.ended ? ('leg_ended' as const) : ('answered' as const)))]);
  if (after === 'debtor_gone' || after === 'leg_ended') {
    await leg.hangup().catch(() => {});
    updateCall(d.db, agentCallId, { state: 'ended', endedAt: now(), hangupCause: leg.endInfo?.cause, hangupText: leg.endInfo?.causeText });
    d.registry.tryApply(agent.id, 'hang_up');
    dropped('ended');
    return after === 'debtor_gone' ? { kind: 'debtor_gone' } : { kind: 'no_answer' };
  }
  return { kind: 'answered', leg, agentCallId, pop };
}

async function whisper(d: TransferDeps, leg: Call, text: string, log: Logger): Promise<void> {
  try {
    const audio = await d.tts.render(text, d.whisperLang, { listener: 'agent' });
    const pb = await leg.play(audio.media, { lang: d.whisperLang });
    await pb.finished;
  } catch (err) {
    // No whisper is better than no conversation: the screen pop still has everything.
    if (!leg.ended) log.warn({ err }, 'whisper could not be played');
  }
}

/** Resolves 'agent_free' when an agent with the skill becomes available. */
function agentFreed(registry: AgentRegistry, skill: string, signal: AbortSignal): Promise<Wake> {
  return new Promise((resolve) => {
    const onChange = (a: Agent) => {
      if (a.state === 'available' && (!skill || a.skills.includes(skill))) {
        registry.off('changed', onChange);
        resolve('agent_free');
      }
    };
    registry.on('changed', onChange);
    signal.addEventListener('abort', () => registry.off('changed', onChange), { once: true });
  });
}
