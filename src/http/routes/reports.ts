/**
 * Reports (docs/reports.md), for operators:
 *   GET  /reports/actions                 the score per action: JSON, or CSV with Accept: text/csv or ?format=csv
 *   GET  /reports/strategy-arms?strategyId=   champion against challenger, with 95 % intervals: JSON, or CSV likewise
 *   POST /reports/actions/imports         a CSV of actions done elsewhere (letters, visits), so the table compares every instrument
 */
import { Readable } from 'node:stream';
import { Type, type TSchema } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { Literals, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { creditorsOf } from '../scope.ts';
import { STRATEGY_ARMS } from '../../store/types.ts';
import { reportCsv } from '../../reports/actions.ts';
import { armsCsv } from '../../reports/arms.ts';

/** CSV by ?format=csv, or by Accept: text/csv when no format is named. */
const wantsCsv = (format: string | undefined, accept: string | undefined) => format === 'csv' || (format === undefined && /\btext\/csv\b/.test(accept ?? ''));

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';
const Nullable = (t: TSchema) => Type.Union([t, Type.Null()]);
const Cents = Type.Integer({ description: 'cents' });
const Row = Type.Object({
  action: Type.String({ description: 'sms, email, whatsapp, call_ivr, call_agent, external:<kind>, or total' }),
  executed: Type.Integer(),
  withResult: Type.Integer({ description: 'actions that were the last touch of a payment, promise or arrangement' }),
  scorePct: Type.Number({ description: 'withResult / executed × 100, one decimal' }),
  results: Type.Object({ paidFull: Type.Integer(), paidPartial: Type.Integer(), promise: Type.Integer(), arrangement: Type.Integer() }),
  contactsReached: Type.Integer(),
  collectedCents: Type.Object({ lastTouch: Cents, anyTouch: Cents }),
  costCents: Cents,
  costPerEuroCollectedCents: Nullable(Type.Number({ description: 'cents spent per euro collected (last touch), two decimals' })),
  costPerInvoiceCents: Nullable(Cents),
});
const UnitCosts = Type.Object({}, { additionalProperties: true });
const Report = Type.Object({
  from: Type.String(),
  to: Type.String(),
  attributionDays: Type.Integer(),
  attribution: Type.Object({ lastTouch: Type.String(), anyTouch: Type.String(), unitCosts: UnitCosts }),
  filters: Type.Object({ campaignId: Nullable(Type.Integer()), segment: Nullable(Type.String()), strategyId: Nullable(Type.String()), arm: Nullable(Type.String()) }),
  source: Type.Object(
    { path: Literals(['rollup', 'exact'] as const), reason: Type.String() },
    { description: "rollup: summed from the day rows kept for the configured window; exact: attributed at query time (another attributionDays, or the rollup still being built). CSV: the X-Report-Source header" },
  ),
  rows: Type.Array(Row),
  total: Row,
});
const Difference = Type.Object({ difference: Type.Number(), low: Type.Union([Type.Number(), Type.Null()]), high: Type.Union([Type.Number(), Type.Null()]), significant: Type.Boolean(), enoughData: Type.Boolean() });
const Arm = Type.Object({
  arm: Literals(STRATEGY_ARMS),
  strategyId: Type.String(),
  debtors: Type.Integer(),
  paidDebtors: Type.Integer(),
  collectedCents: Cents,
  costCents: Cents,
  collectedPerDebtorCents: Cents,
  costPerDebtorCents: Cents,
  costPerEuroCollectedCents: Nullable(Cents),
  meanDaysToPayment: Nullable(Type.Number()),
  rows: Type.Array(Row),
  total: Row,
});
const ArmsReport = Type.Object({
  strategyId: Type.String(),
  challengerId: Nullable(Type.String()),
  sharePct: Nullable(Type.Integer()),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  attributionDays: Type.Integer(),
  arms: Type.Object({ champion: Arm, challenger: Arm }),
  comparison: Type.Object({ collectedPerDebtorCents: Difference, costPerDebtorCents: Difference, daysToPayment: Difference }),
});
const Period = {
  from: Type.Optional(Type.String({ pattern: DAY, description: 'YYYY-MM-DD, inclusive' })),
  to: Type.Optional(Type.String({ pattern: DAY, description: 'YYYY-MM-DD, inclusive' })),
  attributionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 90, description: 'default reports.attributionDays (14)' })),
};

const routes: RouteModule = async (app, { reports }) => {
  const service = () => {
    if (!reports) throw new BereikError('CONFLICT', 'reports are not available in this process');
    return reports;
  };
  const tags = ['reports'];
  app.get(
    '/reports/actions',
    {
      config: { roles: OPERATORS, scope: 'creditor' },
      schema: {
        tags,
        summary: 'The score per action: executed, with a result, score, results, reached, collected (last touch and any touch), cost',
        description: 'Actions planned for from…to (default: the 30 days up to today). CSV with Accept: text/csv or format=csv.',
        produces: ['application/json', 'text/csv'],
        querystring: Type.Object({
          ...Period,
          campaignId: Type.Optional(Type.Integer({ minimum: 1 })),
          segment: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          strategyId: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
          arm: Type.Optional(Literals(STRATEGY_ARMS)),
          format: Type.Optional(Literals(['json', 'csv'] as const)),
        }),
        response: { 200: Type.Union([Report, Type.String({ description: 'CSV' })]), ...errors(400) },
      },
    },
    async (req, reply) => {
      const { format, ...filter } = req.query;
      const report = await service().actions({ ...filter, creditors: creditorsOf(req) });
      if (!wantsCsv(format, req.headers.accept)) return report;
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('x-report-source', `${report.source.path}; ${report.source.reason}`);
      reply.header('content-disposition', `attachment; filename="actions-${report.from}-${report.to}.csv"`);
      // A stream skips response serialisation (the union would pick the JSON schema for a string).
      return reply.send(Readable.from([reportCsv(report)]) as unknown as string);
    },
  );
  app.get(
    '/reports/strategy-arms',
    {
      config: { roles: OPERATORS, scope: 'creditor' },
      schema: {
        tags,
        summary: "Champion against challenger: per action and in total, the challenger's difference with a 95 % interval",
        description: 'Debtors who entered the strategy from…to (default: all). The challenger is the one the strategy names, or challengerId.',
        produces: ['application/json', 'text/csv'],
        querystring: Type.Object({
          strategyId: Type.String({ minLength: 1, maxLength: 63 }),
          challengerId: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
          ...Period,
          format: Type.Optional(Literals(['json', 'csv'] as const)),
        }),
        response: { 200: Type.Union([ArmsReport, Type.String({ description: 'CSV: per arm, its figures beside each score-per-action row' })]), ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const report = await service().arms({ ...q, creditors: creditorsOf(req) });
      if (!wantsCsv(format, req.headers.accept)) return report;
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="strategy-arms-${report.strategyId}.csv"`);
      return reply.send(Readable.from([armsCsv(report)]) as unknown as string);
    },
  );
  app.post(
    '/reports/actions/imports',
    {
      config: { roles: OPERATORS, scope: 'all-creditors' },
      schema: {
        tags,
        summary: 'Actions done elsewhere (letters, visits) as a CSV: debtor_ref;date;kind[;cost_cents][;campaign_id]',
        description: 'The raw CSV as text/csv (optional X-File-Name). Checked whole: one bad row refuses the file (400 VALIDATION, details per line). The same file again changes nothing (200, alreadyImported).',
        consumes: ['text/csv', 'application/octet-stream'],
        response: { 200: Type.Object({ importId: Type.Integer(), rows: Type.Integer(), alreadyImported: Type.Boolean() }), 201: Type.Object({ importId: Type.Integer(), rows: Type.Integer(), alreadyImported: Type.Boolean() }), ...errors(400, 413) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (!(body instanceof Readable)) throw new BereikError('VALIDATION', 'send the CSV as the body with Content-Type text/csv');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of body as AsyncIterable<Buffer>) {
        size += c.length;
        if (size > 16 * 1024 * 1024) throw new BereikError('IMPORT_TOO_LARGE', 'the actions file is larger than 16 MB');
        chunks.push(c);
      }
      const name = req.headers['x-file-name'];
      const r = service().importActions(Buffer.concat(chunks), typeof name === 'string' ? name : null);
      return reply.code(r.alreadyImported ? 200 : 201).send(r);
    },
  );
};

export default routes;
