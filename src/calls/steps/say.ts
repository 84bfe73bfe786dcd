/**
 * say: speaks one prompt and waits for its end. Without barge-in, keys pressed meanwhile
 * stay buffered (type-ahead) for the next question.
 */
import type { PromptKey, PromptVars } from '../../tts/types.ts';
import type { CallSession } from '../session.ts';
import { playPrompts, type PlayResult } from './play.ts';

export async function say(s: CallSession, key: PromptKey, vars: PromptVars = {}, opts: { bargeIn?: boolean } = {}): Promise<PlayResult> {
  const prompt = await s.prompt(key, vars);
  return playPrompts(s, [prompt], { bargeIn: opts.bargeIn ?? false });
}
