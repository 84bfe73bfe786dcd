/**
 * A playback on a channel or a bridge. `finished` never rejects: it says how the prompt
 * ended — done (heard to the end), failed (Asterisk could not play it), stopped (we
 * stopped it, e.g. barge-in) or hangup (the channel or bridge went away first).
 */
import { randomUUID } from 'node:crypto';
import type { Playback, PlaybackEnd } from './types.ts';
import type { AriContext } from './context.ts';

export interface PlaybackTarget {
  /** True once the far end asked to hang up (a 'failed' finish then means 'hangup', trace 09). */
  readonly hangupRequested: boolean;
  /** REST path of the target: /channels/{id} or /bridges/{id}. */
  readonly restPath: string;
  /** Asterisk said the target does not exist (404): the handle learns it is gone. */
  targetGone(): void;
}

export class AriPlaybackHandle implements Playback {
  readonly id: string;
  readonly finished: Promise<PlaybackEnd>;
  private settle!: (end: PlaybackEnd) => void;
  private stoppedByUs = false;
  private _state: 'queued' | 'playing' | PlaybackEnd = 'queued';
  /** Items of the media list that have ended (PlaybackContinuing). */
  private itemsEnded = 0;
  private nextListeners: ((index: number) => void)[] = [];

  constructor(
    private readonly ctx: AriContext,
    readonly media: string,
    private readonly target: PlaybackTarget,
    id?: string,
  ) {
    this.id = id ?? randomUUID();
    this.finished = new Promise<PlaybackEnd>((resolve) => (this.settle = resolve));
  }

  get state(): string {
    return this._state;
  }

  get done(): boolean {
    return this._state !== 'queued' && this._state !== 'playing';
  }

  /** Asks Asterisk to play it; a target that is already gone ends it as 'hangup'. */
  async start(media: string[], lang?: string): Promise<this> {
    this.ctx.playbacks.set(this.id, this);
    try {
      const ok = await this.ctx.rest.requestUnlessGone('POST', `${this.target.restPath}/play`, {
        media,
        lang,
        playbackId: this.id,
      });
      if (!ok) {
        this.end('hangup');
        this.target.targetGone();
      }
    } catch (err) {
      this.ctx.playbacks.delete(this.id);
      throw err;
    }
    return this;
  }

  onStarted(): void {
    if (!this.done) this._state = 'playing';
  }

  /** A listener added late still hears the items that already ended (a missing file ends at once, often before play() returned). */
  onNext(listener: (index: number) => void): void {
    this.nextListeners.push(listener);
    for (let index = 0; index < this.itemsEnded; index++) listener(index);
  }

  onContinuing(): void {
    if (this.done) return;
    const index = this.itemsEnded++;
    for (const l of this.nextListeners) l(index);
  }

  onFinished(ariState: string): void {
    if (ariState === 'failed') this.end(this.target.hangupRequested ? 'hangup' : 'failed');
    else this.end(this.stoppedByUs ? 'stopped' : 'done');
  }

  /** The target went away (hang-up, bridge destroyed) before Asterisk said it finished. */
  end(how: PlaybackEnd): void {
    if (this.done) return;
    this._state = how;
    this.ctx.playbacks.delete(this.id);
    this.settle(how);
  }

  async stop(): Promise<void> {
    if (this.done) return;
    this.stoppedByUs = true;
    const ok = await this.ctx.rest.requestUnlessGone('DELETE', `/playbacks/${encodeURIComponent(this.id)}`);
    // Gone already: the PlaybackFinished may have been lost with a dropped socket.
    if (!ok) this.end('stopped');
  }
}

/**
 * Starts a playback on a target and keeps it in the target's set until it finishes, so
 * the target can end it as 'hangup' when it goes away. A target already gone gets a
 * playback that is finished with 'hangup' at once.
 */
export function playOn(
  ctx: AriContext,
  target: PlaybackTarget,
  gone: boolean,
  running: Set<AriPlaybackHandle>,
  media: string | string[],
  lang: string | undefined,
): Promise<AriPlaybackHandle> {
  const list = Array.isArray(media) ? media : [media];
  const pb = new AriPlaybackHandle(ctx, list.join(','), target);
  if (gone) {
    pb.end('hangup');
    return Promise.resolve(pb);
  }
  running.add(pb);
  void pb.finished.then(() => running.delete(pb));
  return pb.start(list, lang);
}
