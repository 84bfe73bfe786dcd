/**
 * Bridges as Asterisk 22 shows them (trace 04): holding → holding_bridge; mixing →
 * simple_bridge, native_rtp while exactly two channels are in (snapshots show the
 * technology from before the change that the event reports). Moving a channel from one
 * bridge to another gives ChannelLeftBridge (old) then ChannelEnteredBridge (new).
 */
import { randomUUID } from 'node:crypto';
import type { SimCore } from './core.ts';
import { AriError, bridgeNotFound, notInStasis } from './ari-error.ts';
import { ariTime, bridgeJson, channelJson, type SimBridge, type SimChannel } from './model.ts';
import { stopAllOnBridge } from './playbacks.ts';
import { refreshHearing } from './hearing.ts';
import { bridgeMembersChanged, finishBridgeRecordings } from './recordings.ts';

export function createBridge(sim: SimCore, type: string | undefined, bridgeId?: string, name?: string): Record<string, unknown> {
  const existing = bridgeId ? sim.bridges.get(bridgeId) : undefined;
  if (existing) return bridgeJson(existing, true);
  const holding = (type ?? 'mixing').split(',').some((t) => t.trim() === 'holding');
  const b: SimBridge = {
    id: bridgeId || randomUUID(),
    name: name ?? '',
    bridgeType: holding ? 'holding' : 'mixing',
    technology: holding ? 'holding_bridge' : 'simple_bridge',
    channels: [],
    creationtime: ariTime(sim.clock.now()),
    moh: null,
    playbackQueue: [],
    subscriptions: 0,
    app: null,
  };
  sim.bridges.set(b.id, b);
  return bridgeJson(b, true);
}

export function getBridge(sim: SimCore, id: string): SimBridge {
  const b = sim.bridges.get(id);
  if (!b) throw bridgeNotFound();
  return b;
}

function recompute(b: SimBridge): void {
  if (b.bridgeType === 'mixing') b.technology = b.channels.length === 2 ? 'native_rtp' : 'simple_bridge';
}

/** Channels named in a bridge operation: 400 if one does not exist, 422 if one is not in Stasis. */
function controls(sim: SimCore, ids: string[]): SimChannel[] {
  if (ids.length === 0) throw new AriError(400, { message: 'Missing parameter channel' });
  const out: SimChannel[] = [];
  for (const id of ids) {
    const ch = sim.channels.get(id);
    if (!ch) throw new AriError(400, { message: 'Channel not found' });
    if (!ch.inStasis || ch.hangingUp) throw notInStasis(422);
    out.push(ch);
  }
  return out;
}

export function addChannels(sim: SimCore, bridgeId: string, ids: string[]): void {
  const b = getBridge(sim, bridgeId);
  for (const ch of controls(sim, ids)) {
    if (ch.bridgeId === b.id) continue;
    if (ch.bridgeId) leaveBridge(sim, ch, { byApp: true });
    enter(sim, b, ch);
  }
}

function enter(sim: SimCore, b: SimBridge, ch: SimChannel): void {
  b.channels.unshift(ch.id);
  ch.bridgeId = b.id;
  b.subscriptions++;
  b.app = ch.app ?? b.app;
  sim.publish(ch.app, 'ChannelEnteredBridge', { bridge: bridgeJson(b, false), channel: channelJson(ch) });
  recompute(b);
  bridgeMembersChanged(sim, b);
  if (b.moh) ch.phone.mohChanged(b.moh);
  if (b.bridgeType === 'mixing' && b.channels.length >= 2) {
    for (const otherId of b.channels) {
      const other = sim.channels.get(otherId);
      if (!other || other === ch) continue;
      // The two parties now see each other as connected line (ChannelConnectedLine, newcomer first).
      ch.connected = { ...other.caller };
      other.connected = { ...ch.caller };
      sim.publishChannel(ch, 'ChannelConnectedLine');
      sim.publishChannel(other, 'ChannelConnectedLine');
      ch.phone.talkingTo(other.phone.record.phone);
      other.phone.talkingTo(ch.phone.record.phone);
    }
  }
  refreshHearing(sim, members(sim, b));
}

function members(sim: SimCore, b: SimBridge): SimChannel[] {
  return b.channels.flatMap((id) => sim.channels.get(id) ?? []);
}

/** The channel leaves its bridge (moved or removed by the app, or hung up). */
export function leaveBridge(sim: SimCore, ch: SimChannel, o: { byApp: boolean }): void {
  const b = ch.bridgeId ? sim.bridges.get(ch.bridgeId) : undefined;
  ch.bridgeId = null;
  if (!b) return;
  const i = b.channels.indexOf(ch.id);
  if (i >= 0) b.channels.splice(i, 1);
  if (o.byApp) b.subscriptions = Math.max(0, b.subscriptions - 1);
  sim.publish(ch.app, 'ChannelLeftBridge', { bridge: bridgeJson(b, false), channel: channelJson(ch) });
  recompute(b);
  bridgeMembersChanged(sim, b);
  if (b.moh) ch.phone.mohChanged(null);
  if (b.bridgeType === 'mixing') {
    for (const otherId of b.channels) {
      const other = sim.channels.get(otherId);
      if (!other) continue;
      ch.phone.talkingTo(null);
      other.phone.talkingTo(null);
    }
  }
  refreshHearing(sim, [ch, ...members(sim, b)]);
}

export function removeChannels(sim: SimCore, bridgeId: string, ids: string[]): void {
  const b = getBridge(sim, bridgeId);
  const chans = controls(sim, ids);
  for (const ch of chans) if (ch.bridgeId !== b.id) throw new AriError(422, { message: 'Channel not in this bridge' });
  for (const ch of chans) leaveBridge(sim, ch, { byApp: true });
}

/** DELETE /bridges/{id}: channels still in it are put out, then BridgeDestroyed if the app is subscribed. */
export function destroyBridge(sim: SimCore, id: string): void {
  const b = getBridge(sim, id);
  stopAllOnBridge(sim, b);
  finishBridgeRecordings(sim, b);
  for (const chId of [...b.channels]) {
    const ch = sim.channels.get(chId);
    if (ch) leaveBridge(sim, ch, { byApp: false });
  }
  sim.bridges.delete(b.id);
  if (b.subscriptions > 0) sim.publish(b.app, 'BridgeDestroyed', { bridge: bridgeJson(b, false) });
}

export function bridgeMoh(sim: SimCore, id: string, mohClass: string | null): void {
  const b = getBridge(sim, id);
  b.moh = mohClass;
  for (const chId of b.channels) sim.channels.get(chId)?.phone.mohChanged(mohClass);
}
