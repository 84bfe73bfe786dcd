/**
 * Plays rendered prompts one after another. With barge-in, the first key the debtor
 * presses stops the prompt that is playing and skips the rest: Asterisk keeps playing
 * on DTMF (ari-traces 01), so stopping is our job. The key stays in the call's buffer for
 * the collector that follows.
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
  let completed = 0;
  for (let i = 0; i < prompts.length; i++) {
    if (opts.bargeIn && s.call.pendingDigits !== '') return { completed, barged: true };
    const pb = await s.play(prompts[i]!.media);
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
      if (end === 'done') {
        completed++;
        opts.onDone?.(i);
      } else if (end === 'failed') {
        // The debtor heard nothing of it; go on rather than leave them in silence.
        s.log.warn({ media: pb.media }, 'prompt failed to play');
      }
    } finally {
      if (onKey) s.call.off('dtmf', onKey);
    }
  }
  return { completed, barged: false };
}
