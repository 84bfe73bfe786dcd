import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrompt } from '../helpers/prompts.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/lib/clock.ts';
import { runOnFakeTime } from '../helpers/fake-time.ts';
import { openDb } from '../../src/store/db.ts';
import { createCallHandler } from '../../src/calls/index.ts';
import { FakeAgentDesk, FakeCall, TextTts, makeDeps, seedCase, storedOutcome } from '../helpers/fake-call.ts';

const say = (key: Parameters<typeof renderPrompt>[0]) => renderPrompt(key, 'nl', { callerName: DEFAULT_SETTINGS.callerName, callbackNumber: '+31201234567' });
const agentCampaign = { mode: 'predictive' as const, settings: { answeredBy: 'agent' as const } };

/** One answered call through the real flows on a FakeCall, on virtual time: the 2 s rule is exact, whatever the machine's load. */
async function answered(desk: FakeAgentDesk, amd = 'HUMAN', settings: object = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-agent-outbound-'));
  const db = openDb(':memory:');
  try {
    const clock = new FakeClock('2026-11-23T09:00:00Z');
    const tts = new TextTts(dir);
    const seeded = [seedCase(db, { callId: 'call-1', ...agentCampaign, settings: { ...agentCampaign.settings, ...settings } })];
    const phone = new FakeCall({ clock, tts, args: ['outbound', 'call-1', amd, ''] });
    const summary = await runOnFakeTime(clock, createCallHandler(makeDeps(db, clock, tts, { agents: desk })).handle(phone), { busy: tts.inFlight });
    return { phone, summary, seeded, row: storedOutcome(db, summary.callId).call! };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a person who answers an agent campaign’s call is put through at once: no IVR, the agent hears the whisper after the bridge', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await answered(desk);
  assert.deepEqual(r.phone.texts, [], 'the debtor heard no machine prompt');
  assert.equal(desk.requests.length, 1);
  const req = desk.requests[0]!;
  assert.deepEqual([req.whisperAfterJoin, req.reason, req.dtmfPath, req.claimId], [true, 'segment', '', r.seeded[0]!.claimId]);
  assert.equal(r.summary.result, 'transferred');
  assert.equal(r.row.agentId, 7);
});

test("a campaign whose agentWhisper is 'tone' asks the desk for a beep instead of the spoken whisper", async () => {
  const desk = new FakeAgentDesk('connected');
  await answered(desk, 'HUMAN', { agentWhisper: 'tone' });
  assert.equal(desk.requests[0]!.whisper, 'tone');
  const plain = new FakeAgentDesk('connected');
  await answered(plain);
  assert.equal(plain.requests[0]!.whisper, undefined, 'by default the spoken whisper');
});

test('no agent for a person: only the information message (who called, where to call back), then Bereik hangs up; stored as abandoned', async () => {
  const r = await answered(new FakeAgentDesk('no_agent'), 'NOTSURE');
  assert.deepEqual(r.phone.texts, [say('abandoned_info')]);
  assert.equal(r.phone.endInfo?.byApp, true);
  assert.equal(r.summary.result, 'abandoned');
  assert.equal(r.row.result, 'abandoned');
});

test('a machine on an agent campaign gets the voicemail message and no agent is asked for', async () => {
  const desk = new FakeAgentDesk('connected');
  const r = await answered(desk, 'MACHINE');
  assert.deepEqual(r.phone.texts, [say('voicemail')]);
  assert.equal(desk.requests.length, 0);
  assert.equal(r.summary.result, 'voicemail_left');
});
