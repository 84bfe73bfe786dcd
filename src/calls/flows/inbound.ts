/**
 * A debtor calls back (DESIGN.md "Inbound"), entered as Stasis(bereik,inbound,<exten>).
 * The caller's number, normalised to E.164, is matched to a debtor's phone; an unknown or
 * withheld number is asked for the debtor number (digits + #, three tries). Several open
 * claims: the most urgent one (highest amount, then oldest due date) is discussed.
 * Identity is confirmed before any detail, then the callback rule decides: not heard →
 * the automated follow-up; heard → an agent, in every campaign mode (segmentation first).
 */
import type { CallCase, CallResultCode } from '../deps.ts';
import type { CallSession } from '../session.ts';
import { normaliseCallerNumber } from '../caller-number.ts';
import { putThrough } from '../actions/agent.ts';
import { collectNumber } from '../steps/collect-number.ts';
import { say } from '../steps/say.ts';
import { checkIdentity, closeUnconfirmed } from './identity.ts';
import { routeInput, serveCase } from './serve-case.ts';

async function recognise(s: CallSession, caller: string | null): Promise<CallCase | undefined> {
  const byPhone = caller ? s.deps.cases.byPhone(caller) : [];
  if (byPhone.length > 0) {
    if (byPhone.length > 1) s.log.info({ matches: byPhone.length }, 'several open claims: the most urgent first');
    return byPhone[0];
  }
  s.log.info({ withheld: caller === null }, 'caller not recognised by number: asking for the debtor number');
  return collectNumber(s, {
    prompt: 'ask_debtor_number',
    rejectedPrompt: 'debtor_not_found',
    accept: (digits) => s.deps.cases.byDebtorRef(digits)[0],
  });
}

/** `exten`: the number the debtor dialled, as the dialplan passed it (Stasis(bereik,inbound,<exten>)). */
export async function inboundFlow(s: CallSession, exten: string): Promise<CallResultCode> {
  await s.until(s.call.answer());
  s.markAnswered('answered');
  const caller = normaliseCallerNumber(s.call.callerNumber, s.deps.defaults.defaultCountry);
  s.replyTo = caller;
  s.record({ fromNumber: caller ?? (s.call.callerNumber || null), toNumber: exten || s.call.exten });
  await say(s, 'inbound_welcome');
  const c = await recognise(s, caller);
  if (!c) {
    if (s.deps.unknownCaller === 'queue') return putThrough(s, null, 'unknown_caller');
    s.result = 'debtor_not_found';
    return s.result;
  }
  s.setCase(c);
  s.replyTo = caller ?? c.phone?.e164 ?? null;
  const who = await checkIdentity(s, c);
  if (who !== 'confirmed') return closeUnconfirmed(s);
  const route = s.deps.routing.routeCallback({ ...routeInput(s, c), messageHeard: c.messageHeardAt !== null });
  return serveCase(s, c, route, 'callback');
}
