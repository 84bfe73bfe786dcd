import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { toneTake } from '../helpers/recordings.ts';
import { parseWavHeader } from '../../src/tts/wav.ts';

type Slots = { version: number; mayChange: boolean; slots: Array<{ key: string; recorded: { version: number } | null }> };
type Problem = { error: { code: string } };

test('an operator listens to the take a call would play; an admin removes it and the next version plays TTS; the list says who may change takes', { timeout: 60_000 }, async (t) => {
  const takes = mkdtempSync(join(tmpdir(), 'bereik-takes-'));
  t.after(() => rmSync(takes, { recursive: true, force: true }));
  const h = await startTestApp({ config: { tts: { engine: 'silent' } } });
  t.after(() => h.close());
  const list = async (role: 'admin' | 'operator') => (await (await h.api('/recordings/nl', { role })).json()) as Slots;
  assert.equal((await list('admin')).mayChange, true);
  assert.equal((await list('operator')).mayChange, false, 'uploads and removals are for admins');

  const none = await h.api('/recordings/nl/word.euro/audio');
  assert.equal(none.status, 404);
  assert.equal(((await none.json()) as Problem).error.code, 'NOT_FOUND');
  const unknown = await h.api('/recordings/nl/word.zillion/audio');
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as Problem).error.code, 'RECORDING_KEY_UNKNOWN');

  const put = await h.api('/recordings/nl/word.euro', { method: 'PUT', body: readFileSync(toneTake(takes, 'euro', { seconds: 0.8 })), headers: { 'content-type': 'audio/wav' }, role: 'admin' });
  assert.equal(put.status, 201);
  const { file } = (await put.json()) as { file: string };
  const audio = await h.api('/recordings/nl/word.euro/audio');
  assert.equal(audio.status, 200);
  assert.equal(audio.headers.get('content-type'), 'audio/wav');
  const bytes = Buffer.from(await audio.arrayBuffer());
  assert.deepEqual(bytes, readFileSync(join(h.app.deps.engine!.recordings.dir, file)), 'the stored take, as converted');
  const info = parseWavHeader(bytes);
  assert.deepEqual([info.sampleRate, info.channels, info.bitsPerSample, info.durationMs], [8000, 1, 16, 800]);
  assert.equal((await h.api('/recordings/en/word.euro/audio')).status, 404, 'takes are per language');

  assert.equal((await h.api('/recordings/nl/word.euro', { method: 'DELETE', role: 'operator' })).status, 403, 'only an admin removes');
  const del = await h.api('/recordings/nl/word.euro', { method: 'DELETE', role: 'admin' });
  assert.equal(del.status, 200);
  assert.deepEqual(await del.json(), { version: 2 });
  const after = await list('operator');
  assert.equal(after.version, 2);
  assert.equal(after.slots.find((s) => s.key === 'word.euro')!.recorded, null, 'TTS from the next call on');
  assert.equal((await h.api('/recordings/nl/word.euro/audio')).status, 404);
  const again = await h.api('/recordings/nl/word.euro', { method: 'DELETE', role: 'admin' });
  assert.equal(again.status, 404, 'nothing left to remove');
});
