/**
 * Payments in (docs/payments.md):
 *   POST /payments/files     a CSV or CAMT.053 statement (multipart `file`, or the raw body) → summary
 *   GET  /payments           filtered, newest first (status=unmatched: the operator's list)
 *   GET  /payments/:id
 *   POST /payments/:id/match an operator ties an unmatched payment to a claim
 *   POST /payments           the pay page's or PSP's webhook: public, signed (HMAC-SHA256 of
 *                            "timestamp.body"), within 5 minutes, each signature once
 */
import { rmSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { IdParams, Literals, errors } from '../schemas.ts';
import { saveUpload } from './imports.ts';
import { BereikError } from '../../lib/errors.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { isoUtc } from '../../lib/clock.ts';
import { makeTempDir } from '../../campaigns/import/temp.ts';
import { parsePaymentReference } from '../../campaigns/import/payment-reference.ts';
import { PAYMENT_KINDS, PAYMENT_MATCH_RULES, PAYMENT_SOURCES, PAYMENT_STATUSES, PAYMENT_FILE_KINDS, CLAIM_STATUSES } from '../../store/types.ts';
import { WEBHOOK_TOLERANCE_MS, verifyWebhook } from '../../payments/webhook.ts';
import { blankEntry } from '../../payments/types.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const PaymentSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Literals(PAYMENT_KINDS),
    source: Literals(PAYMENT_SOURCES),
    externalId: Type.String(),
    amountCents: Type.Integer(),
    currency: Type.String(),
    bookedOn: Type.String(),
    valueDate: Nullable(Type.String()),
    endToEndId: Nullable(Type.String()),
    paymentReference: Nullable(Type.String()),
    description: Nullable(Type.String()),
    counterpartyName: Nullable(Type.String()),
    counterpartyIban: Nullable(Type.String()),
    returnReason: Nullable(Type.String()),
    claimId: Nullable(Type.Integer()),
    debtorId: Nullable(Type.Integer()),
    matchedBy: Nullable(Literals(PAYMENT_MATCH_RULES)),
    status: Literals(PAYMENT_STATUSES),
    reversesId: Nullable(Type.Integer()),
    overpaidCents: Type.Integer(),
    fileId: Nullable(Type.Integer()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Payment' },
);
const EffectSchema = Nullable(
  Type.Object({
    claimId: Type.Integer(),
    status: Literals(CLAIM_STATUSES),
    amountCents: Type.Integer(),
    paidCents: Type.Integer(),
    becamePaid: Type.Boolean(),
    reopened: Type.Boolean(),
    overpaidCents: Type.Integer(),
    contactsClosed: Type.Integer(),
    contactsReopened: Type.Integer(),
    messagesCancelled: Type.Integer(),
  }),
);
const Where = Type.Object({ line: Nullable(Type.Integer()), where: Type.String(), column: Nullable(Type.String()), value: Nullable(Type.String()), reason: Type.String() });
const SummarySchema = Type.Object({
  fileId: Type.Integer(),
  fileName: Nullable(Type.String()),
  kind: Literals(PAYMENT_FILE_KINDS),
  sha256: Type.String(),
  alreadyImported: Type.Boolean({ description: 'the same file was read before: nothing changed, the counts are from then' }),
  entries: Type.Integer(),
  matched: Type.Integer(),
  unmatched: Type.Integer(),
  duplicates: Type.Integer({ description: 'entries already stored (overlapping statements)' }),
  reversed: Type.Integer({ description: 'stornos that took back an earlier payment' }),
  ignored: Type.Integer({ description: 'entries that are not payments to us (our own debits, unbooked)' }),
  rejected: Type.Integer(),
  claimsPaid: Type.Integer(),
  rejects: Type.Array(Where, { description: 'the first 1,000 entries that could not be read' }),
  ignoredEntries: Type.Array(Type.Object({ where: Type.String(), reason: Type.String() })),
});
const Webhook = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 200, description: "the PSP's id of this payment event: recorded once" }),
    claimId: Type.Optional(Type.Integer({ minimum: 1 })),
    paymentReference: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    invoiceRef: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    amountCents: Type.Integer({ minimum: 1, maximum: 1e13 }),
    paidAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$', description: 'ISO 8601 with a zone, e.g. 2026-12-06T10:15:00Z' }),
    currency: Type.Literal('EUR'),
  },
  { additionalProperties: false },
);

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';

/** Raw JSON bodies are kept for the webhook signature: it covers the bytes as sent. */
const raw = new WeakMap<FastifyRequest, Buffer>();

const routes: RouteModule = async (app, { store, clock, config, payments }) => {
  app.addSchema(PaymentSchema);
  // Statements arrive as XML; like CSV they reach the route as a stream (nothing buffers the file).
  app.addContentTypeParser(['application/xml', 'text/xml'], (_req, payload, done) => done(null, payload));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (req, body, done) => {
    raw.set(req, body as Buffer);
    try {
      done(null, (body as Buffer).length ? JSON.parse((body as Buffer).toString('utf8')) : undefined);
    } catch {
      done(new BereikError('VALIDATION', 'body is not valid JSON'), undefined);
    }
  });

  app.post('/payments/files', {
    config: { roles: OPERATORS, scope: 'all-creditors' },
    schema: {
      tags: ['payments'],
      summary: 'Read a payment file: a CSV or a CAMT.053 bank statement',
      description:
        'multipart/form-data with the field `file`, or the raw file (text/csv, application/xml, application/octet-stream; optional X-File-Name). ' +
        'The kind is told from the content. The whole file is checked before anything is stored (a cut-off XML or a DOCTYPE → 422 PAYMENT_BAD_FILE); ' +
        'rows that cannot be read are listed in rejects and skipped. Each entry is stored once: the same file again, or overlapping statements, change nothing.',
      consumes: ['multipart/form-data', 'text/csv', 'application/xml', 'text/xml', 'application/octet-stream'],
      response: { 200: SummarySchema, 201: SummarySchema, ...errors(400, 413, 422) },
    },
  }, async (req, reply) => {
    const dir = makeTempDir('upload');
    try {
      let upload: { path: string; fileName: string | null };
      try {
        upload = await saveUpload(req, dir, config.imports.maxUploadBytes, 'the payment file');
      } catch (err) {
        if (err instanceof BereikError && err.code === 'IMPORT_TOO_LARGE') reply.header('connection', 'close');
        throw err;
      }
      const summary = await payments.importFile(upload);
      return reply.status(summary.alreadyImported ? 200 : 201).send(summary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  app.get('/payments', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['payments'],
      summary: 'Payments, newest first; status=unmatched is what an operator must place',
      querystring: Type.Object({
        status: Type.Optional(Literals(PAYMENT_STATUSES)),
        source: Type.Optional(Literals(PAYMENT_SOURCES)),
        claimId: Type.Optional(Type.Integer({ minimum: 1 })),
        debtorId: Type.Optional(Type.Integer({ minimum: 1 })),
        fileId: Type.Optional(Type.Integer({ minimum: 1 })),
        from: Type.Optional(Type.String({ pattern: DAY, description: 'booked on or after (YYYY-MM-DD)' })),
        to: Type.Optional(Type.String({ pattern: DAY, description: 'booked on or before (YYYY-MM-DD)' })),
        beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'paging: the last id of the previous page' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Payment')), nextBeforeId: Nullable(Type.Integer()) }), ...errors(400) },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 100;
    const items = store.payments.list({ ...req.query, limit, creditors: creditorsOf(req) });
    return { items, nextBeforeId: items.length === limit ? items.at(-1)!.id : null };
  });

  app.get('/payments/:id', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: { tags: ['payments'], summary: 'One payment', params: IdParams, response: { 200: Type.Ref('Payment'), ...errors(400, 404) } },
  }, async (req) => {
    const p = store.payments.get(req.params.id);
    if (!p || !store.payments.visibleTo(p.id, creditorsOf(req))) throw notFoundFor('payment', req.params.id);
    return p;
  });

  app.post('/payments/:id/match', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['payments'],
      summary: 'Tie an unmatched payment to a claim (matched_by manual); paid in full stops every action on the claim',
      params: IdParams,
      body: Type.Object({ claimId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ payment: Type.Ref('Payment'), effect: EffectSchema }), ...errors(400, 404, 409) },
    },
  }, async (req) => {
    // A limited operator places a payment on its creditors' claims only. An unmatched payment
    // belongs to nobody yet: it may place one it knows the id of (from its creditor's bank line)
    // without being able to list them; a payment already on another creditor's claim is a 404.
    const creditors = creditorsOf(req);
    const p = store.payments.get(req.params.id);
    if (!p || (p.status !== 'unmatched' && !store.payments.visibleTo(p.id, creditors))) throw notFoundFor('payment', req.params.id);
    if (!store.payments.claim(req.body.claimId) || !store.payments.claimVisibleTo(req.body.claimId, creditors)) throw notFoundFor('claim', req.body.claimId);
    if (p.kind !== 'payment' || p.status !== 'unmatched') {
      throw new BereikError('CONFLICT', p.kind === 'reversal' ? `payment ${p.id} is a storno: it is matched through the payment it takes back` : `payment ${p.id} is ${p.status}, not unmatched`);
    }
    const r = store.payments.matchManually(p.id, req.body.claimId, isoUtc(clock.now()));
    if (!r) throw new BereikError('CONFLICT', `payment ${p.id} was matched meanwhile`);
    return r;
  });

  app.post('/payments', {
    config: { public: true },
    // The signature is checked before the body is validated: an unsigned caller learns nothing about the schema.
    preValidation: async (req) => {
      const secret = config.payments?.webhookSecret ?? '';
      if (!secret) throw new BereikError('PAYMENT_WEBHOOK_DISABLED', 'the payment webhook is off: set BEREIK_PAYMENTS_WEBHOOK_SECRET (or payments.webhookSecretFile)');
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
      const nowMs = clock.now();
      const signature = header('x-bereik-signature');
      verifyWebhook({ secret, timestamp: header('x-bereik-timestamp'), signature, body: raw.get(req) ?? Buffer.alloc(0), nowMs });
      const forgetBefore = isoUtc(nowMs - 2 * WEBHOOK_TOLERANCE_MS);
      if (!store.payments.acceptSignature(signature!.trim().toLowerCase(), isoUtc(nowMs), forgetBefore)) {
        throw new BereikError('PAYMENT_WEBHOOK_REPLAYED', 'this signed request was received before: each X-Bereik-Signature is accepted once (send a new timestamp and signature to retry)');
      }
    },
    schema: {
      tags: ['payments'],
      summary: 'A payment from a pay page or PSP (webhook, signed)',
      description:
        'Public; authenticated by X-Bereik-Timestamp (unix seconds, within 5 minutes) and X-Bereik-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body" ' +
        'with payments.webhookSecret>. A signature is accepted once (401 PAYMENT_WEBHOOK_REPLAYED); the same eventId with a fresh signature is answered ' +
        'as a duplicate and changes nothing. Name the claim by claimId, paymentReference or invoiceRef.',
      body: Webhook,
      security: [],
      response: {
        200: Type.Object({
          status: Literals(['matched', 'unmatched', 'duplicate']),
          payment: Type.Ref('Payment'),
          effect: EffectSchema,
        }),
        ...errors(400, 503),
      },
    },
  }, async (req) => {
    const b = req.body;
    if (b.claimId === undefined && b.paymentReference === undefined && b.invoiceRef === undefined) {
      throw new BereikError('VALIDATION', 'body/claimId, body/paymentReference or body/invoiceRef is required: which claim was paid?');
    }
    let paymentReference: string | null = null;
    if (b.paymentReference !== undefined) {
      const r = parsePaymentReference(b.paymentReference);
      if (!r.ok) throw new BereikError('VALIDATION', `body/paymentReference: ${r.reason}`);
      paymentReference = r.value;
    }
    const paidAt = new Date(b.paidAt);
    if (Number.isNaN(paidAt.getTime())) throw new BereikError('VALIDATION', `body/paidAt ${JSON.stringify(b.paidAt)} is not a date and time`);
    const outcome = payments.apply(
      {
        ...blankEntry('api', `event ${b.eventId}`),
        externalId: b.eventId,
        amountCents: b.amountCents,
        currency: b.currency,
        bookedOn: isoUtc(paidAt.getTime()).slice(0, 10),
        claimId: b.claimId ?? null,
        paymentReference,
        invoiceRef: b.invoiceRef ?? null,
      },
      null,
      isoUtc(clock.now()),
    );
    if (outcome.kind === 'duplicate') return { status: 'duplicate' as const, payment: outcome.payment, effect: null };
    return { status: outcome.kind === 'matched' ? ('matched' as const) : ('unmatched' as const), payment: outcome.payment, effect: outcome.effect };
  });
};

export default routes;
