import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { PacerAdapter } from '../../src/dialer/runtime/pacer-adapter.ts';
import { FakeAgents as Agents } from '../helpers/fake-agents.ts';


const CAMPAIGN = 7;

function rig() {
  const clock = new FakeClock();
  const agents = new Agents(clock);
  const open = new Set<number>();
  const adapter = new PacerAdapter({ clock, agents, lines: { isOpen: (id) => open.has(id) }, callInfo: () => undefined });
  const ask = () => adapter.pacer({ campaignId: CAMPAIGN, mode: 'progressive', settings: { ...DEFAULT_SETTINGS, amd: false }, now: clock.now(), liveCalls: 0, agents: {} });
  return { agents, open, ask };
}

test('once an agent has an open line, only available agents with an open line are dialled for; a dropped line stops the count', () => {
  const r = rig();
  for (let i = 1; i <= 4; i++) r.agents.set(i, 'available');
  assert.equal(r.ask(), 4, 'a floor without lines is paced on rung agents, as before');
  r.open.add(1);
  r.open.add(2);
  assert.equal(r.ask(), 2, 'agents 3 and 4 have no line: ringing them is the fallback, not what the pacer dials for');
  r.open.delete(2);
  r.agents.set(2, 'paused');
  assert.equal(r.ask(), 1, 'the dropped line (agent paused) is not counted');
});
