/**
 * An agent records the result of a conversation. Only for a debtor whose call reached
 * this agent; each kind carries the fields it needs (a promise has a date and an amount,
 * a callback a time), checked here so the desktop and the API get the same answer.
 */
import { BereikError } from '../lib/errors.ts';
import { isoUtc, type Clock } from '../lib/clock.ts';
import type { DispositionKind, DispositionRow } from '../store/dispositions.ts';
import type { Store } from '../store/repositories.ts';

export interface DispositionInput {
  claimId: number;
  /** The debtor's call id (from the screen pop). */
  callId?: string;
  kind: DispositionKind;
  /** promise_to_pay: YYYY-MM-DD. */
  promiseDate?: string;
  /** promise_to_pay and payment_arrangement: in cents. */
  amountCents?: number;
  /** callback: UTC ISO time. */
  callbackAt?: string;
  note?: string;
}

function invalid(field: string, why: string): never {
  throw new BereikError('VALIDATION', `body/${field} ${why}`, [{ field: `body/${field}`, message: why }], 400);
}

export function recordAgentDisposition(store: Pick<Store, 'agents' | 'calls' | 'dispositions'>, clock: Clock, agentId: number, input: DispositionInput): DispositionRow {
  const debtorId = store.dispositions.debtorOfClaim(input.claimId);
  // Agents see only the cases routed to them (DESIGN.md, who uses it): the same goes for writing.
  // Someone else's claim answers exactly like a missing one, so claim ids cannot be probed.
  if (debtorId === undefined || !store.agents.hadDebtor(agentId, debtorId)) {
    throw new BereikError('NOT_FOUND', `claim ${input.claimId} is not a claim of a debtor put through to you`, { claimId: input.claimId }, 404);
  }
  const now = clock.now();
  if (input.kind === 'promise_to_pay') {
    if (!input.promiseDate) invalid('promiseDate', 'is required for a promise to pay');
    if (input.amountCents === undefined) invalid('amountCents', 'is required for a promise to pay');
    if (input.promiseDate < isoUtc(now).slice(0, 10)) invalid('promiseDate', 'must not be in the past');
  }
  if (input.kind === 'payment_arrangement' && input.amountCents === undefined) invalid('amountCents', 'is required for a payment arrangement (the amount per term)');
  if (input.kind === 'callback') {
    if (!input.callbackAt) invalid('callbackAt', 'is required for a callback');
    const at = Date.parse(input.callbackAt);
    if (!Number.isFinite(at)) invalid('callbackAt', 'must be an ISO date-time');
    if (at <= now) invalid('callbackAt', 'must be in the future');
  }
  if (input.kind === 'other' && !input.note?.trim()) invalid('note', 'is required for a note');
  if (input.callId !== undefined && store.calls.get(input.callId)?.debtorId !== debtorId) invalid('callId', 'is not a call of this debtor');
  return store.dispositions.record({
    agentId,
    claimId: input.claimId,
    debtorId,
    callId: input.callId ?? null,
    kind: input.kind,
    promiseDate: input.kind === 'promise_to_pay' ? input.promiseDate : null,
    amountCents: input.amountCents ?? null,
    callbackAt: input.kind === 'callback' ? isoUtc(Date.parse(input.callbackAt!)) : null,
    note: input.note?.trim() || null,
    now: isoUtc(now),
  });
}
