/** Menu choice "dispute": the claim is marked disputed (no more automated calls about it) and the debtor hears it was recorded. */
import type { CallCase, CallResultCode } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { sayAndClose } from '../steps/say.ts';

export async function recordDispute(s: CallSession, c: CallCase): Promise<CallResultCode> {
  s.deps.effects.recordDispute({ callId: s.callId, claimId: c.claim.id });
  s.result = 'dispute';
  await sayAndClose(s, 'dispute_recorded');
  return s.result;
}
