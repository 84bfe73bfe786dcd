/**
 * The desktop softphone on the real Asterisk 22 (issue 16 §2, docs/agent-softphone.md):
 * Chromium with a fake microphone logs an agent in to /desktop; Bereik pushes a per-login
 * WebRTC endpoint over ARI; SIP.js registers over ws://127.0.0.1:8088/ws; the line comes up
 * (Asterisk shows the softphone's channel alone in the agent's bridge); a SIPp debtor with a
 * large claim calls in, confirms and is moved into that bridge without a new call to the
 * softphone; RTP flows both ways on both legs (ARI rtp_statistics grow while they talk); a
 * key on the desktop's keypad reaches Asterisk as DTMF on the agent's channel; the
 * debtor hangs up and the agent is still on the same line; logging out deletes the endpoint.
 *
 * Real Asterisk only (BEREIK_ARI_URL + BEREIK_ASTERISK_SIPP=1, test/asterisk/run.sh): the
 * simulator speaks no SIP. The softphone UI on the simulator: test/browser/desktop-softphone.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { browserFor, byId, WEBRTC_ARGS } from '../browser/chromium.ts';
import { debtorCallsIn, loginOnSoftphone, NEEDS_ASTERISK, onRealAsterisk, startDesk } from './desk-on-asterisk.ts';

const env = process.env;

test('a softphone in Chromium registers, holds the line, takes a debtor without ringing, RTP both ways, sends DTMF, and stays on the line', { timeout: 120_000, skip: onRealAsterisk ? false : NEEDS_ASTERISK }, async (t) => {
  const browser = await browserFor(t, WEBRTC_ARGS);
  if (!browser) return;
  const rig = await startDesk(t);
  const { ari, ariUrl, ariAuth, until } = rig;
  const { page, pageErrors, lineChannel, endpoint, lineBridge } = await loginOnSoftphone(rig, browser);

  // The debtor calls in, confirms (1), and talks (a looped recording) until hanging up.
  debtorCallsIn(t, 14_000);
  await page.waitForSelector('[data-testid="case"][data-phase="connected"]:not([hidden])', { timeout: 40_000 });
  const both = await until('the debtor in the line bridge', async () => {
    const b = await lineBridge();
    return b && b.channels.length === 2 ? b : undefined;
  });
  assert.ok(both.channels.includes(lineChannel), 'the same line channel: the softphone was not called again');
  const debtorChannel = both.channels.find((c) => c !== lineChannel)!;
  const ep = (await ari<{ channel_ids: string[] }>(`/endpoints/PJSIP/${endpoint}`)).body;
  assert.deepEqual(ep.channel_ids, [lineChannel], 'one call to the softphone for the whole session');

  // RTP both ways on both legs while they talk: each counter grows.
  const flowed: string[] = [];
  for (const [leg, id] of [['agent', lineChannel], ['debtor', debtorChannel]] as const) {
    for (const counter of ['rxcount', 'txcount'] as const) flowed.push(`${leg} ${counter} +${await rig.rtpFlows(id, counter, `${leg} leg`)}`);
  }
  // The agent hears the debtor: the desktop's <audio> plays the call's stream on the speaker
  // chosen in the list (its sinkId), and what it plays has the debtor's voice in it (RMS of
  // the stream measured in the page with WebAudio over 1.5 s; silence would be 0).
  const speaker = await page.evaluate(async () => {
    const audio = document.getElementById('softphone-audio') as HTMLAudioElement & { sinkId?: string };
    const select = document.getElementById('softphone-speaker') as HTMLSelectElement;
    const chosen = [...select.options].at(-1)!.value;
    select.value = chosen;
    select.dispatchEvent(new Event('change'));
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    ctx.createMediaStreamSource(audio.srcObject as MediaStream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    let peak = 0;
    const t0 = audio.currentTime;
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 100));
      analyser.getFloatTimeDomainData(buf);
      peak = Math.max(peak, Math.sqrt(buf.reduce((a, v) => a + v * v, 0) / buf.length));
    }
    await ctx.close();
    return { peak, paused: audio.paused, advanced: audio.currentTime - t0, chosen, sinkId: audio.sinkId ?? null };
  });
  assert.equal(speaker.paused, false, 'the call is playing');
  assert.ok(speaker.advanced > 1, `the call's audio plays on (${speaker.advanced.toFixed(2)} s in 1.5 s)`);
  assert.ok(speaker.peak > 0.01, `the debtor's voice is in what the agent hears (RMS ${speaker.peak.toFixed(4)})`);
  if (speaker.sinkId !== null) assert.equal(speaker.sinkId, speaker.chosen, 'on the speaker chosen in the list');
  t.diagnostic(`agent's speaker: RMS ${speaker.peak.toFixed(3)}, sinkId ${JSON.stringify(speaker.sinkId)}`);

  // DTMF from the keypad reaches Asterisk on the agent's channel (RFC 4733): heard by a
  // second ARI application subscribed to that channel.
  const probe = new WebSocket(`${ariUrl.replace(/^http/, 'ws')}/ari/events?app=softphone-probe&api_key=${encodeURIComponent(`${env.BEREIK_ARI_USER}:${env.BEREIK_ARI_PASSWORD}`)}`);
  t.after(() => probe.close());
  const digits: string[] = [];
  probe.on('message', (d) => {
    const ev = JSON.parse(String(d)) as { type: string; digit?: string; channel?: { id: string } };
    if (ev.type === 'ChannelDtmfReceived' && ev.channel?.id === lineChannel && ev.digit) digits.push(ev.digit);
  });
  await new Promise((r, j) => (probe.once('open', r), probe.once('error', j)));
  const sub = await fetch(`${ariUrl}/ari/applications/softphone-probe/subscription?eventSource=channel:${lineChannel}`, { method: 'POST', headers: { authorization: ariAuth } });
  assert.equal(sub.status, 200, await sub.text());
  await page.click('[data-dtmf="5"]');
  await until('the key 5 from the softphone', async () => (digits.includes('5') ? true : undefined), 5000);

  t.diagnostic(`rtp packets while waiting for each to grow: ${flowed.join(', ')}`);

  // The debtor hangs up: the agent is still on the same line, alone in the bridge.
  await until('the debtor gone from the bridge', async () => ((await lineBridge())?.channels.length === 1 ? true : undefined), 20_000);
  assert.deepEqual((await lineBridge())?.channels, [lineChannel]);
  assert.equal(await byId(page, 'line').getAttribute('data-state'), 'open');
  assert.equal((await ari<{ state: string }>(`/channels/${lineChannel}`)).body.state, 'Up');

  // Logging out hangs the line up and deletes the per-login endpoint from Asterisk.
  await byId(page, 'logout').click();
  await byId(page, 'login').waitFor();
  await until('the line bridge gone', async () => ((await lineBridge()) ? undefined : true), 10_000);
  await until('the softphone endpoint deleted', async () => ((await ari(`/endpoints/PJSIP/${endpoint}`)).status === 404 ? true : undefined), 10_000);
  assert.deepEqual(pageErrors, []);
});
