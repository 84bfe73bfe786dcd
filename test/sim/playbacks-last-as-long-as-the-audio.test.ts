import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planMedia, wavDurationMs } from '../../src/sim/media.ts';
import { answeredCall, withSim } from './sim-harness.ts';
import { silentWav } from '../../src/tts/wav.ts';


test('media plans: WAV length from its header, raw formats by size, stock sounds by table, HTTP fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-media-'));
  try {
    writeFileSync(join(dir, 'welkom.wav'), silentWav(4800));
    writeFileSync(join(dir, 'wide.wav'), silentWav(1000, 16000));
    writeFileSync(join(dir, 'raw.sln'), Buffer.alloc(16000 * 2));
    assert.equal(wavDurationMs(join(dir, 'welkom.wav')), 4800);
    assert.deepEqual(planMedia(`sound:${dir}/welkom`), { kind: 'timed', ms: 4800 });
    assert.deepEqual(planMedia(`sound:${dir}/wide`), { kind: 'timed', ms: 1000 });
    assert.deepEqual(planMedia(`sound:${dir}/raw`), { kind: 'timed', ms: 2000 });
    assert.equal(planMedia(`sound:${dir}/missing`).kind, 'fail');
    assert.deepEqual(planMedia('sound:hello-world'), { kind: 'timed', ms: 1400 });
    assert.deepEqual(planMedia('sound:goodbye'), { kind: 'timed', ms: 930 });
    assert.equal(planMedia('sound:http://127.0.0.1:3999/welkom-nl.wav').kind, 'fail');
    assert.equal(planMedia('tone:ring;tonezone=nl').kind, 'endless');
    assert.equal(planMedia('bogus:x').kind, 'fail');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the debtor hears a whole prompt, a cut prompt and a failed one; keys do not stop a prompt', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-media-'));
  writeFileSync(join(dir, 'bericht.wav'), silentWav(60000));
  try {
    await withSim(async (ari) => {
      const id = await answeredCall(ari, 'PJSIP/debtor');
      const a = await ari.req('POST', `/channels/${id}/play`, { media: 'sound:hello-world' });
      assert.equal(a.status, 201);
      assert.equal(a.body.state, 'queued');
      await ari.waitType('PlaybackFinished', (e) => (e.playback as any).id === a.body.id);
      // A 60 s message: the debtor's keys (3 s, 4.5 s after answer) arrive while it keeps playing.
      const b = await ari.req('POST', `/channels/${id}/play`, { media: `sound:${dir}/bericht` });
      await ari.waitType('ChannelDtmfReceived', (e) => e.digit === '2');
      assert.equal((await ari.req('GET', `/playbacks/${b.body.id}`)).body.state, 'playing');
      assert.equal((await ari.req('DELETE', `/playbacks/${b.body.id}`)).status, 204);
      const fin = await ari.waitType('PlaybackFinished', (e) => (e.playback as any).id === b.body.id);
      assert.equal((fin.playback as any).state, 'done');
      const c = await ari.req('POST', `/channels/${id}/play`, { media: `sound:${dir}/nope` });
      assert.equal(c.status, 201);
      const failed = await ari.waitType('PlaybackFinished', (e) => (e.playback as any).id === c.body.id);
      assert.equal((failed.playback as any).state, 'failed');
      assert.equal((await ari.req('GET', `/playbacks/${c.body.id}`)).status, 404);
      await ari.req('DELETE', `/channels/${id}`);
      await ari.waitType('ChannelDestroyed');
      const heard = ari.sim.asterisk.phone('PJSIP/debtor').calls[0]!.heard;
      assert.deepEqual(heard.map((h) => [h.media.replace(dir, 'DIR'), h.end]), [
        ['sound:hello-world', 'done'],
        ['sound:DIR/bericht', 'stopped'],
        ['sound:DIR/nope', 'failed'],
      ]);
      assert.equal(heard[0]!.playedMs, 1400);
      assert.ok(heard[1]!.playedMs > 1000 && heard[1]!.playedMs < 60000, `cut after ${heard[1]!.playedMs} ms`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second play waits for the first; several media play as one playback', async () => {
  await withSim(async (ari) => {
    const id = await answeredCall(ari, 'PJSIP/agent1');
    // A tone plays until stopped, so the second playback surely waits behind it.
    const a = await ari.req('POST', `/channels/${id}/play`, { media: 'tone:ring;tonezone=nl' });
    const b = await ari.req('POST', `/channels/${id}/play`, {}, { media: ['sound:goodbye', 'sound:beep'] });
    assert.equal((await ari.req('GET', `/playbacks/${b.body.id}`)).body.state, 'queued');
    assert.equal((await ari.req('DELETE', `/playbacks/${a.body.id}`)).status, 204);
    await ari.waitType('PlaybackFinished', (e) => (e.playback as any).id === b.body.id);
    const order = ari.events.filter((e) => e.type.startsWith('Playback')).map((e) => `${e.type}:${(e.playback as any).id === a.body.id ? 'a' : 'b'}`);
    assert.deepEqual(order, ['PlaybackStarted:a', 'PlaybackFinished:a', 'PlaybackStarted:b', 'PlaybackContinuing:b', 'PlaybackStarted:b', 'PlaybackFinished:b']);
    await ari.req('DELETE', `/channels/${id}`);
    await ari.waitType('ChannelDestroyed');
    assert.deepEqual(ari.sim.asterisk.phone('PJSIP/agent1').calls[0]!.heard.map((h) => [h.media, h.end]), [['tone:ring;tonezone=nl', 'stopped'], ['sound:goodbye', 'done'], ['sound:beep', 'done']]);
  });
});

test('the phone hangs up 2 s into a prompt: HangupRequest, PlaybackFinished failed, StasisEnd, ChannelDestroyed 0', async () => {
  await withSim(async (ari) => {
    const id = await answeredCall(ari, 'PJSIP/hangup');
    await ari.req('POST', `/channels/${id}/play`, { media: 'sound:demo-congrats' });
    const d = await ari.waitType('ChannelDestroyed');
    assert.equal(d.cause, 0);
    assert.equal(d.cause_txt, 'Unknown');
    assert.deepEqual(ari.types(id).slice(-4), ['ChannelHangupRequest', 'PlaybackFinished', 'StasisEnd', 'ChannelDestroyed']);
    assert.equal(ari.events.find((e) => e.type === 'ChannelHangupRequest')!.cause, undefined);
    const rec = ari.sim.asterisk.phone('PJSIP/hangup').calls[0]!;
    assert.equal(rec.hungUpBy, 'phone');
    assert.equal(rec.heard[0]!.end, 'hangup');
    assert.ok(rec.heard[0]!.playedMs < 11000);
  });
});
