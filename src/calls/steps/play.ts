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
  // A prompt of several files (recordings with synthesised values between them) is several
  // items of the one list; it counts as heard when its last item was.
  const items = prompts.flatMap((p, i) => (p.items?.length ? p.items : [p]).map((item, n, all) => ({ item, prompt: i, last: n === all.length - 1 })));
  const pb = await s.play(items.map((x) => x.item.media));
  let completed = 0;
  let missed = false;
  let itemStartedAt = clock.now();
  const itemEnded = (i: number, heard: boolean) => {
    const x = items[i];
    if (!x) return;
    if (!heard) {
      // The debtor heard nothing of it; the list goes on rather than leave them in silence.
      s.log.warn({ media: x.item.media }, 'prompt failed to play');
      missed = true;
    }
    if (!x.last) return;
    if (!missed) {
      completed++;
      opts.onDone?.(x.prompt);
    }
    missed = false;
  };
  const playStartedAt = itemStartedAt;
  /** Audio of the items heard so far, in ms. */
  let heardMs = 0;
  pb.onNext((i) => {
    if (s.ended) return;
    const now = clock.now();
    const ms = items[i]?.item.durationMs ?? 0;
    // Asterisk says "continuing" for an item it could not play too, straight away: one
    // that ended in under half its length was not heard. Measured from the item's start,
    // or from the list's start for short items whose events arrive bunched (a late event
    // for one item makes the next look short; the list as a whole still took its time).
    const heard = now - itemStartedAt >= ms / 2 || now - playStartedAt >= heardMs + ms / 2;
    if (heard) heardMs += ms;
    itemEnded(i, heard);
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
    if (end === 'done' || end === 'failed') itemEnded(items.length - 1, end === 'done');
    return { completed, barged: false };
  } finally {
    if (onKey) s.call.off('dtmf', onKey);
  }
}
