/**
 * Agent states as a table (pure): what may happen to an agent in each state, and who
 * gets the next call. The registry applies these; tests drive them with plain values.
 *
 *   offline ⇄ available ⇄ paused
 *   available → reserved → ringing → talking → wrap_up → available
 *                  └──────────┴→ available (released: no answer, debtor gone)
 *   ringing → paused (not responding: rang out, so stop offering calls)
 *   reserved → talking (connect: the agent's line is open, nothing rings)
 */
import type { AgentState } from './types.ts';

export type AgentEvent =
  /** The agent asks for a state on the desktop or through the API. */
  | 'go_available'
  | 'pause'
  | 'go_offline'
  /** The desk picked this agent for a debtor (atomic, in-process). */
  | 'reserve'
  /** The reservation or the ringing leg ended without a conversation. */
  | 'release'
  | 'ring'
  /** The agent rang out: no more calls until they say they are back. */
  | 'not_responding'
  | 'answer'
  /** A debtor was moved into the agent's open line: talking at once, nothing rings. */
  | 'connect'
  | 'hang_up'
  /** Wrap-up ended (the agent said so, or the wrap-up timer ran out). */
  | 'wrap_up_end';

const TABLE: Record<AgentEvent, Partial<Record<AgentState, AgentState>>> = {
  go_available: { offline: 'available', paused: 'available', available: 'available', wrap_up: 'available' },
  pause: { offline: 'paused', available: 'paused', paused: 'paused', wrap_up: 'paused' },
  go_offline: { available: 'offline', paused: 'offline', offline: 'offline', wrap_up: 'offline' },
  reserve: { available: 'reserved' },
  release: { reserved: 'available', ringing: 'available' },
  ring: { reserved: 'ringing' },
  not_responding: { ringing: 'paused', reserved: 'paused' },
  answer: { ringing: 'talking' },
  connect: { reserved: 'talking' },
  hang_up: { talking: 'wrap_up', ringing: 'available', reserved: 'available' },
  wrap_up_end: { wrap_up: 'available' },
};

/** The state after `event`, or null when the event is not allowed in `from`. */
export function nextState(from: AgentState, event: AgentEvent): AgentState | null {
  return TABLE[event][from] ?? null;
}

/** What an agent may ask for themselves (the rest is the desk's business). */
export const SELF_SERVICE: Record<'available' | 'paused' | 'offline', AgentEvent> = {
  available: 'go_available',
  paused: 'pause',
  offline: 'go_offline',
};

export interface Candidate {
  id: number;
  state: AgentState;
  skills: readonly string[];
  /** UTC ISO time the agent entered its state. */
  stateSince: string;
}

/**
 * The longest-idle available agent with the skill ('' = anyone), skipping `exclude`
 * (agents already tried for this debtor). Ties go to the lower id so the choice is stable.
 */
export function pickAgent<T extends Candidate>(agents: Iterable<T>, skill: string, exclude: ReadonlySet<number> = new Set()): T | undefined {
  let best: T | undefined;
  for (const a of agents) {
    if (a.state !== 'available' || exclude.has(a.id)) continue;
    if (skill && !a.skills.includes(skill)) continue;
    if (!best || a.stateSince < best.stateSince || (a.stateSince === best.stateSince && a.id < best.id)) best = a;
  }
  return best;
}
