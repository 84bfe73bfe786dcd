/** GET /campaigns/:id/contacts: who is in the campaign and where each contact stands. */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { READERS } from '../auth.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { recordAccess } from '../audit.ts';
import { IdParams, Literals, errors } from '../schemas.ts';
import { CONTACT_STATUSES } from '../../store/types.ts';

const Status = Literals(CONTACT_STATUSES);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Contact = Type.Object({
  id: Type.Integer(),
  status: Status,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String()),
  lastAttemptAt: Nullable(Type.String()),
  lastOutcome: Nullable(Type.String()),
  result: Nullable(Type.String()),
  debtorId: Type.Integer(),
  debtorRef: Type.String(),
  debtorName: Type.String(),
  language: Type.String(),
  risk: Type.String(),
  claimId: Type.Integer(),
  invoiceRef: Type.String(),
  creditor: Type.String(),
  amountCents: Type.Integer(),
  dueDate: Nullable(Type.String()),
  claimStatus: Type.String(),
  phones: Type.Array(Type.String(), { description: 'E.164, in order of preference' }),
});

const routes: RouteModule = async (app, deps) => {
  const { store: { contacts: store }, campaigns } = deps;
  app.get('/campaigns/:id/contacts', {
    config: { roles: READERS, scope: 'creditor' },
    schema: {
      tags: ['campaigns'],
      summary: "A campaign's contacts, paged by cursor (pass nextCursor back as cursor)",
      params: IdParams,
      querystring: Type.Object({
        status: Type.Optional(Status),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        cursor: Type.Optional(Type.Integer({ minimum: 0, description: 'the nextCursor of the previous page' })),
      }),
      response: {
        200: Type.Object({ items: Type.Array(Contact), nextCursor: Type.Union([Type.Integer(), Type.Null()]), total: Type.Integer() }),
        ...errors(400, 404),
      },
    },
  }, async (req) => {
    const creditors = creditorsOf(req);
    campaigns.get(req.params.id);
    if (creditors && !store.holdsClaimOf(req.params.id, creditors)) throw notFoundFor('campaign', req.params.id);
    const limit = req.query.limit ?? 100;
    const items = store.list(req.params.id, { limit, after: req.query.cursor ?? 0, status: req.query.status, creditors });
    if (items.length) recordAccess(deps, req, 'contact_list', items.map((c) => c.debtorId), { campaignId: req.params.id });
    return {
      items,
      nextCursor: items.length === limit ? items.at(-1)!.id : null,
      total: store.count(req.params.id, req.query.status, creditors),
    };
  });
};

export default routes;
