/**
 * Contact strategies (docs/strategy.md), for operators:
 *   GET  /strategies                            each strategy's active (else latest) version
 *   GET  /strategies/:id[?version=N]            one version; /strategies/:id/versions: all of them
 *   POST /strategies[?activate=false]           a document: validated, stored as the next version, active unless told not
 *   POST /strategies/:id/versions/:version/activate
 *   POST /strategies/plan                       runs today's plan now (what the daily planner does), returns the counts
 *   GET  /debtors/:id/actions                   every action planned and done for a debtor, newest first
 *
 * A token limited to creditors reads the strategies that can take their debtors (with only
 * those segments) and their debtors' actions about their claims. It may not save, activate or
 * plan (403 AUTH_SCOPE): a strategy and the day's plan treat every creditor's debtors.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { IdParams, Literals, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { ACTION_CHANNELS, ACTION_STATUSES, ACTION_TYPES, STRATEGY_ARMS } from '../../store/types.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const StoredStrategy = Type.Object({
  strategy: Type.Object({ id: Type.String(), name: Type.String(), version: Type.Integer() }, { additionalProperties: true, description: 'the document (docs/strategy.md), with its version' }),
  active: Type.Boolean(),
  createdAt: Type.String(),
});
const Action = Type.Object({
  id: Type.Integer(),
  debtorId: Type.Integer(),
  strategyId: Type.String(),
  strategyVersion: Type.Integer(),
  arm: Literals(STRATEGY_ARMS),
  segment: Type.String(),
  stepIndex: Type.Integer(),
  action: Literals(ACTION_TYPES),
  kind: Nullable(Type.String()),
  template: Nullable(Type.String()),
  channel: Literals(ACTION_CHANNELS),
  claimIds: Type.Array(Type.Integer()),
  openCents: Type.Integer(),
  eventOn: Nullable(Type.String()),
  plannedFor: Type.String({ description: "the debtor's local date" }),
  status: Literals(ACTION_STATUSES),
  reason: Nullable(Type.String()),
  messageId: Nullable(Type.Integer()),
  campaignId: Nullable(Type.Integer()),
  contactId: Nullable(Type.Integer()),
  callId: Nullable(Type.String()),
  createdAt: Type.String(),
  executedAt: Nullable(Type.String()),
});
const Counts = Type.Record(Type.String(), Type.Number());
const PlanResult = Type.Object({
  today: Type.String(),
  debtors: Type.Integer(),
  assigned: Type.Integer(),
  planned: Type.Integer(),
  plannedBy: Counts,
  stoppedBy: Counts,
  waiting: Type.Integer(),
  noSegment: Type.Integer(),
  noStrategy: Type.Integer(),
  executed: Type.Integer(),
  skipped: Type.Integer(),
  stopped: Type.Integer(),
  failed: Type.Integer(),
});
const StrategyId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 63 }) });

const routes: RouteModule = async (app, { strategies, store }) => {
  const service = () => {
    if (!strategies) throw new BereikError('CONFLICT', 'strategies are not available in this process');
    return strategies;
  };
  const tags = ['strategies'];
  app.get('/strategies', { config: { roles: OPERATORS, scope: 'creditor' }, schema: { tags, response: { 200: Type.Array(StoredStrategy), ...errors() } } }, async (req) => service().list(creditorsOf(req)));
  app.get(
    '/strategies/:id',
    { config: { roles: OPERATORS, scope: 'creditor' }, schema: { tags, params: StrategyId, querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }), response: { 200: StoredStrategy, ...errors(404) } } },
    async (req) => service().get(req.params.id, req.query.version, creditorsOf(req)),
  );
  app.get('/strategies/:id/versions', { config: { roles: OPERATORS, scope: 'creditor' }, schema: { tags, params: StrategyId, response: { 200: Type.Array(StoredStrategy), ...errors(404) } } }, async (req) =>
    service().versions(req.params.id, creditorsOf(req)),
  );
  app.post(
    '/strategies',
    {
      config: { roles: OPERATORS, scope: 'all-creditors' },
      schema: {
        tags,
        description: 'Stores the document as the next version of its strategy (id), validated: each problem names its path. Active at once unless activate=false.',
        querystring: Type.Object({ activate: Type.Boolean({ default: true }) }),
        body: Type.Unknown(),
        response: { 201: StoredStrategy, ...errors(400) },
      },
    },
    async (req, reply) => reply.code(201).send(service().save(req.body, { activate: req.query.activate })),
  );
  app.post(
    '/strategies/:id/versions/:version/activate',
    { config: { roles: OPERATORS, scope: 'all-creditors' }, schema: { tags, params: Type.Object({ id: Type.String({ minLength: 1 }), version: Type.Integer({ minimum: 1 }) }), response: { 200: StoredStrategy, ...errors(404) } } },
    async (req) => service().activate(req.params.id, req.params.version),
  );
  app.post(
    '/strategies/plan',
    { config: { roles: OPERATORS, scope: 'all-creditors' }, schema: { tags, description: "Plans today's actions for every debtor with an open claim and carries them out (what the daily planner does).", response: { 200: PlanResult, ...errors() } } },
    async () => service().plan(),
  );
  app.get(
    '/debtors/:id/actions',
    { config: { roles: OPERATORS, scope: 'creditor' }, schema: { tags, params: IdParams, querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }), response: { 200: Type.Array(Action), ...errors(404) } } },
    async (req) => {
      const creditors = creditorsOf(req);
      if (creditors && !store.debtorLookup.profile(req.params.id, creditors)) throw notFoundFor('debtor', req.params.id);
      return service().actionsOf(req.params.id, req.query.limit, creditors);
    },
  );
};

export default routes;
