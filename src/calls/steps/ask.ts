/**
 * ask: a question answered with one key. The prompts play with barge-in; the wait for a
 * key starts when they end (menuTimeoutSec). A key not on offer says invalid_choice,
 * silence says no_input, and the question is asked again at most
 * settings.maxPromptRetries times; then the step gives up with the last reason.
 */
import type { RenderedPrompt } from '../../tts/types.ts';
import type { CallSession } from '../session.ts';
import { playPrompts } from './play.ts';
import { say } from './say.ts';

export interface AskOptions {
  /** What is played the first time (e.g. the claim message, then the menu). */
  prompts: readonly RenderedPrompt[];
  /** What is played on a re-prompt (default: prompts). */
  reprompts?: readonly RenderedPrompt[];
  /** Keys that answer the question. */
  valid: readonly string[];
  /** Called when prompts[i] (first attempt) played to its end. */
  onPromptDone?: (index: number) => void;
  /** Default settings.maxPromptRetries. */
  retries?: number;
}

export type AskResult = { kind: 'key'; key: string } | { kind: 'gave_up'; reason: 'no_input' | 'invalid_choice' };

export async function ask(s: CallSession, opts: AskOptions): Promise<AskResult> {
  const retries = opts.retries ?? s.settings.maxPromptRetries;
  let reason: 'no_input' | 'invalid_choice' = 'no_input';
  for (let attempt = 0; attempt <= retries; attempt++) {
    const first = attempt === 0;
    await playPrompts(s, first ? opts.prompts : (opts.reprompts ?? opts.prompts), {
      bargeIn: true,
      onDone: first ? opts.onPromptDone : undefined,
    });
    const got = await s.until(
      s.call.collectDigits({
        maxDigits: 1,
        firstDigitTimeoutMs: s.settings.menuTimeoutSec * 1000,
        interDigitTimeoutMs: s.settings.menuTimeoutSec * 1000,
      }),
    );
    s.throwIfEnded();
    if (got.reason === 'hangup') s.throwIfEnded();
    if (got.digits !== '' && opts.valid.includes(got.digits)) return { kind: 'key', key: got.digits };
    reason = got.digits === '' ? 'no_input' : 'invalid_choice';
    s.log.debug({ attempt, reason }, 'no valid answer');
    // Keys pressed after the wrong one belong to no question: start the re-prompt clean.
    s.call.clearDigits();
    await say(s, reason);
  }
  return { kind: 'gave_up', reason };
}
