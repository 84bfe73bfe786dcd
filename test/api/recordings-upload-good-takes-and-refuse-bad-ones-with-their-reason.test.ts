import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { badTakes, toneTake } from '../helpers/recordings.ts';
import { parseWavHeader } from '../../src/tts/wav.ts';
import { soxReadsMp3 } from '../../src/recordings/audio.ts';

const takes = mkdtempSync(join(tmpdir(), 'bereik-takes-'));

function form(path: string, name = 'take.wav'): FormData {
  const body = new FormData();
  body.append('file', new Blob([readFileSync(path)]), name);
  return body;
}

/** sox's peak level of a stored file, in dBFS (stats writes to stderr). */
function peakDb(path: string): number {
  const out = execFileSync('bash', ['-c', 'sox "$1" -n stats 2>&1', '_', path], { encoding: 'utf8' });
  return Number(/Pk lev dB\s+(-?[\d.]+)/.exec(out)?.[1]);
}

type Problem = { error: { code: string; message: string } };

test('an admin uploads takes: stored as 8 kHz mono 16-bit, normalised, silence trimmed, the same take the same file; bad takes are refused with their reason', { timeout: 60_000 }, async (t) => {
  const h = await startTestApp({ config: { tts: { engine: 'silent' } } });
  t.after(() => h.close());

  const good = toneTake(takes, 'good', { seconds: 1.2 });
  const put = await h.api('/recordings/nl/claim_message.0', { method: 'PUT', body: form(good), role: 'admin' });
  assert.equal(put.status, 201, await put.clone().text());
  const row = (await put.json()) as { version: number; durationMs: number; file: string };
  assert.equal(row.version, 1);
  assert.equal(row.durationMs, 1200, 'the half second of silence either side is trimmed');
  const stored = join(h.app.deps.engine!.recordings.dir, row.file);
  const info = parseWavHeader(readFileSync(stored));
  assert.deepEqual([info.sampleRate, info.channels, info.bitsPerSample], [8000, 1, 16]);
  assert.ok(Math.abs(peakDb(stored) - -3) < 0.2, `normalised to -3 dBFS (the take was at -6): ${peakDb(stored)}`);

  // The same take again (raw body this time): the same bytes, a new version.
  const again = await h.api('/recordings/nl/claim_message.0', { method: 'PUT', body: readFileSync(good), headers: { 'content-type': 'audio/wav' }, role: 'admin' });
  assert.equal(again.status, 201);
  const second = (await again.json()) as { version: number; file: string };
  assert.equal(second.file, row.file, 'sox -R: the same take converts to the same file');
  assert.equal(second.version, 2);

  for (const bad of badTakes(takes)) {
    const res = await h.api('/recordings/nl/claim_message.1', { method: 'PUT', body: form(bad.path), role: 'admin' });
    const { error: body } = (await res.json()) as Problem;
    assert.equal(body.code, bad.code, `${bad.name}: ${body.message}`);
    assert.match(body.message, bad.why, bad.name);
    assert.match(body.message, /recording claim_message\.1/, `${bad.name}: the message names the key`);
    assert.doesNotMatch(body.message, /\/tmp\/|upload\.csv|`/, `${bad.name}: no server path in the reason (it differs per upload and says nothing to the admin)`);
  }
  // An MP3: read when sox has libsox-fmt-mp3 (CI installs it), otherwise refused saying what to install.
  const mp3 = join(takes, 'take.mp3');
  if (await soxReadsMp3()) {
    execFileSync('sox', [good, mp3]);
    const res = await h.api('/recordings/nl/claim_message.1', { method: 'PUT', body: form(mp3, 'take.mp3'), role: 'admin' });
    assert.equal(res.status, 201, await res.clone().text());
  } else {
    const fake = join(takes, 'fake.mp3');
    execFileSync('bash', ['-c', `printf 'ID3\\x03\\x00\\x00\\x00\\x00\\x00\\x00' > ${fake}`]);
    const res = await h.api('/recordings/nl/claim_message.1', { method: 'PUT', body: form(fake, 'take.mp3'), role: 'admin' });
    assert.equal(res.status, 415);
    assert.match(((await res.json()) as Problem).error.message, /install libsox-fmt-mp3/);
  }

  const unknown = await h.api('/recordings/nl/claim_message.9', { method: 'PUT', body: form(good), role: 'admin' });
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as Problem).error.code, 'RECORDING_KEY_UNKNOWN');
  const operator = await h.api('/recordings/nl/claim_message.0', { method: 'PUT', body: form(good), role: 'operator' });
  assert.equal(operator.status, 403, 'only an admin uploads');

  const list = (await (await h.api('/recordings/nl')).json()) as { version: number; slots: Array<{ key: string; text: string; kind: string; recorded: { version: number } | null }> };
  const slot = (k: string) => list.slots.find((s) => s.key === k);
  assert.deepEqual(slot('claim_message.0'), { ...slot('claim_message.0'), text: 'Wij bellen namens', kind: 'prompt' });
  assert.equal(slot('claim_message.0')!.recorded!.version, 2);
  assert.equal(slot('claim_message.1')!.text, '. Het gaat om factuur');
  assert.equal(slot('claim_message.1')!.recorded, (await soxReadsMp3()) ? slot('claim_message.1')!.recorded : null, 'no bad take was stored');
  assert.equal(slot('word.21'), undefined, 'numbers above 20 are composed, not recorded');
  assert.equal(slot('word.20')!.text, 'twintig');
});
