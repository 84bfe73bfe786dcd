import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import type { CallCampaignMode } from '../../src/store/types.ts';
import { PacerAdapter } from '../../src/dialer/runtime/pacer-adapter.ts';
import { FakeAgents as Agents } from '../helpers/fake-agents.ts';
import type { Recorded } from '../../src/dialer/runtime/record.ts';
import type { Disposition } from '../../src/dialer/policy/classify.ts';


const settings = { ...DEFAULT_SETTINGS, amd: false };
const CAMPAIGN = 7;

function rig() {
  const clock = new FakeClock();
  const agents = new Agents(clock);
  const dialled = new Map<string, number>();
  const adapter = new PacerAdapter({
    clock,
    agents,
    callInfo: (id) => (dialled.has(id) ? { campaignId: CAMPAIGN, dialledAtMs: dialled.get(id)!, answeredAtMs: null } : undefined),
  });
  let n = 0;
  const dial = () => {
    const id = `c${++n}`;
    dialled.set(id, clock.now());
    return id;
  };
  const ask = (mode: CallCampaignMode, liveCalls: number) =>
    adapter.pacer({ campaignId: CAMPAIGN, mode, settings, now: clock.now(), liveCalls, agents: {} });
  const recorded = (id: string, disposition: Disposition) =>
    adapter.recorded(id, { verdict: { disposition } } as unknown as Recorded);
  return { clock, agents, adapter, dial, ask, recorded };
}

test('at campaign start a predictive campaign dials one call per available agent (cold start)', () => {
  const r = rig();
  for (let i = 1; i <= 5; i++) r.agents.set(i, 'available');
  r.agents.set(6, 'paused');
  assert.equal(r.ask('predictive', 0), 5);
  assert.equal(r.adapter.lastDecision(CAMPAIGN)?.reason, 'cold_start');
  // Two calls ringing: only three more.
  assert.equal(r.ask('predictive', 2), 3);
  assert.equal(r.ask('preview', 0), 0, 'preview campaigns are dialled by the agent, not the pacer');
});

test('a person waiting for an agent keeps a ringing agent for themselves; once connected the agent is talking', async () => {
  const r = rig();
  r.agents.set(1, 'available');
  r.agents.set(2, 'available');
  const id = r.dial();
  await r.clock.advance(8000);
  r.adapter.answered({ callId: id, campaignId: CAMPAIGN, amd: { status: 'NOTCHECKED', cause: '' } });
  r.agents.set(1, 'ringing');
  r.adapter.agentLeg({ kind: 'ringing', agentId: 1, callId: id, at: r.clock.now() });
  // Live calls of the campaign: the debtor's and the agent's leg.
  assert.equal(r.ask('progressive', 2), 1, 'agent 1 is for the waiting debtor; agent 2 gets a new call');
  r.adapter.agentLeg({ kind: 'connected', agentId: 1, callId: id, at: r.clock.now() });
  r.agents.set(1, 'talking');
  assert.equal(r.ask('progressive', 2), 1);
  assert.equal(r.ask('progressive', 3), 0, 'a third live call is a debtor ringing for agent 2');
  // The desk says the conversation ended after the dialer recorded the debtor's call: the leg still closes.
  r.recorded(id, 'answered');
  r.adapter.agentLeg({ kind: 'ended', agentId: 1, callId: id, at: r.clock.now() });
  r.agents.set(1, 'wrap_up');
  assert.equal(r.ask('progressive', 1), 0, 'the one live call is a debtor ringing for agent 2');
  const m = r.adapter.measured(CAMPAIGN);
  assert.equal(m.liveAnswersObserved, 1);
  assert.ok(m.meanDialToLiveMs < 10_000, 'the 8 s dial→answer time pulled the prior (10 s) down');
});

test('talk and wrap-up times come from the agents’ state changes', async () => {
  const r = rig();
  r.agents.set(1, 'available');
  const id = r.dial();
  r.adapter.answered({ callId: id, campaignId: CAMPAIGN, amd: { status: 'HUMAN', cause: '' } });
  r.adapter.agentLeg({ kind: 'connected', agentId: 1, callId: id, at: r.clock.now() });
  r.agents.set(1, 'talking');
  await r.clock.advance(60_000);
  r.agents.set(1, 'wrap_up');
  await r.clock.advance(10_000);
  r.agents.set(1, 'available');
  const m = r.adapter.measured(CAMPAIGN);
  assert.ok(m.meanTalkMs < 240_000, `talk mean moved toward 60 s (${m.meanTalkMs})`);
  assert.ok(m.meanWrapMs < 45_000, `wrap mean moved toward 10 s (${m.meanWrapMs})`);
});

test('abandoned calls reach the 24 h count, and near the cap the pacer falls back to progressive', async () => {
  const r = rig();
  for (let i = 1; i <= 10; i++) r.agents.set(i, 'available');
  // 100 live answers with talk and wrap measured, then abandons pile up.
  for (let i = 0; i < 100; i++) {
    const id = r.dial();
    await r.clock.advance(100);
    r.adapter.answered({ callId: id, campaignId: CAMPAIGN, amd: { status: 'HUMAN', cause: '' } });
    r.recorded(id, i < 3 ? 'abandoned' : 'answered');
    r.recorded(r.dial(), 'no_answer');
  }
  const m = r.adapter.measured(CAMPAIGN);
  assert.equal(m.abandoned24h, 3);
  assert.equal(m.liveAnswered24h, 100);
  assert.equal(r.ask('predictive', 0), 10, 'at 3 % abandoned it dials no more than one per agent');
  assert.match(r.adapter.lastDecision(CAMPAIGN)!.reason, /abandon|progressive/);
  // A day later the abandons have left the 24 h window.
  await r.clock.advance(24 * 3600_000 + 1);
  assert.equal(r.adapter.measured(CAMPAIGN).abandoned24h, 0);
});

test('a person who hung up while AMD listened counts as live-answered and abandoned', () => {
  const r = rig();
  const id = r.dial();
  r.recorded(id, 'abandoned');
  const m = r.adapter.measured(CAMPAIGN);
  assert.deepEqual([m.liveAnswered24h, m.abandoned24h], [1, 1]);
});

test('an agent reserved for a preview dial is not free for a predictive campaign', () => {
  const r = rig();
  r.agents.set(1, 'available');
  r.agents.set(2, 'reserved');
  assert.equal(r.ask('predictive', 0), 1);
});

test('an IVR-first agent campaign: a person in the IVR waits for no agent', () => {
  const r = rig();
  r.agents.set(1, 'available');
  r.agents.set(2, 'available');
  const ivr = (liveCalls: number) => r.adapter.pacer({ campaignId: CAMPAIGN, mode: 'progressive', settings: { ...settings, answeredBy: 'ivr' }, now: r.clock.now(), liveCalls, agents: {} });
  assert.equal(ivr(0), 2);
  r.adapter.answered({ callId: r.dial(), campaignId: CAMPAIGN, amd: { status: 'HUMAN', cause: '' } });
  assert.equal(ivr(1), 2, 'the person in the IVR holds a channel, not an agent');
});

test('a person put through after the 2 s mark counts as abandoned for the cap, though they talk to an agent', async () => {
  const r = rig();
  const id = r.dial();
  r.adapter.answered({ callId: id, campaignId: CAMPAIGN, amd: { status: 'NOTCHECKED', cause: '' } });
  await r.clock.advance(2500);
  r.adapter.agentLeg({ kind: 'connected', agentId: 1, callId: id, at: r.clock.now() });
  r.recorded(id, 'answered');
  const m = r.adapter.measured(CAMPAIGN);
  assert.deepEqual([m.liveAnswered24h, m.abandoned24h], [1, 1]);
});
