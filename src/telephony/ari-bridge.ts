/**
 * A holding or mixing bridge. Membership follows ChannelEnteredBridge/ChannelLeftBridge;
 * destroy() on a bridge that is already gone is fine (404 is a normal answer). Music on
 * hold and a playback cannot run together in a holding bridge (trace 04): the playback
 * then finishes 'failed' at once, which the caller sees in `finished`.
 */
import { EventEmitter } from 'node:events';
import { BereikError } from '../lib/errors.ts';
import type { AriEvent } from './ari-events.ts';
import { playOn, type AriPlaybackHandle, type PlaybackTarget } from './ari-playback.ts';
import { ariStatus } from './ari-rest.ts';
import type { AriContext } from './context.ts';
import type { Bridge, BridgeEvents, BridgeType, Call, LiveRecording, Playback, RecordOptions } from './types.ts';
import { AriRecordingHandle } from './ari-recording.ts';

export class AriBridgeHandle extends EventEmitter<BridgeEvents> implements Bridge, PlaybackTarget {
  private readonly members = new Set<string>();
  private _destroyed = false;
  private readonly playbacksOfBridge = new Set<AriPlaybackHandle>();
  /** Clock ms when it was last seen with a channel in it (or created): the sweep's measure. */
  lastUsedAt: number;

  constructor(
    private readonly ctx: AriContext,
    readonly id: string,
    readonly type: BridgeType,
    readonly name: string,
    private readonly onDestroyed: (b: AriBridgeHandle) => void,
  ) {
    super();
    this.lastUsedAt = ctx.clock.now();
  }

  get channelIds(): ReadonlySet<string> { return this.members; }
  get destroyed(): boolean { return this._destroyed; }
  get hangupRequested(): boolean { return this._destroyed; }
  get restPath(): string { return `/bridges/${encodeURIComponent(this.id)}`; }

  handle(e: AriEvent): void {
    if (this._destroyed) return;
    switch (e.type) {
      case 'ChannelEnteredBridge':
        this.setMembers(e.bridge.channels);
        this.members.add(e.channel.id);
        this.emit('channelEntered', e.channel.id);
        return;
      case 'ChannelLeftBridge':
        this.setMembers(e.bridge.channels);
        this.members.delete(e.channel.id);
        this.emit('channelLeft', e.channel.id);
        return;
      case 'BridgeDestroyed':
        this.markDestroyed();
        return;
      default:
        return;
    }
  }

  /** Membership as GET /bridges reports it (reconcile). */
  setMembers(ids: readonly string[]): void {
    this.members.clear();
    for (const id of ids) this.members.add(id);
    if (ids.length > 0) this.lastUsedAt = this.ctx.clock.now();
  }

  async addChannel(call: Call | string, opts: { role?: 'announcer' | 'participant' } = {}): Promise<void> {
    await this.command('POST', '/addChannel', { channel: idOf(call), role: opts.role });
    this.lastUsedAt = this.ctx.clock.now();
  }

  async removeChannel(call: Call | string): Promise<void> {
    await this.command('POST', '/removeChannel', { channel: idOf(call) });
  }

  /** On a destroyed bridge the Playback comes back already finished with 'hangup'. */
  play(media: string | string[], opts: { lang?: string } = {}): Promise<Playback> {
    return playOn(this.ctx, this, this._destroyed, this.playbacksOfBridge, media, opts.lang);
  }

  async startMoh(mohClass = 'default'): Promise<void> {
    await this.command('POST', '/moh', { mohClass });
  }

  async stopMoh(): Promise<void> {
    if (this._destroyed) return;
    await this.ctx.rest.requestUnlessGone('DELETE', `${this.restPath}/moh`);
  }

  async record(o: RecordOptions): Promise<LiveRecording> {
    const format = o.format ?? 'wav';
    const rec = new AriRecordingHandle(this.ctx, o.name, format, this.ctx.clock.now(), (r) => {
      if (this.ctx.recordings.get(r.name) === r) this.ctx.recordings.delete(r.name);
    });
    // Registered before asking: RecordingStarted may overtake the answer.
    this.ctx.recordings.set(o.name, rec);
    try {
      await this.command('POST', '/record', { name: o.name, format, maxDurationSeconds: o.maxDurationSec ? String(o.maxDurationSec) : undefined, beep: o.beep ? 'true' : 'false', ifExists: 'fail' });
    } catch (err) {
      this.ctx.recordings.delete(o.name);
      throw err;
    }
    return rec;
  }

  async destroy(): Promise<void> {
    if (this._destroyed) return;
    await this.ctx.rest.requestUnlessGone('DELETE', this.restPath);
    this.markDestroyed();
  }

  targetGone(): void {
    this.markDestroyed();
  }

  /** Gone (BridgeDestroyed, our destroy(), or not listed any more after a reconnect). */
  markDestroyed(): void {
    if (this._destroyed) return;
    this._destroyed = true;
    for (const pb of this.playbacksOfBridge) pb.end('hangup');
    this.members.clear();
    this.onDestroyed(this);
    this.emit('destroyed');
  }

  private async command(method: 'POST' | 'DELETE', sub: string, query?: Record<string, string | undefined>): Promise<void> {
    if (this._destroyed) throw goneError(this.id);
    try {
      await this.ctx.rest.request(method, this.restPath + sub, query);
    } catch (err) {
      const msg = ((err as BereikError).details as { ariMessage?: string } | undefined)?.ariMessage ?? '';
      if (ariStatus(err) === 404 && /bridge not found/i.test(msg)) {
        this.markDestroyed();
        throw goneError(this.id, err);
      }
      throw err;
    }
  }
}

function idOf(call: Call | string): string {
  return typeof call === 'string' ? call : call.id;
}

function goneError(id: string, cause?: unknown): BereikError {
  return new BereikError('ARI_BRIDGE_GONE', `Bridge ${id} no longer exists in Asterisk`, { bridgeId: id, cause: cause instanceof Error ? cause.message : undefined }, 404);
}
