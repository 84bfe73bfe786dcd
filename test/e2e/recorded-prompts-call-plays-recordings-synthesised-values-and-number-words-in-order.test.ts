import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flowRigForFile, type CallOutcome } from './flow-harness.ts';
import { toneTake } from '../helpers/recordings.ts';
import type { PhoneBehaviour } from '../../src/sim/index.ts';

const rig = flowRigForFile();
const takes = mkdtempSync(join(tmpdir(), 'bereik-takes-'));

/** The claim message's five fixed pieces and the words that say 250 euro; no month words, so the date is synthesised. */
const RECORDED = ['claim_message.0', 'claim_message.1', 'claim_message.2', 'claim_message.3', 'claim_message.4', 'word.2', 'word.100', 'word.50', 'word.euro'];

/** What the phone heard, item by item: a take by its key (takes in a row, joined into one file, by theirs), synthesised audio by its text. */
function heard(r: CallOutcome, recordingOf: Map<string, string>): string[] {
  const joined = (media: string) => rig().engine.recordings.keysOf(media)?.join(' + ');
  return r.phone.heard.filter((h) => h.end !== 'failed').map((h) => {
    const rec = recordingOf.get(h.media) ?? joined(h.media);
    return rec ? `rec ${rec}` : (rig().tts.textOf.get(h.media) ?? h.media);
  });
}

const MESSAGE = [
  'rec claim_message.0', 'Energie Noord',
  'rec claim_message.1', 'F 2 0 2 6, streepje, 0 0 4 2',
  // Takes in a row play as one file: the play request stays short (Asterisk cuts its URL at 4096 bytes).
  'rec claim_message.2 + word.2 + word.100 + word.50 + word.euro + claim_message.3',
  'eenendertig oktober tweeduizend zesentwintig',
  'rec claim_message.4',
];
// 1 identity, 2–8 the message, 9 the menu: the debtor confirms, listens, and hangs up after the menu.
const LISTENS: PhoneBehaviour = { keys: [{ afterPrompt: 1, on: 'end', delayMs: 600, keys: '1' }], hangup: { afterPrompt: 2 + MESSAGE.length, delayMs: 300 } };

test('a recorded claim message plays recording, synthesised name, recording, recorded number words, in order; a new take is heard from the next call on', { timeout: 90_000 }, async () => {
  const lib = rig().engine.recordings;
  const recordingOf = new Map<string, string>();
  for (const [i, key] of RECORDED.entries()) {
    const row = await lib.upload('nl', key, toneTake(takes, key, { hz: 300 + 40 * i }), 'test');
    recordingOf.set(lib.mediaFor(row.file!), key);
  }

  const first = await rig().dialOut('+31612340001', LISTENS);
  const items = heard(first, recordingOf);
  assert.match(items[0]!, /^Goedendag, u wordt gebeld door .*Spreek ik met Jan Jansen\?/, 'the identity check has no recording: synthesised whole');
  assert.deepEqual(items.slice(1, 1 + MESSAGE.length), MESSAGE);
  assert.match(items[1 + MESSAGE.length]!, /^Maak een keuze\./);
  assert.equal(first.stored.call!.messageHeard, true, 'the message counts as heard once its last piece played');

  // A new take of the first piece arrives while the second call is on its identity question.
  const second = rig().dialOut('+31612340002', LISTENS);
  while (!(rig().sim.asterisk.phone('+31612340002').calls.at(-1)?.heard.length ?? 0)) await new Promise((r) => setTimeout(r, 20));
  const retake = await lib.upload('nl', 'claim_message.0', toneTake(takes, 'retake', { hz: 1000 }), 'test');
  recordingOf.set(lib.mediaFor(retake.file!), 'claim_message.0 (retake)');
  assert.deepEqual(heard(await second, recordingOf).slice(1, 1 + MESSAGE.length), MESSAGE, 'the running call keeps the version it started with');

  const third = await rig().dialOut('+31612340003', LISTENS);
  assert.deepEqual(heard(third, recordingOf).slice(1, 3), ['rec claim_message.0 (retake)', 'Energie Noord']);
});
