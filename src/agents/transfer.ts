/**
 * One warm transfer (DESIGN.md, warm transfer), owned by one TransferSession the way a
 * call is owned by its CallSession (STYLE.md): the debtor waits in a holding bridge with
 * music; agents are rung one at a time, longest idle first with the skill (ring-agent.ts);
 * the one who answers hears the whisper on their own channel only, then both are joined
 * in a mixing bridge (conversation.ts).
 *
 * The session holds the state (an explicit enum), the holding bridge, every wait on the
 * injected clock and the outcome. Three things end the wait for an agent early: the debtor
 * hangs up, the flow cancels (its signal), the service stops; all three come in as one
 * abort. run() settles on every path, and when it has settled the waits are cancelled,
 * the listeners removed, the holding bridge destroyed and any agent leg that did not
 * become a conversation hung up and closed. Only a connected conversation lives on, until
 * `finished`.
 */
import type { Logger } from '../lib/log.ts';
import type { Bridge } from '../telephony/types.ts';
import type { AgentRegistry } from './registry.ts';
import type { Agent, TransferOutcome, TransferRequest } from './types.ts';
import type { TransferDeps } from './transfer-deps.ts';
import { joinBridge } from './conversation.ts';
import { connectOnLine } from './line-connect.ts';
import { ringAgent, whisper, type RingContext, type RingResult, type Wake } from './ring-agent.ts';

export const TRANSFER_STATES = ['starting', 'holding', 'waiting', 'ringing', 'whisper', 'joining', 'connected', 'ended'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

/** States from which an agent comes back to available without anyone doing anything. */
const RETURNING = new Set(['reserved', 'ringing', 'talking', 'wrap_up']);

export class TransferSession {
  private _state: TransferState = 'starting';
  /** Aborted when run() settles: cancels every wait and listener of the attempt. */
  private readonly life = new AbortController();
  /** Aborted when the debtor hangs up, the flow cancels or the service stops. */
  private readonly stop = new AbortController();
  private readonly debtorGone: Promise<Wake>;
  private readonly log: Logger;
  private readonly steps: RingContext;
  private holding: Bridge | undefined;
  private _outcome: TransferOutcome | undefined;
  private conversation: Promise<void> = Promise.resolve();

  constructor(
    private readonly d: TransferDeps,
    readonly req: TransferRequest,
    signal?: AbortSignal,
  ) {
    this.log = d.log.child({ callId: req.callId });
    const stop = () => this.stop.abort();
    void req.call.whenEnded().then(stop);
    for (const s of [signal, d.shutdown]) {
      if (s?.aborted) stop();
      else s?.addEventListener('abort', stop, { once: true, signal: this.life.signal });
    }
    this.debtorGone = untilAborted(this.stop.signal, this.life.signal);
    this.steps = { d, req, log: this.log, debtorGone: this.debtorGone, wait: (ms, until) => this.wait(ms, until), phase: (s) => this.setState(s) };
  }

  get state(): TransferState {
    return this._state;
  }

  /** How the attempt ended; undefined while it runs (or if it failed). */
  get outcome(): TransferOutcome | undefined {
    return this._outcome;
  }

  /** Resolves once a connected conversation is over and both legs are down (at once otherwise). */
  get finished(): Promise<void> {
    return this.conversation;
  }

  /** Puts the debtor through, or says why not. Call once. */
  async run(): Promise<TransferOutcome> {
    try {
      this._outcome = await this.attempt();
      return this._outcome;
    } finally {
      this.life.abort();
      await this.leaveHolding();
      if (this._outcome?.kind !== 'connected') this.setState('ended');
    }
  }

  private get gone(): boolean {
    return this.req.call.ended || this.stop.signal.aborted;
  }

  private setState(next: TransferState): void {
    if (this._state === 'ended' || this._state === next) return;
    this.log.debug({ from: this._state, to: next }, 'transfer state');
    this._state = next;
  }

  private async attempt(): Promise<TransferOutcome> {
    const { d, req } = this;
    // The debtor's wait for a free agent counts from here, across every agent tried.
    const deadline = this.wait(d.maxWaitSec * 1000);
    if (this.gone) return { kind: 'debtor_hung_up' };
    let holding: Bridge;
    try {
      holding = await this.hold();
    } catch (err) {
      if (this.gone) return { kind: 'debtor_hung_up' };
      throw err;
    }
    const tried = new Set<number>();
    for (;;) {
      if (this.gone) return { kind: 'debtor_hung_up' };
      const agent = this.nextAgent(tried);
      if (!agent) {
        if (req.agentId !== undefined || !this.someoneReturns(tried)) return { kind: 'no_agent' };
        const wake = await this.waitForAgent(deadline);
        if (wake === 'agent_free') continue;
        return wake === 'timeout' ? { kind: 'no_agent' } : { kind: 'debtor_hung_up' };
      }
      tried.add(agent.id);
      const line = d.lines?.get(agent.id);
      if (line && d.lines) {
        const r = await connectOnLine(this.steps, d.lines, agent, line, holding);
        if (r.kind === 'debtor_gone') return { kind: 'debtor_hung_up' };
        if (r.kind === 'line_gone') continue;
        return this.connected(agent.id, r.finished);
      }
      const r = await ringAgent(this.steps, agent);
      if (r.kind === 'debtor_gone') return { kind: 'debtor_hung_up' };
      if (r.kind === 'no_answer') continue;
      return this.join(agent.id, r, holding);
    }
  }

  private async hold(): Promise<Bridge> {
    this.setState('holding');
    const h = await this.d.telephony.createBridge('holding', { name: `hold-${this.req.callId}` });
    this.holding = h;
    await h.addChannel(this.req.call);
    await h.startMoh(this.d.mohClass);
    return h;
  }

  /** The next agent to ring: the one reserved for this contact (preview), or the longest idle with the skill. */
  private nextAgent(tried: ReadonlySet<number>): Agent | undefined {
    const { agentId, skill } = this.req;
    const lines = this.d.lines;
    if (agentId === undefined) return this.d.registry.reserve(skill, tried, lines && ((id) => lines.isOpen(id)));
    return tried.has(agentId) ? undefined : this.d.registry.get(agentId);
  }

  /** Whether waiting makes sense: an agent not tried yet will come back to available by themselves. */
  private someoneReturns(tried: ReadonlySet<number>): boolean {
    const skill = this.req.skill;
    return this.d.registry.list().some((a) => !tried.has(a.id) && RETURNING.has(a.state) && (!skill || a.skills.includes(skill)));
  }

  private async waitForAgent(deadline: Promise<Wake>): Promise<Wake> {
    this.setState('waiting');
    const step = new AbortController();
    try {
      return await Promise.race([this.debtorGone, deadline, agentFreed(this.d.registry, this.req.skill, step.signal)]);
    } finally {
      step.abort();
    }
  }

  private async join(agentId: number, r: Extract<RingResult, { kind: 'answered' }>, holding: Bridge): Promise<TransferOutcome> {
    this.setState('joining');
    // The debtor leaves the holding bridge for the mixing one; joinBridge destroys it.
    this.holding = undefined;
    const talk = await joinBridge(this.d, { req: this.req, agentId, leg: r.leg, agentCallId: r.agentCallId, pop: r.pop, holding, log: this.log });
    if (talk.joined !== 'joined') {
      // Nothing of the failed join outlives the outcome: the agent leg is down and closed first.
      await talk.finished.catch((err: unknown) => this.log.error({ err, agentId }, 'closing the agent leg failed'));
      // The agent hung up in the instant between whisper and bridge: the flow offers a callback.
      return talk.joined === 'debtor_gone' ? { kind: 'debtor_hung_up' } : { kind: 'no_agent' };
    }
    // Agent campaigns: the agent hears the whisper over the first seconds of the conversation.
    const late = this.req.whisperAfterJoin ? whisper(this.d, r.leg, r.pop, this.log, this.req.whisper) : undefined;
    return this.connected(agentId, Promise.all([talk.finished, late]).then(() => {}));
  }

  /** The debtor is in the agent's line bridge: the holding bridge goes, the conversation runs on. */
  private async connected(agentId: number, finished: Promise<void>): Promise<TransferOutcome> {
    this.setState('connected');
    // The debtor already left the holding bridge (moved into the agent's): only the bridge is left.
    const h = this.holding;
    this.holding = undefined;
    await h?.destroy().catch(() => {});
    this.conversation = finished.then(
      () => this.setState('ended'),
      (err: unknown) => {
        this.setState('ended');
        throw err;
      },
    );
    return { kind: 'connected', agentId };
  }

  /** A wait on the injected clock: 'timeout', or 'cancelled' once the session or `until` ends it. */
  private wait(ms: number, until?: AbortSignal): Promise<Wake> {
    const signal = until ? AbortSignal.any([this.life.signal, until]) : this.life.signal;
    return this.d.clock.delay(ms, signal).then(
      (): Wake => 'timeout',
      (): Wake => 'cancelled',
    );
  }

  private async leaveHolding(): Promise<void> {
    const h = this.holding;
    this.holding = undefined;
    if (!h) return;
    await h.stopMoh().catch(() => {});
    if (!this.req.call.ended) await h.removeChannel(this.req.call).catch(() => {});
    await h.destroy().catch(() => {});
  }
}

/** 'debtor_gone' when `stop` aborts; 'over' when `life` does first (the session settled). */
function untilAborted(stop: AbortSignal, life: AbortSignal): Promise<Wake> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve('debtor_gone');
    stop.addEventListener('abort', () => resolve('debtor_gone'), { once: true, signal: life });
    life.addEventListener('abort', () => resolve('over'), { once: true });
  });
}

/** 'agent_free' when an agent with the skill becomes available; 'cancelled' once `signal` aborts. */
function agentFreed(registry: AgentRegistry, skill: string, signal: AbortSignal): Promise<Wake> {
  return new Promise((resolve) => {
    const onChange = (a: Agent) => {
      if (a.state === 'available' && (!skill || a.skills.includes(skill))) {
        registry.off('changed', onChange);
        resolve('agent_free');
      }
    };
    registry.on('changed', onChange);
    signal.addEventListener(
      'abort',
      () => {
        registry.off('changed', onChange);
        resolve('cancelled');
      },
      { once: true },
    );
  });
}
