/**
 * The console's debtor look-up: GET /debtors?q= (debtor number, invoice, phone, or the
 * start of the name; one page) and GET /debtors/:id/timeline (the debtor, their claims,
 * and one page of everything that happened to them, newest first). Read through the
 * store's read model (src/store/debtor-lookup.ts): index lookups only.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { READERS } from '../auth.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { recordAccess } from '../audit.ts';
import { IdParams, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { PhoneNormaliser } from '../../campaigns/import/phones.ts';
import { TIMELINE_KINDS } from '../../store/types.ts';

/** National numbers typed into the search are read as Dutch, as a campaign's defaultCountry does by default. */
const SEARCH_COUNTRY = 'NL';
/** Digits with the usual separators: worth reading as a phone number too. */
const LOOKS_LIKE_PHONE = /^\+?[\d\s\-./()]{6,}$/;

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const Hit = Type.Object({
  id: Type.Integer(), externalRef: Type.String(), name: Type.String(), phones: Type.Array(Type.String()),
  openClaims: Type.Integer(), openCents: Type.Integer({ description: 'what is still open on them, in cents' }),
});
const Profile = Type.Object({
  id: Type.Integer(), externalRef: Type.String(), name: Type.String(), email: Nullable(Type.String()), language: Type.String(), risk: Type.String(),
  phones: Type.Array(Type.Object({ e164: Type.String(), status: Type.String(), dnc: Type.Boolean() })),
  claims: Type.Array(Type.Object({
    id: Type.Integer(), creditor: Type.String(), invoiceRef: Type.String(), amountCents: Type.Integer(), paidCents: Type.Integer(), currency: Type.String(),
    dueDate: Nullable(Type.String()), status: Type.String(), open: Type.Boolean(),
  }), { description: 'open claims first (at most 100)' }),
});
const Entry = Type.Object({
  at: Type.String(),
  kind: Type.Union(TIMELINE_KINDS.map((k) => Type.Literal(k))),
  id: Type.String(),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
    description: 'call: direction, state, disposition, amd, keys, result, agent, durationSec…; message: channel, status, body…; reply: intent, body…; payment: amountCents, bookedOn…; disposition: kind, promiseDate, agent…; opt_out / dnc: the address',
  }),
});

const routes: RouteModule = async (app, deps) => {
  const { store } = deps;
  const lookup = store.debtorLookup;
  const phones = new PhoneNormaliser(SEARCH_COUNTRY);

  app.get('/debtors', {
    config: { roles: READERS, scope: 'creditor' },
    schema: {
      tags: ['debtors'],
      summary: 'Find debtors by debtor number, invoice number, phone (any national or international form) or the start of the name; one page',
      querystring: Type.Object({
        q: Type.String({ minLength: 1, maxLength: 200 }),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Hit), hasMore: Type.Boolean() }), ...errors(400) },
    },
  }, async (req) => {
    const text = req.query.q.trim();
    if (!text) throw new BereikError('VALIDATION', 'q must not be blank: give a debtor number, invoice, phone or name', [{ field: 'q' }]);
    const phone = LOOKS_LIKE_PHONE.test(text) ? phones.normalise(text) : undefined;
    const page = lookup.search({ text, e164: phone?.ok ? phone.value : null, creditors: creditorsOf(req) }, { limit: req.query.limit ?? 20, offset: req.query.offset ?? 0 });
    if (page.items.length) recordAccess(deps, req, 'debtor_search', page.items.map((h) => h.id));
    return page;
  });

  app.get('/debtors/:id/timeline', {
    config: { roles: READERS, scope: 'creditor' },
    schema: {
      tags: ['debtors'],
      summary: 'A debtor, their claims, and one page of their timeline (calls, messages, replies, payments, dispositions, opt-outs), newest first',
      params: IdParams,
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        cursor: Type.Optional(Type.String({ maxLength: 300, description: 'the nextCursor of the previous page' })),
      }),
      response: { 200: Type.Object({ debtor: Profile, entries: Type.Array(Entry), nextCursor: Nullable(Type.String()) }), ...errors(400, 404) },
    },
  }, async (req) => {
    const debtor = lookup.profile(req.params.id, creditorsOf(req));
    if (!debtor) throw notFoundFor('debtor', req.params.id);
    recordAccess(deps, req, 'debtor_view', [debtor.id]);
    return { debtor, ...lookup.timeline(req.params.id, { limit: req.query.limit ?? 50, creditors: creditorsOf(req), ...(req.query.cursor ? { cursor: req.query.cursor } : {}) }) };
  });
};

export default routes;
