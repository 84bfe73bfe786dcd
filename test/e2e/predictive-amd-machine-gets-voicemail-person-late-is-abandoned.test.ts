/**
 * An agent campaign with answering-machine detection: a machine gets the campaign's
 * voicemail message as in agentless campaigns; a person reaches the app only after AMD's
 * listening (2.5 s for a HUMAN verdict), already past the 2 s mark counted from answer, so
 * the call is abandoned at once — which is why agent campaigns should run without AMD.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { agentRig } from './predictive-harness.ts';

const ORIGIN = Date.parse('2026-11-23T09:00:00Z');
const MACHINE = '+31640000001';
const PERSON = '+31640000002';

test('with AMD: a machine hears the voicemail message; a person whose verdict came after 2 s hears who called at once and is not put through', { timeout: 60_000 }, async (t) => {
  const rig = await agentRig({
    scale: 5,
    origin: ORIGIN,
    mode: 'predictive',
    agents: 2,
    debtors: 2,
    numbers: [MACHINE, PERSON],
    phones: { [MACHINE]: { outcome: 'machine', ringMs: 1000 }, [PERSON]: { outcome: 'answer', ringMs: 1000, hangup: { idleMs: 20_000 } } },
    population: { weights: { noanswer: 1 } },
    settings: { amd: true, voicemail: 'message', ringTimeoutSec: 15, maxConcurrentChannels: 5 },
    talkMs: { min: 10_000, max: 10_000 },
    wrapUpSec: 5,
  });
  t.after(() => rig.close());
  await rig.runUntilRecorded(2, ORIGIN + 120_000);

  const vars = { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' };
  const heard = (n: string) => rig.sim.asterisk.phone(n).calls[0]!;
  const byNumber = (n: string) => rig.outbound().find((r) => r.to_number === n)!;

  assert.deepEqual(heard(MACHINE).heard.map((h) => rig.tts.texts.get(h.media)), [renderPrompt('voicemail', 'nl', vars)]);
  assert.equal(byNumber(MACHINE).disposition, 'machine');

  const p = heard(PERSON);
  assert.deepEqual(p.heard.map((h) => rig.tts.texts.get(h.media)), [renderPrompt('abandoned_info', 'nl', vars)]);
  const after = p.heard[0]!.startedAtMs - (Date.parse(p.answeredAt!) - Date.parse(p.startedAt));
  assert.ok(after >= 2500 && after <= 3000, `the message started ${after} ms after answer, right after AMD's 2.5 s`);
  assert.equal(byNumber(PERSON).disposition, 'abandoned');
  assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length + rig.sim.asterisk.phone('PJSIP/agent2').calls.length, 0, 'no agent was rung for a call already abandoned');
});
