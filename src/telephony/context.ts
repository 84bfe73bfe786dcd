/**
 * What every handle needs from the client that owns it: the REST half, the clock, a
 * logger, the app name, and the registry that routes playback events to their handle.
 */
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { AriRest } from './ari-rest.ts';
import type { AriLiveRecording } from './ari-events.ts';

/** A playback as the registry sees it (AriPlaybackHandle): told when Asterisk starts and finishes it. */
export interface TrackedPlayback {
  readonly id: string;
  readonly done: boolean;
  onStarted(): void;
  /** One item of a media list ended and the next begins (ARI PlaybackContinuing). */
  onContinuing(): void;
  /** ARI's PlaybackFinished state: 'done', 'failed'… */
  onFinished(ariState: string): void;
}

export interface AriContext {
  readonly rest: AriRest;
  readonly clock: Clock;
  readonly log: Logger;
  readonly app: string;
  readonly playbacks: Map<string, TrackedPlayback>;
  /** Live recordings by name: RecordingFinished is routed to its handle. */
  readonly recordings: Map<string, { onEvent(type: 'RecordingStarted' | 'RecordingFinished' | 'RecordingFailed', rec: AriLiveRecording): void }>;
}
