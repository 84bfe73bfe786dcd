import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SilentTts } from '../../src/tts/silent.ts';
import { pruneTtsCache } from '../../src/tts/prune.ts';

const dir = mkdtempSync(join(tmpdir(), 'bereik-tts-memo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const fileOf = (media: string) => `${media.slice('sound:'.length)}.wav`;

test('a prompt this process already said, then pruned as unused, is rendered again before it is played', async () => {
  const tts = new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const text = 'Maak een keuze. Toets 1 voor een betaallink per sms.';
  const first = await tts.render(text, 'nl');
  assert.deepEqual(await tts.render(text, 'nl'), first, 'said again: same file, same length');

  // Nobody used it for four days (file times are wall-clock): a prune with a three-day age removes it.
  const fourDaysAgo = new Date(Date.now() - 4 * DAY);
  utimesSync(fileOf(first.media), fourDaysAgo, fourDaysAgo);
  assert.equal((await pruneTtsCache({ dir, maxAgeMs: 3 * DAY, maxBytes: 1e9 })).removed, 1);
  assert.equal(existsSync(fileOf(first.media)), false);

  const again = await tts.render(text, 'nl');
  assert.deepEqual(again, first);
  assert.ok(existsSync(fileOf(again.media)), 'the debtor hears audio, not a missing file');
  assert.ok(Date.now() - statSync(fileOf(again.media)).mtimeMs < DAY, 'its use is recorded for the next prune');
});
