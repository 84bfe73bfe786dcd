/**
 * collectNumber: asks for a number typed on the keypad and closed with '#' (the debtor
 * number of an unknown caller). A pause between keys also ends the entry. Three tries; a
 * number the caller of this step does not accept says `rejectedPrompt` and asks again.
 */
import type { PromptKey } from '../../tts/types.ts';
import type { CallSession } from '../session.ts';
import { playPrompts } from './play.ts';
import { say } from './say.ts';

export interface CollectNumberOptions<R> {
  prompt: PromptKey;
  /** Said when an entry is not accepted (e.g. debtor_not_found). */
  rejectedPrompt: PromptKey;
  /** Returns a value to stop with, or undefined to ask again. */
  accept: (digits: string) => R | undefined;
  tries?: number;
  maxDigits?: number;
  interDigitTimeoutMs?: number;
}
export async function collectNumber<R>(
  s: CallSession,
  opts: CollectNumberOptions<R>,
): Promise<R | undefined> {
  const tries = opts.tries ?? 3;
  const prompt = await s.prompt(opts.prompt);
  for (let i = 0; i < tries; i++) {
    await playPrompts(s, [prompt], { bargeIn: true });
    const got = await s.until(
      s.call.collectDigits({
        maxDigits: opts.maxDigits ?? 16,
        terminator: '#',
        firstDigitTimeoutMs: s.settings.menuTimeoutSec * 1000,
        interDigitTimeoutMs: opts.interDigitTimeoutMs ?? 4000,
      }),
    );
    s.throwIfEnded();
    s.call.clearDigits();
    if (got.digits === '') {
      await say(s, 'no_input');
      continue;
    }
    const value = opts.accept(got.digits);
    if (value !== undefined) return value;
    await say(s, opts.rejectedPrompt);
  }
  return undefined;
}
