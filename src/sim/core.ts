/**
 * What the simulator's parts (bridges, channels, dialplan, outbound, playbacks,
 * subscriptions) need of the simulated Asterisk. They take this interface, which
 * SimulatedAsterisk implements, so the parts never import the class that composes them.
 */
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { EventHub } from './event-hub.ts';
import type { SimBridge, SimChannel, SimPlayback } from './model.ts';
import type { CallResult, PhoneCallRecord } from './phone.ts';
import type { SimRecordings } from './recordings.ts';

/** POST /channels as ARI takes it (query or body), every value a string. */
export interface OriginateParams {
  endpoint?: string;
  app?: string;
  appArgs?: string;
  context?: string;
  extension?: string;
  priority?: string;
  callerId?: string;
  timeout?: string;
  channelId?: string;
  variables?: Record<string, string>;
}

export interface SimCore {
  readonly channels: Map<string, SimChannel>;
  readonly bridges: Map<string, SimBridge>;
  readonly playbacks: Map<string, SimPlayback>;
  readonly hub: EventHub;
  /** Bridge recordings, live and stored (recordings.ts). */
  readonly recordings: SimRecordings;
  readonly clock: Clock;
  readonly app: string;
  readonly log: Logger;
  hasEndpoint(name: string): boolean;
  publish(app: string | null, type: string, fields: Record<string, unknown>): boolean;
  publishChannel(ch: SimChannel, type: string, fields?: Record<string, unknown>): boolean;
  publishOn(ch: SimChannel, type: string, fields: Record<string, unknown>): boolean;
  timer(ms: number, fn: () => void): TimerHandle;
  channelTimer(ch: SimChannel, ms: number, fn: () => void): TimerHandle;
  enterStasis(ch: SimChannel, args: string[], loc: { context: string; exten: string; priority: number }): void;
  phoneHangup(ch: SimChannel, cause: number, result?: CallResult): void;
  destroy(ch: SimChannel, result: CallResult, cause: number, by: PhoneCallRecord['hungUpBy']): void;
  nextChannelId(wanted: string | undefined): { n: number; id: string };
  register(ch: SimChannel): void;
}
