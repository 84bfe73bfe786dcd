/**
 * Menu choice "payment link": the claim's pay link goes out through the outbox
 * (src/messaging/compose.ts) and the debtor hears what was actually queued:
 *   1. by SMS to the number we are talking to when it is a mobile, else to the debtor's
 *      first mobile → "U krijgt zo een sms met een link";
 *   2. no mobile (or SMS opted out) but an e-mail address → by e-mail → "… een e-mail …";
 *   3. neither, or no pay link at all → a callback instead of a promise we cannot keep.
 */
import type { CallCase, CallResultCode } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { say, sayAndClose } from '../steps/say.ts';

export async function sendPayLink(s: CallSession, c: CallCase): Promise<CallResultCode> {
  const origin = {
    source: 'ivr' as const,
    callId: s.callId,
    debtorId: c.debtor.id,
    claimId: c.claim.id,
    campaignId: c.campaign?.id ?? null,
    contactId: c.contactId,
    language: s.lang,
    ...(c.campaign?.settings.smsSender ? { sender: c.campaign.settings.smsSender } : {}),
  };
  const options = c.campaign?.settings.smsReplyOptions;
  const sms = s.deps.messages.payLink({ ...origin, channel: 'sms', to: s.replyTo, ...(options ? { options } : {}) });
  if (sms.ok) {
    s.result = 'paylink_requested';
    await sayAndClose(s, 'paylink_sent');
    return s.result;
  }
  const { sender: _smsSender, ...emailOrigin } = origin;
  const email = sms.code === 'NO_MOBILE' || sms.code === 'OPTED_OUT' ? s.deps.messages.payLink({ ...emailOrigin, channel: 'email', ...(c.campaign?.settings.emailFrom ? { sender: c.campaign.settings.emailFrom } : {}) }) : undefined;
  if (email?.ok) {
    s.result = 'paylink_requested';
    await sayAndClose(s, 'paylink_sent_email');
    return s.result;
  }
  s.log.warn({ sms: sms.code, email: email && !email.ok ? email.code : undefined }, 'pay link cannot be sent: callback instead');
  s.deps.effects.requestCallback({ callId: s.callId, debtorId: c.debtor.id, claimId: c.claim.id, reason: 'paylink_unavailable' });
  s.result = 'callback_requested';
  await say(s, 'no_agent_available');
  return s.result;
}
