/**
 * Agents in memory, persisted on every change. The registry is the only place an
 * agent's state changes: transitions are checked against the table in states.ts,
 * reservation is a synchronous check-and-set (one event loop, so two debtors can never
 * get the same agent), and wrap-up ends on the injected clock.
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import { isoUtc } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { NewAgent } from '../store/agents.ts';
import type { AgentRepository } from '../store/repositories.ts';
import { nextState, pickAgent, type AgentEvent } from './states.ts';
import type { Agent } from './types.ts';
import { guarded } from '../lib/handler-errors.ts';

export interface RegistryEvents {
  /** The agent's state (or details) changed; `agent` is the new snapshot. */
  changed: [agent: Agent];
  removed: [agentId: number];
}

export interface RegistryOptions {
  agents: AgentRepository;
  clock: Clock;
  log: Logger;
  wrapUpSec: number;
}

export class AgentRegistry extends EventEmitter<RegistryEvents> {
  private readonly agents = new Map<number, Agent>();
  private readonly wrapTimers = new Map<number, TimerHandle>();
  private readonly store: AgentRepository;

  constructor(private readonly opts: RegistryOptions) {
    super();
    this.store = opts.agents;
    const now = isoUtc(opts.clock.now());
    for (const a of this.store.list()) {
      // After a restart nobody is on a call we still own: reserved/ringing/talking agents
      // come back as wrap_up so they can record what happened, then become available.
      if (a.state === 'reserved' || a.state === 'ringing' || a.state === 'talking') {
        a.state = 'wrap_up';
        a.stateSince = now;
        this.store.setState(a.id, a.state, now);
      }
      this.agents.set(a.id, a);
      if (a.state === 'wrap_up') this.startWrapUp(a.id);
    }
  }

  list(): Agent[] {
    return [...this.agents.values()].map((a) => ({ ...a }));
  }

  get(id: number): Agent | undefined {
    const a = this.agents.get(id);
    return a && { ...a };
  }

  create(a: NewAgent): Agent {
    if (this.store.byEndpoint(a.endpoint)) throw new BereikError('CONFLICT', `agents: endpoint ${a.endpoint} already belongs to an agent`, undefined, 409);
    const created = this.store.create(a, isoUtc(this.opts.clock.now()));
    this.agents.set(created.id, created);
    this.emit('changed', { ...created });
    return { ...created };
  }

  update(id: number, patch: Partial<NewAgent>): Agent | undefined {
    if (!this.agents.has(id)) return undefined;
    if (patch.endpoint) {
      const other = this.store.byEndpoint(patch.endpoint);
      if (other && other.id !== id) throw new BereikError('CONFLICT', `agents: endpoint ${patch.endpoint} already belongs to agent ${other.id}`, undefined, 409);
    }
    const updated = this.store.update(id, patch, isoUtc(this.opts.clock.now()))!;
    const cur = this.agents.get(id)!;
    Object.assign(cur, { name: updated.name, endpoint: updated.endpoint, skills: updated.skills, updatedAt: updated.updatedAt });
    this.emit('changed', { ...cur });
    return { ...cur };
  }

  /** Removes an agent who is not on a call. */
  remove(id: number): boolean {
    const a = this.agents.get(id);
    if (!a) return false;
    if (a.state === 'reserved' || a.state === 'ringing' || a.state === 'talking') {
      throw new BereikError('CONFLICT', `agents: agent ${id} is ${a.state}; delete them after the call`, undefined, 409);
    }
    this.clearWrapUp(id);
    this.store.delete(id, isoUtc(this.opts.clock.now()));
    this.agents.delete(id);
    this.emit('removed', id);
    return true;
  }

  /** Applies an event; throws CONFLICT when the table does not allow it. */
  apply(id: number, event: AgentEvent): Agent {
    const a = this.agents.get(id);
    if (!a) throw new BereikError('NOT_FOUND', `agents: no agent ${id}`, undefined, 404);
    const to = nextState(a.state, event);
    if (!to) throw new BereikError('CONFLICT', `agents: agent ${id} cannot ${event.replace('_', ' ')} while ${a.state}`, { state: a.state, event }, 409);
    if (to === a.state) return { ...a };
    if (a.state === 'wrap_up') this.clearWrapUp(id);
    const since = isoUtc(this.opts.clock.now());
    a.state = to;
    a.stateSince = since;
    a.updatedAt = since;
    this.store.setState(id, to, since);
    this.opts.log.debug({ agentId: id, event, state: to }, 'agent state');
    if (to === 'wrap_up') this.startWrapUp(id);
    this.emit('changed', { ...a });
    return { ...a };
  }

  /** Applies an event if allowed; returns whether it was. For paths where the state may have moved on. */
  tryApply(id: number, event: AgentEvent): boolean {
    const a = this.agents.get(id);
    if (!a || !nextState(a.state, event)) return false;
    this.apply(id, event);
    return true;
  }

  hasAvailable(skill: string): boolean {
    return pickAgent(this.agents.values(), skill) !== undefined;
  }

  /**
   * Picks and reserves the longest-idle available agent with the skill, in one synchronous
   * step; among them those `preferred` first (agents with an open line: nothing rings).
   */
  reserve(skill: string, exclude: ReadonlySet<number> = new Set(), preferred?: (agentId: number) => boolean): Agent | undefined {
    const first = preferred ? pickAgent([...this.agents.values()].filter((x) => preferred(x.id)), skill, exclude) : undefined;
    const a = first ?? pickAgent(this.agents.values(), skill, exclude);
    if (!a) return undefined;
    return this.apply(a.id, 'reserve');
  }

  private startWrapUp(id: number): void {
    this.clearWrapUp(id);
    const ms = this.opts.wrapUpSec * 1000;
    this.wrapTimers.set(
      id,
      this.opts.clock.setTimeout(() => {
        this.wrapTimers.delete(id);
        guarded(this.opts.log, 'timer', { timer: 'wrap-up', agentId: id }, () => this.tryApply(id, 'wrap_up_end'));
      }, ms),
    );
  }

  private clearWrapUp(id: number): void {
    this.wrapTimers.get(id)?.cancel();
    this.wrapTimers.delete(id);
  }

  /** Cancels every timer (service shutdown). */
  close(): void {
    for (const id of [...this.wrapTimers.keys()]) this.clearWrapUp(id);
  }
}
