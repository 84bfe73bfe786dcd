/**
 * The simulator's state objects and the JSON shapes Asterisk 22 gives them on the wire
 * (field names and order copied from ../shared/ari-traces).
 */
import type { TimerHandle } from '../lib/clock.ts';
import type { PhoneSession } from './phone.ts';

export type SimChannelState = 'Down' | 'Ring' | 'Ringing' | 'Up';

export interface DialplanLoc {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

export interface SimChannel {
  id: string;
  name: string;
  state: SimChannelState;
  protocolId: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  dialplan: DialplanLoc;
  /** Where the dialplan was before Stasis (ChannelDestroyed shows it again after StasisEnd). */
  preStasisDialplan: DialplanLoc;
  creationtime: string;
  createdAtMs: number;
  vars: Map<string, string>;
  /** The app subscribed to this channel's events, if any. */
  app: string | null;
  /**
   * How many times `app` is subscribed: Asterisk counts originate-with-app, each Stasis
   * entry and each POST /applications/{app}/subscription; StasisEnd and DELETE drop one.
   * The app hears the channel while the count is above 0.
   */
  subscriptions: number;
  inStasis: boolean;
  /** Originated by the app over ARI and not (yet) handed to the dialplan, vs entered from the dialplan. */
  originatedByApp: boolean;
  /** Dial string without the technology, as Dial events show it. */
  dialstring: string;
  bridgeId: string | null;
  moh: string | null;
  /** Playback ids on this channel: [0] is playing, the rest wait. */
  playbackQueue: string[];
  timers: Set<TimerHandle>;
  hangingUp: boolean;
  gone: boolean;
  phone: PhoneSession;
  /** A snoop channel (POST /channels/{id}/snoop): whose audio it carries and where it whispers. */
  snoop?: { targetId: string; spy: SnoopDirection; whisper: SnoopDirection };
}

/** ARI snoop directions: in = what the channel's party says, out = what the party hears. */
export type SnoopDirection = 'none' | 'in' | 'out' | 'both';

export interface SimBridge {
  id: string;
  name: string;
  bridgeType: 'holding' | 'mixing';
  technology: 'holding_bridge' | 'simple_bridge' | 'native_rtp';
  /** Newest first, as Asterisk lists them. */
  channels: string[];
  creationtime: string;
  moh: string | null;
  playbackQueue: string[];
  /**
   * Subscriptions of the app to this bridge. Asterisk subscribes the app when it adds a
   * channel and unsubscribes when the app moves or removes it, but not when a channel
   * hangs up: so BridgeDestroyed reached the app for the talk bridge, not the emptied
   * holding bridge (trace 04).
   */
  subscriptions: number;
  app: string | null;
}

export type PlaybackTarget = { kind: 'channel'; id: string } | { kind: 'bridge'; id: string };

export interface SimPlayback {
  id: string;
  media: string[];
  index: number;
  language: string;
  target: PlaybackTarget;
  state: 'queued' | 'playing' | 'done' | 'failed';
  startedAtMs: number;
  /** Planned length of the current media item (null: plays until stopped). */
  itemMs: number | null;
  timer: TimerHandle | null;
  app: string | null;
  /** Channels hearing it: the target channel, or the bridge's channels when it started. */
  listeners: string[];
}

/** 2026-11-23T09:00:00.123+0000, as Asterisk writes timestamps. */
export function ariTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function channelJson(c: SimChannel): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    protocol_id: c.protocolId,
    caller: { name: c.caller.name, number: c.caller.number },
    connected: { name: c.connected.name, number: c.connected.number },
    accountcode: '',
    dialplan: { ...c.dialplan },
    creationtime: c.creationtime,
    language: 'en',
  };
}

/** Bridge snapshot; events carry no creationtime, REST answers do (trace 04). */
export function bridgeJson(b: SimBridge, withCreation: boolean): Record<string, unknown> {
  const j: Record<string, unknown> = {
    id: b.id,
    technology: b.technology,
    bridge_type: b.bridgeType,
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: b.name,
    channels: [...b.channels],
  };
  if (withCreation) j.creationtime = b.creationtime;
  j.video_mode = 'talker';
  return j;
}

export function playbackJson(p: SimPlayback, state: string = p.state): Record<string, unknown> {
  const j: Record<string, unknown> = {
    id: p.id,
    media_uri: p.media[p.index] ?? p.media[0],
    target_uri: `${p.target.kind}:${p.target.id}`,
    language: p.language,
    state,
  };
  if (p.media.length > 1 && p.index + 1 < p.media.length) j.next_media_uri = p.media[p.index + 1];
  return j;
}
