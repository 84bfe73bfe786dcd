/**
 * Identity before detail (DESIGN.md compliance): "Spreek ik met {naam}? Toets 1 voor ja,
 * toets 2 voor nee." Only the name is spoken; no creditor, amount or invoice. Anything
 * but a clear 1 — a 2, or no valid answer after the retries — closes politely without
 * any debt detail.
 */
import type { CallCase } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { ask } from '../steps/ask.ts';
import { say } from '../steps/say.ts';
import { identityParts } from '../personal-prompts.ts';

export type IdentityAnswer = 'confirmed' | 'denied' | 'no_answer';

export async function checkIdentity(s: CallSession, c: CallCase): Promise<IdentityAnswer> {
  s.setState('identity');
  const question = await s.prompts(identityParts(c));
  const r = await ask(s, { prompts: [question], valid: ['1', '2'] });
  if (r.kind === 'key' && r.key === '1') {
    s.confirmIdentity();
    return 'confirmed';
  }
  return r.kind === 'key' ? 'denied' : 'no_answer';
}

/** The polite close for a person who is not (or did not confirm to be) the debtor. */
export async function closeUnconfirmed(s: CallSession): Promise<'identity_not_confirmed'> {
  s.result = 'identity_not_confirmed';
  s.setState('closing');
  await say(s, 'identity_not_confirmed');
  return s.result;
}
