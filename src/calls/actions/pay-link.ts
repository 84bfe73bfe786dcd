/**
 * Menu choice "payment link by SMS": queues an SMS with the claim's pay link to the
 * number we are talking to, and says so. Without a link or a number to send it to, the
 * debtor gets a callback instead of a promise we cannot keep.
 */
import type { Language } from '../../campaigns/settings.ts';
import type { CallCase, CallResultCode } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { say, sayAndClose } from '../steps/say.ts';

const SMS_BODY: Record<Language, (c: CallCase, url: string) => string> = {
  nl: (c, url) => `${c.claim.creditor}: betaal factuur ${c.claim.invoiceRef} eenvoudig via ${url}`,
  en: (c, url) => `${c.claim.creditor}: pay invoice ${c.claim.invoiceRef} easily at ${url}`,
};

export async function sendPayLink(s: CallSession, c: CallCase): Promise<CallResultCode> {
  const to = s.replyTo;
  if (!c.claim.payUrl || !to) {
    s.log.warn({ hasUrl: Boolean(c.claim.payUrl), hasNumber: Boolean(to) }, 'pay link cannot be sent: callback instead');
    s.deps.effects.requestCallback({ callId: s.callId, debtorId: c.debtor.id, claimId: c.claim.id, reason: 'paylink_unavailable' });
    s.result = 'callback_requested';
    await say(s, 'no_agent_available');
    return s.result;
  }
  s.deps.effects.queuePayLinkSms({
    callId: s.callId,
    debtorId: c.debtor.id,
    claimId: c.claim.id,
    toE164: to,
    body: SMS_BODY[s.lang](c, c.claim.payUrl),
  });
  s.result = 'paylink_requested';
  await sayAndClose(s, 'paylink_sent');
  return s.result;
}
