/**
 * The abandoned-call rule on the real stack: a person answers an agent campaign's call and
 * no agent is talking to them 2 s later (here: the only agent's phone rings for 4 s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { agentRig } from './predictive-harness.ts';

const ORIGIN = Date.parse('2026-11-23T09:00:00Z');

test('no agent within 2 s: the debtor hears who called and the number to call back at the 2 s mark, is hung up, and is not called again for 72 h', { timeout: 60_000 }, async (t) => {
  const rig = await agentRig({
    // 1 s of clock time is 200 real ms: the 2 s mark + 1 s check is not at the mercy of a busy machine.
    scale: 5,
    origin: ORIGIN,
    mode: 'progressive',
    agents: 1,
    agentRingMs: 4000,
    debtors: 3,
    population: { seed: 3, weights: { answer: 1 }, ringMs: { min: 1000, max: 2000 } },
    settings: { amd: false, ringTimeoutSec: 15, maxConcurrentChannels: 5 },
    talkMs: { min: 10_000, max: 10_000 },
    wrapUpSec: 5,
  });
  t.after(() => rig.close());
  await rig.runUntilRecorded(3, ORIGIN + 120_000);

  const calls = rig.outbound();
  assert.equal(calls.length, 3, 'each debtor called once');
  const delays: number[] = [];
  const info = renderPrompt('abandoned_info', 'nl', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' });
  for (const c of calls) {
    assert.equal(c.disposition, 'abandoned', `call ${c.id}`);
    const p = rig.sim.asterisk.calls().find((x) => x.channelId === c.id)!;
    const answeredMs = Date.parse(p.answeredAt!) - Date.parse(p.startedAt);
    const texts = p.heard.map((h) => rig.tts.texts.get(h.media));
    assert.deepEqual(texts, [info], 'the information message is all the debtor heard: no claim, no creditor, no amount');
    const after = p.heard[0]!.startedAtMs - answeredMs;
    delays.push(after);
    assert.ok(after >= 1950 && after <= 3000, `the message started ${after} ms after answer (2 s mark + at most 1 s)`);
    assert.equal(p.heard[0]!.end, 'done', 'heard to the end');
    assert.equal(p.hungUpBy, 'app', 'Bereik hung up after the message');
    const contact = rig.db.prepare(`SELECT status, next_attempt_at FROM contacts WHERE id = ?`).get(c.contact_id) as { status: string; next_attempt_at: string };
    assert.equal(contact.status, 'pending');
    assert.ok(Date.parse(contact.next_attempt_at) - Date.parse(c.created_at) >= 72 * 3600_000, `next attempt ${contact.next_attempt_at} is 72 h or more away`);
  }
  t.diagnostic(`information message started ${delays.join(', ')} ms after answer`);
  // The agent's ringing phone was let go, and the agent is free again, not marked unresponsive.
  const agent = rig.engine.desk.registry.get(rig.agentIds[0]!)!;
  assert.equal(agent.state, 'available');
  assert.ok(rig.sim.asterisk.phone('PJSIP/agent1').calls.every((c) => c.answeredAt === null), 'no agent call was answered');
  const m = rig.engine.pacing.measured(rig.campaignId);
  assert.deepEqual([m.abandoned24h, m.liveAnswered24h], [3, 3], 'the pacer counts them against the 24 h cap');
});
