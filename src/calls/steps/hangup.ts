/**
 * hangup: says goodbye (optionally) and ends the call from our side. A channel that is
 * already gone is fine (ARI answers 404; the telephony layer treats it as done).
 */
import type { PromptKey } from '../../tts/types.ts';
import type { CallSession } from '../session.ts';
import { say } from './say.ts';

export async function hangup(s: CallSession, closing?: PromptKey): Promise<void> {
  s.setState('closing');
  if (closing) await say(s, closing);
  s.throwIfEnded();
  await s.call.hangup('normal');
}
