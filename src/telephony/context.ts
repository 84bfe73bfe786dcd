/**
 * What every handle needs from the client that owns it: the REST half, the clock, a
 * logger, the app name, and the registry that routes playback events to their handle.
 */
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { AriRest } from './ari-rest.ts';
import type { AriPlaybackHandle } from './ari-playback.ts';

export interface AriContext {
  readonly rest: AriRest;
  readonly clock: Clock;
  readonly log: Logger;
  readonly app: string;
  readonly playbacks: Map<string, AriPlaybackHandle>;
}
