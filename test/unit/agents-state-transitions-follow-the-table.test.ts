import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextState, type AgentEvent } from '../../src/agents/states.ts';
import { AGENT_STATES, type AgentState } from '../../src/agents/types.ts';

// Every (state, event) pair; null = refused. Reading a row tells what an agent can do in that state.
const EXPECTED: Record<AgentState, Partial<Record<AgentEvent, AgentState>>> = {
  offline: { go_available: 'available', pause: 'paused', go_offline: 'offline' },
  available: { go_available: 'available', pause: 'paused', go_offline: 'offline', reserve: 'reserved' },
  paused: { go_available: 'available', pause: 'paused', go_offline: 'offline' },
  reserved: { release: 'available', ring: 'ringing', not_responding: 'paused', hang_up: 'available' },
  ringing: { release: 'available', not_responding: 'paused', answer: 'talking', hang_up: 'available' },
  talking: { hang_up: 'wrap_up' },
  wrap_up: { go_available: 'available', pause: 'paused', go_offline: 'offline', wrap_up_end: 'available' },
};
const EVENTS: AgentEvent[] = ['go_available', 'pause', 'go_offline', 'reserve', 'release', 'ring', 'not_responding', 'answer', 'hang_up', 'wrap_up_end'];

for (const from of AGENT_STATES) {
  test(`agent ${from}: allowed and refused events`, () => {
    for (const ev of EVENTS) assert.equal(nextState(from, ev), EXPECTED[from][ev] ?? null, `${from} + ${ev}`);
  });
}

test('an agent on a call cannot pause or log off until the conversation is over', () => {
  for (const busy of ['reserved', 'ringing', 'talking'] as const) {
    assert.equal(nextState(busy, 'pause'), null);
    assert.equal(nextState(busy, 'go_offline'), null);
  }
});
