/**
 * Playbacks on channels and bridges: queued per target, PlaybackStarted at once,
 * PlaybackFinished when the audio would have ended (times the clock's scale),
 * failed at once for media Asterisk could not play, and failed for a playback on a
 * holding bridge while its music on hold runs (trace 04). DTMF does not stop them.
 */
import { randomUUID } from 'node:crypto';
import type { SimCore } from './core.ts';
import { AriError, playbackNotFound } from './ari-error.ts';
import { planMedia } from './media.ts';
import { endpointListeners } from './subscriptions.ts';
import { playbackJson, type PlaybackTarget, type SimBridge, type SimChannel, type SimPlayback } from './model.ts';

type PhoneEnd = 'done' | 'stopped' | 'hangup';

function queueOf(sim: SimCore, t: PlaybackTarget): string[] | undefined {
  return t.kind === 'channel' ? sim.channels.get(t.id)?.playbackQueue : sim.bridges.get(t.id)?.playbackQueue;
}

function phonesOf(sim: SimCore, pb: SimPlayback): SimChannel[] {
  const out: SimChannel[] = [];
  for (const id of pb.listeners) {
    const ch = sim.channels.get(id);
    if (ch && !ch.gone) out.push(ch);
  }
  return out;
}

/** POST /channels/{id}/play or /bridges/{id}/play: answers the playback as queued. */
export function play(
  sim: SimCore,
  target: { channel: SimChannel } | { bridge: SimBridge },
  media: string[],
  lang: string | undefined,
  playbackId: string | undefined,
): Record<string, unknown> {
  if (media.length === 0 || media.some((m) => !m)) throw new AriError(400, { message: 'Missing parameter media' });
  if (playbackId && sim.playbacks.has(playbackId)) throw new AriError(409, { message: 'Playback with given ID already exists' });
  const isChannel = 'channel' in target;
  const pb: SimPlayback = {
    id: playbackId || randomUUID(),
    media,
    index: 0,
    language: lang || 'en',
    target: isChannel ? { kind: 'channel', id: target.channel.id } : { kind: 'bridge', id: target.bridge.id },
    state: 'queued',
    startedAtMs: 0,
    itemMs: null,
    timer: null,
    app: isChannel ? target.channel.app : (target.bridge.app ?? sim.app),
    listeners: [],
  };
  sim.playbacks.set(pb.id, pb);
  const answer = playbackJson(pb);
  const queue = isChannel ? target.channel.playbackQueue : target.bridge.playbackQueue;
  queue.push(pb.id);
  if (queue.length === 1) start(sim, pb);
  return answer;
}

function start(sim: SimCore, pb: SimPlayback): void {
  pb.state = 'playing';
  pb.startedAtMs = sim.clock.now();
  if (pb.target.kind === 'channel') pb.listeners = [pb.target.id];
  else pb.listeners = [...(sim.bridges.get(pb.target.id)?.channels ?? [])];
  publishPlayback(sim, pb, 'PlaybackStarted', playbackJson(pb));
  playItem(sim, pb, true);
}

/**
 * One item of the playback's media list, as res_stasis_playback plays it: every item gets
 * its own PlaybackStarted (the first one's is sent by start()); an item that cannot play
 * fails at once, and the list goes on with the next one unless it was the last.
 */
function playItem(sim: SimCore, pb: SimPlayback, first: boolean): void {
  const uri = pb.media[pb.index] ?? '';
  if (!first) publishPlayback(sim, pb, 'PlaybackStarted', playbackJson(pb, 'playing'));
  let plan = planMedia(uri);
  const bridge = pb.target.kind === 'bridge' ? sim.bridges.get(pb.target.id) : undefined;
  if (bridge && bridge.bridgeType === 'holding' && bridge.moh) plan = { kind: 'fail', why: 'music on hold is playing on the holding bridge' };
  const via = pb.target.kind;
  const last = pb.index + 1 >= pb.media.length;
  if (plan.kind === 'fail') {
    for (const ch of phonesOf(sim, pb)) ch.phone.promptFailed(pb.id, uri, via);
    if (last) finish(sim, pb, 'failed', null);
    else nextItem(sim, pb);
    return;
  }
  pb.itemMs = plan.kind === 'timed' ? plan.ms : null;
  for (const ch of phonesOf(sim, pb)) ch.phone.promptStarted(pb.id, uri, via, pb.itemMs);
  if (plan.kind === 'timed') {
    pb.timer = sim.timer(plan.ms, () => {
      pb.timer = null;
      if (last) finish(sim, pb, 'done', 'done');
      else nextItem(sim, pb);
    });
  }
}

/** The current item ended and the list goes on: PlaybackContinuing names the item that ended and the next. */
function nextItem(sim: SimCore, pb: SimPlayback): void {
  publishPlayback(sim, pb, 'PlaybackContinuing', playbackJson(pb, 'continuing'));
  for (const ch of phonesOf(sim, pb)) ch.phone.promptEnded(pb.id, 'done');
  pb.index++;
  playItem(sim, pb, false);
}

/** Ends a playback, tells its listeners, and starts the next one queued on the same target. */
function finish(sim: SimCore, pb: SimPlayback, state: 'done' | 'failed', phoneEnd: PhoneEnd | null, startNext = true): void {
  pb.timer?.cancel();
  pb.timer = null;
  pb.state = state;
  sim.playbacks.delete(pb.id);
  const queue = queueOf(sim, pb.target);
  if (queue) {
    const i = queue.indexOf(pb.id);
    if (i >= 0) queue.splice(i, 1);
  }
  publishPlayback(sim, pb, 'PlaybackFinished', playbackJson(pb));
  if (phoneEnd) for (const ch of phonesOf(sim, pb)) ch.phone.promptEnded(pb.id, phoneEnd);
  if (!startNext || !queue?.length) return;
  const next = sim.playbacks.get(queue[0] ?? '');
  if (next && next.state === 'queued') start(sim, next);
}

export function getPlayback(sim: SimCore, id: string): Record<string, unknown> {
  const pb = sim.playbacks.get(id);
  if (!pb) throw playbackNotFound();
  return playbackJson(pb);
}

/** DELETE /playbacks/{id}: 204, and the playback finishes as 'done' (trace 01). */
export function stopPlayback(sim: SimCore, id: string): void {
  const pb = sim.playbacks.get(id);
  if (!pb) throw playbackNotFound();
  finish(sim, pb, 'done', 'stopped');
}

/** The channel hangs up: what it was playing fails (trace 09), what waited is dropped. */
export function stopAllOn(sim: SimCore, ch: SimChannel): void {
  const [current, ...waiting] = ch.playbackQueue;
  for (const id of waiting) sim.playbacks.delete(id);
  ch.playbackQueue.length = 0;
  const pb = current ? sim.playbacks.get(current) : undefined;
  if (pb) finish(sim, pb, pb.state === 'playing' ? 'failed' : 'done', 'hangup', false);
}

/** The bridge is destroyed: its playbacks end. */
export function stopAllOnBridge(sim: SimCore, b: SimBridge): void {
  const [current, ...waiting] = b.playbackQueue;
  for (const id of waiting) sim.playbacks.delete(id);
  b.playbackQueue.length = 0;
  const pb = current ? sim.playbacks.get(current) : undefined;
  if (pb) finish(sim, pb, 'done', 'stopped', false);
}

/**
 * A channel's playback events go out on the channel's topic (res_stasis_playback), so an
 * app subscribed to the channel's endpoint hears them too; a bridge's go to its app only.
 */
function publishPlayback(sim: SimCore, pb: SimPlayback, type: string, playback: Record<string, unknown>): void {
  const ch = pb.target.kind === 'channel' ? sim.channels.get(pb.target.id) : undefined;
  const apps = ch ? endpointListeners(sim, ch) : [];
  if (pb.app) apps.unshift(pb.app);
  sim.hub.publishMany(apps, type, { playback });
}
