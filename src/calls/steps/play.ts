/**
 * Plays rendered prompts one after another, as one playback of a media list: one ARI
 * request instead of one per prompt, and no gap between them. With barge-in, the first
 * key the debtor presses stops the playback, and with it the prompts not yet played:
 * Asterisk keeps playing on DTMF (ari-traces 01), so stopping is our job. The key stays
 * in the call's buffer for the collector that follows.
 */
import type { RenderedPrompt } from '../../tts/types.ts';
import type { CallSession } from '../session.ts';

export interface PlayOptions {
  bargeIn: boolean;
  /** Called when prompt i has played to its end. */
  onDone?: (index: number) => void;
}

export interface PlayResult {
  /** How many prompts played to their end. */
  completed: number;
  /** A key cut the prompts short. */
  barged: boolean;
}

export async function playPrompts(s: CallSession, prompts: readonly RenderedPrompt[], opts: PlayOptions): Promise<PlayResult> {
  if (prompts.length === 0) return { completed: 0, barged: false };
  if (opts.bargeIn && s.call.pendingDigits !== '') return { completed: 0, barged: true };
  const clock = s.deps.clock;
  const pb = await s.play(prompts.map((p) => p.media));
  let completed = 0;
  let itemStartedAt = clock.now();
  const itemEnded = (i: number, heard: boolean) => {
    if (heard) {
      completed++;
      opts.onDone?.(i);
    } else {
      // The debtor heard nothing of it; the list goes on rather than leave them in silence.
      s.log.warn({ media: prompts[i]?.media }, 'prompt failed to play');
    }
  };
  pb.onNext((i) => {
    if (s.ended) return;
    const now = clock.now();
    // Asterisk says "continuing" for an item it could not play too, straight away: one
    // that ended in under half its length was not heard.
    itemEnded(i, now - itemStartedAt >= (prompts[i]?.durationMs ?? 0) / 2);
    itemStartedAt = now;
  });
  let onKey: (() => void) | undefined;
  const keyPressed = new Promise<'key'>((resolve) => {
    if (!opts.bargeIn) return;
    onKey = () => resolve('key');
    s.call.once('dtmf', onKey);
  });
  try {
    // A key that arrived while the play request was on its way counts as barge-in too.
    const end = opts.bargeIn && s.call.pendingDigits !== '' ? 'key' : await s.until(Promise.race([pb.finished, keyPressed]));
    if (end === 'key') {
      await pb.stop().catch((err: unknown) => s.log.debug({ err }, 'barge-in stop failed'));
      return { completed, barged: true };
    }
    s.throwIfEnded();
    if (end === 'done' || end === 'failed') itemEnded(prompts.length - 1, end === 'done');
    return { completed, barged: false };
  } finally {
    if (onKey) s.call.off('dtmf', onKey);
  }
}
