/**
 * The abort paths of a warm transfer: the debtor hangs up, the flow gives up (its signal),
 * or the service stops, while the debtor waits for a busy agent or while an agent's phone
 * rings. Each time the transfer settles at once with a plain outcome, and nothing of it is
 * left in Asterisk (no bridge, no agent channel) or on the clock (no timer, no listener).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig, type TransferRig } from './transfer-harness.ts';
import { prompts } from '../helpers/prompts.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { delayOn, type Clock, type TimerHandle } from '../../src/lib/clock.ts';
import { AgentDeskService } from '../../src/agents/desk.ts';
import { listCalls } from '../../src/store/calls.ts';
import type { PhoneBehaviour } from '../../src/sim/index.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

/** The rig's clock, counting the timers still set through it. */
class CountingClock implements Clock {
  readonly live = new Set<TimerHandle>();
  constructor(private readonly inner: Clock) {}
  get scale(): number {
    return this.inner.scale;
  }
  now(): number {
    return this.inner.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const inner = this.inner.setTimeout(() => {
      this.live.delete(h);
      fn();
    }, ms);
    const h: TimerHandle = {
      cancel: () => {
        this.live.delete(h);
        inner.cancel();
      },
    };
    this.live.add(h);
    return h;
  }
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    return delayOn(this, ms, signal);
  }
}

interface Counted {
  rig: TransferRig;
  clock: CountingClock;
  desk: AgentDeskService;
  agent(name: string, endpoint: string, behaviour: PhoneBehaviour): number;
  /** An agent reserved for somebody else: they come back by themselves, so a debtor waits for them. */
  busyAgent(): void;
  /** Live channels in the simulator: the caller's number for a call in, the endpoint for an agent leg. */
  liveChannels(): string[];
  /** Waits on the rig's clock until cond holds (at most 60 s of it: 3 s real). */
  until(cond: () => boolean): Promise<void>;
}

/** Well short of the 10 min wait and the 2 min ring timeout, with room for a loaded machine (1.5 s real at 20×). */
const AT_ONCE_MS = 30_000;

/** A desk of its own on a transfer rig's simulator and store, whose timers are counted. */
async function counted(body: (c: Counted) => Promise<void>): Promise<void> {
  const rig = await openRig();
  const clock = new CountingClock(rig.clock);
  const desk = new AgentDeskService({
    store: createSqliteStore(rig.db), clock, log: silentLogger(), telephony: rig.tel, tts: rig.tts, prompts,
    ringTimeoutSec: 120, wrapUpSec: 30, maxWaitSec: 600,
  });
  const agent = (name: string, endpoint: string, behaviour: PhoneBehaviour) => {
    rig.sim.asterisk.setBehaviour(endpoint, behaviour);
    return desk.registry.create({ name, endpoint, skills: [] }).id;
  };
  try {
    await body({
      rig, clock, desk, agent,
      busyAgent() {
        desk.registry.apply(agent('Busy', 'PJSIP/agent9', { outcome: 'answer', ringMs: 1000 }), 'go_available');
        desk.registry.reserve('');
      },
      liveChannels: () => [...rig.sim.asterisk.channels.values()].map((ch) => (ch.originatedByApp ? ch.dialstring : ch.caller.number)).sort(),
      async until(cond) {
        const end = rig.clock.now() + 60_000;
        while (!cond()) {
          if (rig.clock.now() > end) throw new Error('condition not met in time');
          await rig.clock.delay(100);
        }
      },
    });
  } finally {
    await desk.close();
    await rig.close();
  }
}

test('the flow gives up while the debtor waits for a busy agent: debtor_hung_up at once, the debtor is live and in no bridge, no timer or listener left', () =>
  counted(async ({ rig, clock, desk, busyAgent, until }) => {
    busyAgent();
    const listening = desk.registry.listenerCount('changed');
    const { call, callId } = await rig.debtorCall();
    const cancel = new AbortController();
    const pending = desk.transfer(rig.request(call, callId), cancel.signal);
    await until(() => rig.sim.asterisk.phone('+31612345678').calls[0]!.moh.length === 1);
    assert.equal(clock.live.size, 1, 'the debtor waits with one timer: the longest wait');
    const t0 = rig.clock.now();
    cancel.abort();
    assert.deepEqual(await pending, { kind: 'debtor_hung_up' });
    assert.ok(rig.clock.now() - t0 < AT_ONCE_MS, 'settled at once, not at the end of the 10 min wait');
    assert.equal(clock.live.size, 0, 'no timer outlives the transfer');
    assert.equal(rig.sim.asterisk.bridges.size, 0, 'the holding bridge is gone');
    assert.equal(call.ended, false);
    assert.equal([...rig.sim.asterisk.channels.values()][0]?.bridgeId, null, 'the debtor is in no bridge');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent9').calls.length, 0, 'no agent was rung');
    assert.equal(desk.registry.listenerCount('changed'), listening, 'nobody listens for a free agent any more');
    await call.hangup();
  }));

test('the debtor hangs up while waiting for a busy agent: debtor_hung_up at once, nothing left in Asterisk or on the clock', () =>
  counted(async ({ rig, clock, desk, busyAgent, liveChannels }) => {
    busyAgent();
    const listening = desk.registry.listenerCount('changed');
    const { call, callId } = await rig.debtorCall('+31611111111', { outcome: 'answer', ringMs: 0, hangup: { afterMs: 3000 } });
    const t0 = rig.clock.now();
    assert.deepEqual(await desk.transfer(rig.request(call, callId)), { kind: 'debtor_hung_up' });
    assert.ok(rig.clock.now() - t0 < AT_ONCE_MS, 'settled when the debtor left, not at the end of the wait');
    assert.equal(clock.live.size, 0);
    assert.equal(rig.sim.asterisk.bridges.size, 0);
    assert.deepEqual(liveChannels(), []);
    assert.equal(desk.registry.listenerCount('changed'), listening);
  }));

test('the service stops while an agent’s phone rings: debtor_hung_up, the agent leg is hung up and closed, the agent is available, nothing left behind', () =>
  counted(async ({ rig, clock, desk, agent, liveChannels, until }) => {
    const anna = agent('Anna', 'PJSIP/agent1', { outcome: 'noanswer' });
    desk.registry.apply(anna, 'go_available');
    const { call, callId } = await rig.debtorCall();
    const pending = desk.transfer(rig.request(call, callId));
    await until(() => rig.sim.asterisk.phone('PJSIP/agent1').calls.length === 1);
    assert.equal(desk.registry.get(anna)?.state, 'ringing');
    assert.deepEqual(liveChannels(), ['+31612345678', 'agent1']);
    const t0 = rig.clock.now();
    const closed = desk.close();
    assert.deepEqual(await pending, { kind: 'debtor_hung_up' });
    await closed;
    assert.ok(rig.clock.now() - t0 < AT_ONCE_MS, 'settled at once, not at the end of the ring timeout');
    assert.equal(clock.live.size, 0, 'no timer outlives the transfer');
    assert.equal(rig.sim.asterisk.bridges.size, 0);
    const leg = rig.sim.asterisk.phone('PJSIP/agent1').calls[0]!;
    assert.deepEqual([leg.hungUpBy, leg.answeredAt], ['app', null]);
    assert.deepEqual(liveChannels(), ['+31612345678'], 'only the debtor is left, for the flow to end');
    assert.equal(desk.registry.get(anna)?.state, 'available');
    const row = listCalls(rig.db, { direction: 'agent' })[0]!;
    assert.deepEqual([row.state, row.disposition], ['ended', 'abandoned']);
    await call.hangup();
  }));

test('the service stops while the debtor waits for a busy agent: debtor_hung_up at once, the holding bridge and its timer are gone', () =>
  counted(async ({ rig, clock, desk, busyAgent, until }) => {
    busyAgent();
    const { call, callId } = await rig.debtorCall();
    const pending = desk.transfer(rig.request(call, callId));
    await until(() => rig.sim.asterisk.bridges.size === 1);
    await desk.close();
    assert.deepEqual(await pending, { kind: 'debtor_hung_up' });
    assert.equal(clock.live.size, 0);
    assert.equal(rig.sim.asterisk.bridges.size, 0);
    assert.notEqual(rig.sim.asterisk.phone('+31612345678').calls[0]!.moh.at(-1)?.endedAtMs, null, 'the music stopped');
    assert.equal(call.ended, false, 'the debtor is left for the flow to end');
    await call.hangup();
  }));
