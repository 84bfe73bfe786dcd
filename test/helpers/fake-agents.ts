/** The agent registry as the pacer adapter reads it: a list, and 'changed' on each state move. */
import { EventEmitter } from 'node:events';
import { isoUtc, type FakeClock } from '../../src/lib/clock.ts';
import type { Agent, AgentState } from '../../src/agents/types.ts';

export class FakeAgents extends EventEmitter<{ changed: [Agent] }> {
  readonly all = new Map<number, Agent>();
  constructor(private readonly clock: FakeClock) {
    super();
  }
  list(): Agent[] {
    return [...this.all.values()];
  }
  set(id: number, state: AgentState): void {
    const at = isoUtc(this.clock.now());
    const a: Agent = { id, name: `a${id}`, endpoint: `PJSIP/agent${id}`, skills: [], state, stateSince: at, createdAt: at, updatedAt: at };
    this.all.set(id, a);
    this.emit('changed', a);
  }
}
