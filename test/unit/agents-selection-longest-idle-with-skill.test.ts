import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickAgent, type Candidate } from '../../src/agents/states.ts';

const a = (id: number, state: Candidate['state'], since: string, skills: string[] = []): Candidate => ({ id, state, stateSince: `2026-11-23T${since}:00.000Z`, skills });

const cases: { name: string; agents: Candidate[]; skill: string; exclude?: number[]; want: number | undefined }[] = [
  { name: 'the agent idle the longest', agents: [a(1, 'available', '09:05'), a(2, 'available', '09:01'), a(3, 'available', '09:03')], skill: '', want: 2 },
  { name: 'only available agents', agents: [a(1, 'wrap_up', '08:00'), a(2, 'talking', '08:00'), a(3, 'paused', '08:00'), a(4, 'available', '09:30')], skill: '', want: 4 },
  { name: 'the needed skill beats idle time', agents: [a(1, 'available', '08:00', ['nl']), a(2, 'available', '09:00', ['nl', 'legal'])], skill: 'legal', want: 2 },
  { name: 'nobody with the skill', agents: [a(1, 'available', '08:00', ['nl'])], skill: 'legal', want: undefined },
  { name: "'' = any skill", agents: [a(1, 'available', '09:00', ['legal']), a(2, 'available', '08:00')], skill: '', want: 2 },
  { name: 'agents already tried for this debtor are skipped', agents: [a(1, 'available', '08:00'), a(2, 'available', '09:00')], skill: '', exclude: [1], want: 2 },
  { name: 'a tie goes to the lower id', agents: [a(7, 'available', '08:00'), a(3, 'available', '08:00')], skill: '', want: 3 },
  { name: 'nobody at all', agents: [], skill: '', want: undefined },
];

for (const c of cases) {
  test(`selection: ${c.name}`, () => {
    assert.equal(pickAgent(c.agents, c.skill, new Set(c.exclude ?? []))?.id, c.want);
  });
}
