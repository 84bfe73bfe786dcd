/**
 * The telephony seam: the only API the rest of Bereik uses to make and drive calls.
 * No ARI path or event name appears outside src/telephony (and src/sim); callers get
 * typed handles and typed results. Implemented by AriTelephony (ari-telephony.ts) over
 * the wire to a real or simulated Asterisk.
 */
import type { EventEmitter } from 'node:events';
import type { StasisEntry } from './stasis-entry.ts';
import type { PjsipConfig, RtpStatistics } from './ari-config.ts';

export type { AmdStatus, AmdVerdict, StasisEntry, StasisEntryKind } from './stasis-entry.ts';

/** Asterisk channel states as ARI reports them. */
export type ChannelState = 'Down' | 'Rsrvd' | 'OffHook' | 'Dialing' | 'Ring' | 'Ringing' | 'Up' | 'Busy' | 'Dialing Offhook' | 'Pre-ring' | 'Unknown';

/** How an originated call reaches the app. */
export type OriginateRoute =
  /** Straight into Stasis on answer, with these args (StasisStart args). */
  | { kind: 'app'; args: string[] }
  /** Through a dialplan context (e.g. bereik-outbound: AMD, then Stasis). */
  | { kind: 'dialplan'; context: string; extension?: string; priority?: number };

export interface OriginateOptions {
  /** Dial string, e.g. PJSIP/+31612345678@trunk or PJSIP/agent1001. */
  endpoint: string;
  route: OriginateRoute;
  /** Caller ID presented to the far end, e.g. +31201234567 or "Incasso" <+31201234567>. */
  callerId?: string;
  /** Ring timeout in seconds (Ofcom/FCC: at least 15 for debtor calls). */
  timeoutSec?: number;
  /** Channel id to use (Bereik passes its own call id so logs line up). */
  channelId?: string;
  /** Channel variables, e.g. { BEREIK_CALL_ID: 'c-123' }. */
  variables?: Record<string, string>;
}

/** Why and how a call ended. cause is the Q.850 cause code Asterisk reports. */
export interface HangupInfo {
  cause: number;
  causeText: string;
  /** Dial status when the call never answered: BUSY, NOANSWER, CONGESTION, CHANUNAVAIL… */
  dialStatus?: string;
  /** Whether the channel had answered before it ended. */
  answered: boolean;
  /** Whether Bereik asked for the hang-up. */
  byApp: boolean;
}

/** Named hang-up reasons Bereik uses (mapped to ARI's reason values). */
export type HangupReason = 'normal' | 'busy' | 'congestion' | 'no_answer' | 'timeout' | 'rejected' | 'unallocated';

export type PlaybackEnd = 'done' | 'failed' | 'stopped' | 'hangup';

export interface Playback {
  readonly id: string;
  readonly media: string;
  /** Resolves when the playback ends (never rejects). */
  readonly finished: Promise<PlaybackEnd>;
  /** Stops it early (barge-in), the rest of a media list with it. Resolves once Asterisk accepted; a gone playback is fine. */
  stop(): Promise<void>;
  /**
   * A list of media plays its items one after another in one playback. `listener(index)`
   * runs as item `index` ends and the next begins (ARI PlaybackContinuing); Asterisk
   * reports an item that could not play the same way, at once. The last item's end is
   * `finished`. A listener added after items ended hears those at once, in order.
   */
  onNext(listener: (index: number) => void): void;
}

export interface CollectOptions {
  /** Stop after this many digits (1 for a menu choice). */
  maxDigits: number;
  /** A key that ends input without being part of it (e.g. '#'). */
  terminator?: string;
  /** Time to wait for the first key, in clock ms. */
  firstDigitTimeoutMs: number;
  /** Time to wait between keys, in clock ms. */
  interDigitTimeoutMs: number;
  /** A prompt to stop when the first key arrives (barge-in: Asterisk does not do it). */
  bargeIn?: Playback;
}

export interface CollectResult {
  digits: string;
  reason: 'complete' | 'terminator' | 'timeout' | 'hangup';
}

export interface CallEvents {
  /** Far end is ringing. */
  ringing: [];
  /** Channel state went Up. */
  answered: [];
  /** Channel entered the Stasis app, for this reason (read from the Stasis() arguments). */
  stasisStart: [entry: StasisEntry];
  /** A key was pressed. */
  dtmf: [digit: string, durationMs: number];
  /** The call is over (hung up by either side, never answered, or gone). Emitted once. */
  ended: [info: HangupInfo];
}

/** A live channel. Created by originate(), by an inbound StasisStart, or by attach() after a restart. */
export interface Call extends EventEmitter<CallEvents> {
  readonly id: string;
  readonly state: ChannelState;
  /** Caller number as Asterisk has it (may be national, withheld, or empty). */
  readonly callerNumber: string;
  readonly callerName: string;
  /** Dialled extension (inbound: the number the debtor called). */
  readonly exten: string;
  /** Why the channel is in the app (its Stasis() arguments, parsed), once it entered it; else null. */
  readonly entry: StasisEntry | null;
  readonly inStasis: boolean;
  readonly ended: boolean;
  readonly endInfo: HangupInfo | undefined;
  /** Resolves with the end of the call. */
  whenEnded(): Promise<HangupInfo>;
  /** Resolves with the entry when the call enters the app, or null if it ends first. */
  whenInStasis(): Promise<StasisEntry | null>;

  answer(): Promise<void>;
  ring(): Promise<void>;
  /** Plays media (sound:…, tone:…, or several in order). Barge-in is the caller's job. */
  play(media: string | string[], opts?: { lang?: string }): Promise<Playback>;
  /** Keys pressed and not yet consumed by collectDigits(), oldest first. */
  readonly pendingDigits: string;
  clearDigits(): void;
  collectDigits(opts: CollectOptions): Promise<CollectResult>;
  startMoh(mohClass?: string): Promise<void>;
  stopMoh(): Promise<void>;
  getVar(name: string): Promise<string | undefined>;
  setVar(name: string, value: string): Promise<void>;
  /** Hangs up; a channel that is already gone is not an error. */
  hangup(reason?: HangupReason): Promise<void>;
}

export type BridgeType = 'holding' | 'mixing';

/** ARI snoop directions: 'in' is what the channel's party says, 'out' what the party hears. */
export type SnoopDirection = 'none' | 'in' | 'out' | 'both';

export interface SnoopOptions {
  /** Whose audio the snoop channel carries into the bridge it is put in. */
  spy: SnoopDirection;
  /** Where what is said into the snoop channel goes: 'out' = to the snooped channel's party only. */
  whisper: SnoopDirection;
  /** StasisStart args of the snoop channel. */
  args: string[];
}

export interface RecordOptions {
  /** Name of the recording in Asterisk's recordings directory (no extension). */
  name: string;
  /** File format; Bereik records WAV. */
  format?: 'wav';
  /** Stop by itself after this long (0 or unset: no limit). */
  maxDurationSec?: number;
  /** Play a beep first (off: the campaign's announcement says it). */
  beep?: boolean;
}

export type RecordingEnd = { state: 'done'; durationSec: number } | { state: 'failed'; durationSec: 0; cause: string };

/** A recording in progress. */
export interface LiveRecording {
  readonly name: string;
  readonly format: string;
  /** Resolves once Asterisk has finished (or failed) it; never rejects. */
  readonly finished: Promise<RecordingEnd>;
  /** Ends it; a recording that is already over is fine. */
  stop(): Promise<void>;
}

export interface BridgeEvents {
  channelEntered: [channelId: string];
  channelLeft: [channelId: string];
  destroyed: [];
}

export interface Bridge extends EventEmitter<BridgeEvents> {
  readonly id: string;
  readonly type: BridgeType;
  readonly channelIds: ReadonlySet<string>;
  readonly destroyed: boolean;
  addChannel(call: Call | string, opts?: { role?: 'announcer' | 'participant' }): Promise<void>;
  removeChannel(call: Call | string): Promise<void>;
  play(media: string | string[], opts?: { lang?: string }): Promise<Playback>;
  startMoh(mohClass?: string): Promise<void>;
  stopMoh(): Promise<void>;
  /** Records the bridge's mix (ARI bridge record) until stopped or the bridge is destroyed. */
  record(opts: RecordOptions): Promise<LiveRecording>;
  /** Destroys it; an already-gone bridge is not an error. */
  destroy(): Promise<void>;
}

export const HEALTH_STATES = ['connecting', 'connected', 'reconnecting', 'stopped'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface TelephonyHealth {
  state: HealthState;
  since: string;
  simulated: boolean;
  url: string;
  reconnects: number;
  lastError?: string;
}

/** What a (re)connect found: which known calls are still alive and which are gone. */
export interface ReconcileReport {
  reconnect: boolean;
  alive: string[];
  gone: string[];
  /** Channels in the app that no handle owns (candidates for the orphan sweep). */
  unknownChannels: string[];
}

export interface ChannelInfo {
  id: string;
  state: ChannelState;
  callerNumber: string;
  exten: string;
  createdAt: string;
}

export interface TelephonyEvents {
  /** A channel Bereik did not originate entered the app (inbound call). */
  inbound: [call: Call, entry: StasisEntry];
  health: [health: TelephonyHealth];
  reconciled: [report: ReconcileReport];
}

export interface Telephony extends EventEmitter<TelephonyEvents> {
  readonly simulated: boolean;
  health(): TelephonyHealth;
  /** Connects the events WebSocket; resolves once connected and reconciled. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves as soon as Asterisk accepted the originate (channel Down); follow the Call's events. */
  originate(opts: OriginateOptions): Promise<Call>;
  createBridge(type: BridgeType, opts?: { name?: string }): Promise<Bridge>;
  getCall(channelId: string): Call | undefined;
  /** Channels Asterisk has now (for reconciliation with the store after a restart). */
  listChannels(): Promise<ChannelInfo[]>;
  /** A handle on an existing channel (after a restart); undefined if it is gone. */
  attach(channelId: string): Promise<Call | undefined>;
  /**
   * A snoop channel on `target` (ARI POST /channels/{id}/snoop), in the app at once: put it in
   * a bridge with a listener's channel. It hangs up by itself when the target does.
   */
  snoop(target: Call | string, opts: SnoopOptions): Promise<Call>;
  /** A finished recording's file from Asterisk (GET /recordings/stored/{name}/file); undefined if there is none. */
  storedRecording(name: string): Promise<Buffer | undefined>;
  /** Removes a stored recording from Asterisk (once Bereik has its copy); a missing one is fine. */
  deleteStoredRecording(name: string): Promise<void>;
  /** PJSIP objects pushed over ARI (browser softphones' per-login endpoints: ari-config.ts). */
  readonly pjsip: PjsipConfig;
  /** A channel's RTP counters; undefined when the channel or its RTP is gone. */
  rtpStatistics(channelId: string): Promise<RtpStatistics | undefined>;
}
