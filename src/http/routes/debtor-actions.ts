/**
 * What an operator does from the console's debtor page besides the pay link (that is
 * POST /debtors/:id/messages): put one of the debtor's numbers on the do-not-call list,
 * record a payment the office received, or a promise to pay made on the phone.
 * A payment goes through the same PaymentService as the bank files and the webhook, so
 * a claim paid in full stops every action on it exactly as a bank payment would.
 * A token limited to creditors acts on their claims (and on debtors who owe them) only:
 * anything else answers 404, as if it did not exist.
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { IdParams, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { isoUtc } from '../../lib/clock.ts';
import { PhoneNormaliser } from '../../campaigns/import/phones.ts';
import { blankEntry } from '../../payments/types.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';

const routes: RouteModule = async (app, { store, clock, payments, log }) => {
  const phones = new PhoneNormaliser('NL');
  const claimOf = (id: number, creditors: string[] | null) => {
    const debtorId = store.dispositions.debtorOfClaim(id);
    if (debtorId === undefined) throw notFoundFor('claim', id);
    if (creditors && !creditors.includes(store.claims.creditorOf(id) ?? '')) throw notFoundFor('claim', id);
    return debtorId;
  };

  app.post('/debtors/:id/dnc', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['debtors'],
      summary: "Put one of the debtor's numbers on the do-not-call list (never dialled again, by any campaign)",
      params: IdParams,
      body: Type.Object({ phone: Type.String({ minLength: 6, maxLength: 40 }), reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ e164: Type.String(), added: Type.Boolean({ description: 'false: it was on the list already' }) }), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const debtor = store.debtors.get(req.params.id);
    // A limited token may silence a number of a debtor who owes one of its creditors.
    if (!debtor || !store.debtorLookup.profile(debtor.id, creditorsOf(req))) throw notFoundFor('debtor', req.params.id);
    const n = phones.normalise(req.body.phone);
    if (!n.ok) throw new BereikError('VALIDATION', `body/phone: ${n.reason}`, [{ field: 'phone', message: n.reason }]);
    // Only the debtor's own numbers: a typo must not silence somebody else's phone.
    if (!store.debtors.phonesOf(debtor.id).some((p) => p.e164 === n.value)) {
      throw new BereikError('VALIDATION', `body/phone: not a number of debtor ${debtor.id}`, [{ field: 'phone', message: 'not a number of this debtor' }]);
    }
    const added = store.reports.addDnc(n.value, req.body.reason?.trim() || 'operator', isoUtc(clock.now()));
    log.info({ debtorId: debtor.id, added }, 'number put on the do-not-call list from the console');
    return reply.code(201).send({ e164: n.value, added });
  });

  app.post('/claims/:id/payments', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['payments'],
      summary: 'Record a payment the office received for this claim (source api, matched by claim id)',
      params: IdParams,
      body: Type.Object({
        amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
        bookedOn: Type.String({ pattern: DAY, description: 'the day it was paid (YYYY-MM-DD)' }),
        note: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ payment: Type.Object({ id: Type.Integer(), status: Type.String(), claimId: Type.Union([Type.Integer(), Type.Null()]), amountCents: Type.Integer() }, { additionalProperties: true, description: 'the Payment as GET /payments/:id shows it' }), effect: Type.Unknown() }), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    claimOf(req.params.id, creditorsOf(req));
    const out = payments.apply({
      ...blankEntry('api', 'console'),
      externalId: `console-${randomUUID()}`,
      amountCents: req.body.amountCents,
      bookedOn: req.body.bookedOn,
      claimId: req.params.id,
      description: req.body.note ?? null,
    }, null, isoUtc(clock.now()));
    return reply.code(201).send({ payment: out.payment, effect: 'effect' in out ? out.effect : null });
  });

  app.post('/claims/:id/promise', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['debtors'],
      summary: 'Record a promise to pay made to the office (a disposition without an agent; the claim becomes promised)',
      params: IdParams,
      body: Type.Object({
        promiseDate: Type.String({ pattern: DAY, description: 'the day the debtor will pay by (YYYY-MM-DD)' }),
        amountCents: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
        note: Type.Optional(Type.String({ maxLength: 500 })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer(), claimId: Type.Union([Type.Integer(), Type.Null()]), kind: Type.String(), promiseDate: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: true }), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const debtorId = claimOf(req.params.id, creditorsOf(req));
    const row = store.dispositions.record({
      agentId: null, claimId: req.params.id, debtorId, callId: null, kind: 'promise_to_pay',
      promiseDate: req.body.promiseDate, amountCents: req.body.amountCents ?? null, note: req.body.note ?? null, now: isoUtc(clock.now()),
    });
    return reply.code(201).send(row);
  });
};

export default routes;
