/**
 * say: speaks one prompt and waits for its end. Without barge-in, keys pressed meanwhile
 * stay buffered (type-ahead) for the next question.
 */
import type { PromptKey, PromptVars } from '../../tts/types.ts';
import type { CallSession } from '../session.ts';
import { playPrompts, type PlayResult } from './play.ts';

/**
 * The last words of an action followed by the goodbye, as one playback: the flow's own
 * goodbye (calls/index.ts) is then not said again.
 */
export async function sayAndClose(s: CallSession, key: PromptKey, vars: PromptVars = {}): Promise<PlayResult> {
  const prompts = [await s.prompt(key, vars), await s.prompt('goodbye')];
  return playPrompts(s, prompts, { bargeIn: false });
}

export async function say(s: CallSession, key: PromptKey, vars: PromptVars = {}, opts: { bargeIn?: boolean } = {}): Promise<PlayResult> {
  const prompt = await s.prompt(key, vars);
  return playPrompts(s, [prompt], { bargeIn: opts.bargeIn ?? false });
}
