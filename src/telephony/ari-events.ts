/**
 * The ARI events Bereik uses, as a discriminated union narrowed at the edge (STYLE.md:
 * schemas at every edge). Anything else Asterisk sends (ChannelVarset, ChannelConnectedLine,
 * events from future versions) or anything malformed becomes null and is ignored, so one
 * odd frame never crashes the connection. Field names follow Asterisk 22 as recorded in
 * ../shared/ari-traces.
 */
import type { ChannelState } from './types.ts';

export interface AriCallerId {
  name: string;
  number: string;
}

export interface AriChannel {
  id: string;
  name: string;
  state: ChannelState;
  caller: AriCallerId;
  connected: AriCallerId;
  dialplan: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
  creationtime: string;
  language?: string;
}

export interface AriBridge {
  id: string;
  bridge_type: string;
  technology?: string;
  name?: string;
  creator?: string;
  channels: string[];
}

export interface AriPlayback {
  id: string;
  media_uri: string;
  target_uri: string;
  state: string;
}

/** A bridge or channel recording (ARI LiveRecording); duration in whole seconds once finished. */
export interface AriLiveRecording {
  name: string;
  format: string;
  target_uri: string;
  state: string;
  duration?: number;
  cause?: string;
}

interface Base {
  timestamp?: string;
  application?: string;
}

export type AriEvent =
  | (Base & { type: 'StasisStart'; channel: AriChannel; args: string[] })
  | (Base & { type: 'StasisEnd'; channel: AriChannel })
  | (Base & { type: 'ChannelStateChange'; channel: AriChannel })
  | (Base & { type: 'ChannelDtmfReceived'; channel: AriChannel; digit: string; duration_ms: number })
  | (Base & { type: 'ChannelHangupRequest'; channel: AriChannel; cause?: number; soft?: boolean })
  | (Base & { type: 'ChannelDestroyed'; channel: AriChannel; cause: number; cause_txt: string })
  | (Base & { type: 'Dial'; peer: AriChannel; dialstatus: string })
  | (Base & { type: 'PlaybackStarted'; playback: AriPlayback })
  | (Base & { type: 'PlaybackContinuing'; playback: AriPlayback })
  | (Base & { type: 'PlaybackFinished'; playback: AriPlayback })
  | (Base & { type: 'ChannelEnteredBridge'; channel: AriChannel; bridge: AriBridge })
  | (Base & { type: 'ChannelLeftBridge'; channel: AriChannel; bridge: AriBridge })
  | (Base & { type: 'BridgeDestroyed'; bridge: AriBridge })
  | (Base & { type: 'RecordingStarted' | 'RecordingFinished' | 'RecordingFailed'; recording: AriLiveRecording });

export type AriEventType = AriEvent['type'];

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function callerId(v: unknown): AriCallerId {
  return isObj(v) ? { name: str(v.name) ?? '', number: str(v.number) ?? '' } : { name: '', number: '' };
}

/** A channel snapshot, or undefined when the id is missing (then the event is useless). */
export function narrowChannel(v: unknown): AriChannel | undefined {
  if (!isObj(v)) return undefined;
  const id = str(v.id);
  if (!id) return undefined;
  const dp = isObj(v.dialplan) ? v.dialplan : {};
  return {
    id,
    name: str(v.name) ?? '',
    state: (str(v.state) ?? 'Unknown') as ChannelState,
    caller: callerId(v.caller),
    connected: callerId(v.connected),
    dialplan: {
      context: str(dp.context) ?? '',
      exten: str(dp.exten) ?? '',
      priority: num(dp.priority) ?? 0,
      app_name: str(dp.app_name),
      app_data: str(dp.app_data),
    },
    creationtime: str(v.creationtime) ?? '',
    language: str(v.language),
  };
}

export function narrowBridge(v: unknown): AriBridge | undefined {
  if (!isObj(v)) return undefined;
  const id = str(v.id);
  if (!id) return undefined;
  const channels = Array.isArray(v.channels) ? v.channels.filter((c): c is string => typeof c === 'string') : [];
  return { id, bridge_type: str(v.bridge_type) ?? '', technology: str(v.technology), name: str(v.name), creator: str(v.creator), channels };
}

export function narrowPlayback(v: unknown): AriPlayback | undefined {
  if (!isObj(v)) return undefined;
  const id = str(v.id);
  if (!id) return undefined;
  return { id, media_uri: str(v.media_uri) ?? '', target_uri: str(v.target_uri) ?? '', state: str(v.state) ?? '' };
}

export function narrowRecording(v: unknown): AriLiveRecording | undefined {
  if (!isObj(v)) return undefined;
  const name = str(v.name);
  if (!name) return undefined;
  return { name, format: str(v.format) ?? '', target_uri: str(v.target_uri) ?? '', state: str(v.state) ?? '', duration: num(v.duration), cause: str(v.cause) };
}

/**
 * The event types narrowAriEvent keeps: the app asks Asterisk for these only
 * (PUT /applications/{app}/eventFilter), so the rest — about half of a call's frames on a
 * real Asterisk (ChannelVarset, ChannelDialplan, …) — never cross the socket.
 */
export const HANDLED_EVENT_TYPES = [
  'StasisStart', 'StasisEnd', 'ChannelStateChange', 'ChannelDtmfReceived', 'ChannelHangupRequest', 'ChannelDestroyed', 'Dial',
  'PlaybackStarted', 'PlaybackContinuing', 'PlaybackFinished', 'ChannelEnteredBridge', 'ChannelLeftBridge', 'BridgeDestroyed',
  'RecordingStarted', 'RecordingFinished', 'RecordingFailed',
] as const satisfies readonly AriEvent['type'][];

/** Parses one WebSocket frame into a known event, or null (unknown type, bad JSON, missing fields). */
export function parseAriEvent(raw: string | Buffer): AriEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return null;
  }
  return narrowAriEvent(v);
}

export function narrowAriEvent(v: unknown): AriEvent | null {
  if (!isObj(v)) return null;
  const base: Base = { timestamp: str(v.timestamp), application: str(v.application) };
  const type = str(v.type);
  switch (type) {
    case 'StasisStart': {
      const channel = narrowChannel(v.channel);
      if (!channel) return null;
      const args = Array.isArray(v.args) ? v.args.map((a) => String(a)) : [];
      return { ...base, type, channel, args };
    }
    case 'StasisEnd':
    case 'ChannelStateChange': {
      const channel = narrowChannel(v.channel);
      return channel ? { ...base, type, channel } : null;
    }
    case 'ChannelDtmfReceived': {
      const channel = narrowChannel(v.channel);
      const digit = str(v.digit);
      if (!channel || !digit) return null;
      return { ...base, type, channel, digit, duration_ms: num(v.duration_ms) ?? 0 };
    }
    case 'ChannelHangupRequest': {
      const channel = narrowChannel(v.channel);
      if (!channel) return null;
      return { ...base, type, channel, cause: num(v.cause), soft: v.soft === true };
    }
    case 'ChannelDestroyed': {
      const channel = narrowChannel(v.channel);
      if (!channel) return null;
      return { ...base, type, channel, cause: num(v.cause) ?? 0, cause_txt: str(v.cause_txt) ?? '' };
    }
    case 'Dial': {
      const peer = narrowChannel(v.peer);
      if (!peer) return null;
      return { ...base, type, peer, dialstatus: str(v.dialstatus) ?? '' };
    }
    case 'PlaybackStarted':
    case 'PlaybackContinuing':
    case 'PlaybackFinished': {
      const playback = narrowPlayback(v.playback);
      return playback ? { ...base, type, playback } : null;
    }
    case 'ChannelEnteredBridge':
    case 'ChannelLeftBridge': {
      const channel = narrowChannel(v.channel);
      const bridge = narrowBridge(v.bridge);
      return channel && bridge ? { ...base, type, channel, bridge } : null;
    }
    case 'BridgeDestroyed': {
      const bridge = narrowBridge(v.bridge);
      return bridge ? { ...base, type, bridge } : null;
    }
    case 'RecordingStarted':
    case 'RecordingFinished':
    case 'RecordingFailed': {
      const recording = narrowRecording(v.recording);
      return recording ? { ...base, type, recording } : null;
    }
    default:
      // ChannelVarset, ChannelConnectedLine, ChannelDialplan, … : not used by Bereik.
      return null;
  }
}
