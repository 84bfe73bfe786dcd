/**
 * A bridge recording (POST /bridges/{id}/record): Asterisk records the bridge's mix into
 * its recordings directory under `name`. It ends in one of three ways: we stop it
 * (POST /recordings/live/{name}/stop), its maximum duration passes, or the bridge is
 * destroyed; each gives RecordingFinished on the bridge's topic, which reaches the app
 * because it put channels into the bridge. RecordingFailed ends it without a file. A
 * recording whose events were missed (a socket drop) is settled by stop(): a 404 there
 * means it is over already, which is a normal answer.
 */
import { ariStatus } from './ari-rest.ts';
import type { AriContext } from './context.ts';
import type { AriLiveRecording } from './ari-events.ts';
import type { LiveRecording, RecordingEnd } from './types.ts';

export class AriRecordingHandle implements LiveRecording {
  private settle!: (end: RecordingEnd) => void;
  private over = false;
  readonly finished: Promise<RecordingEnd>;

  constructor(
    private readonly ctx: AriContext,
    readonly name: string,
    readonly format: string,
    private readonly startedAtMs: number,
    private readonly onOver: (r: AriRecordingHandle) => void,
  ) {
    this.finished = new Promise((resolve) => (this.settle = resolve));
  }

  get done(): boolean {
    return this.over;
  }

  /** RecordingFinished / RecordingFailed for this name. */
  onEvent(type: 'RecordingStarted' | 'RecordingFinished' | 'RecordingFailed', rec: AriLiveRecording): void {
    if (type === 'RecordingStarted') return;
    const seconds = rec.duration ?? Math.round((this.ctx.clock.now() - this.startedAtMs) / 1000);
    this.end(type === 'RecordingFinished' ? { state: 'done', durationSec: seconds } : { state: 'failed', durationSec: 0, cause: rec.cause ?? 'unknown' });
  }

  async stop(): Promise<void> {
    if (this.over) return;
    try {
      await this.ctx.rest.request('POST', `/recordings/live/${encodeURIComponent(this.name)}/stop`);
    } catch (err) {
      // Already over (the bridge went, or the maximum passed) and its event not seen yet.
      if (ariStatus(err) !== 404) throw err;
      this.end({ state: 'done', durationSec: Math.round((this.ctx.clock.now() - this.startedAtMs) / 1000) });
    }
  }

  end(e: RecordingEnd): void {
    if (this.over) return;
    this.over = true;
    this.onOver(this);
    this.settle(e);
  }
}
