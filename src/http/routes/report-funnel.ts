/**
 * The console's reports: GET /reports/funnel (dialled → answered → identity confirmed →
 * message heard → pay link / agent / dispute → paid) and GET /reports/answer-rate (by
 * local hour of day and weekday), for one campaign and a range of days in
 * Europe/Amsterdam; `format=csv` gives the same figures as a file. Counted in SQL over the
 * campaign's index range (src/store/console-reports.ts); at most 92 days at a time.
 * GET /reports/actions (score per action) belongs to the strategy work, not here.
 * A token limited to creditors sees the figures of their claims in the campaign, and a
 * campaign holding none of their claims answers 404.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { errors, Literals } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { answerRateBuckets, dayRange, daysIn, REPORT_TIME_ZONE, toCsv } from '../../reports/buckets.ts';
import type { FunnelCounts } from '../../store/console-reports.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';

const MAX_DAYS = 92;
const DAY = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Query = Type.Object({
  campaign: Type.Integer({ minimum: 1 }),
  from: Type.String({ ...DAY, description: `first day (YYYY-MM-DD, ${REPORT_TIME_ZONE})` }),
  to: Type.String({ ...DAY, description: 'last day, inclusive' }),
  format: Type.Optional(Literals(['json', 'csv'])),
});
/** The funnel's steps in order; the three after "message heard" are alternatives. */
export const FUNNEL_STEPS: (keyof FunnelCounts)[] = ['dialled', 'answered', 'identityConfirmed', 'messageHeard', 'paylink', 'agent', 'dispute', 'paid'];
const Rate = { dialled: Type.Integer(), answered: Type.Integer(), rate: Type.Union([Type.Number(), Type.Null()]) };

const routes: RouteModule = async (app, { store }) => {
  const range = (q: { campaign: number; from: string; to: string }, creditors: string[] | null) => {
    if (!store.campaigns.get(q.campaign)) throw new BereikError('NOT_FOUND', `campaign ${q.campaign} does not exist`, { campaign: q.campaign }, 404);
    if (creditors && !store.contacts.holdsClaimOf(q.campaign, creditors)) throw notFoundFor('campaign', q.campaign);
    const n = daysIn(q.from, q.to);
    if (Number.isNaN(n) || n < 1) throw new BereikError('VALIDATION', `querystring/to ${q.to} is before from ${q.from}`, [{ field: 'to', message: 'must not be before from' }]);
    if (n > MAX_DAYS) throw new BereikError('VALIDATION', `querystring/to: ${n} days asked, at most ${MAX_DAYS} at a time`, [{ field: 'to', message: `at most ${MAX_DAYS} days` }]);
    return dayRange(q.from, q.to);
  };
  const csv = (reply: FastifyReply, name: string, body: string) =>
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(body);

  app.get('/reports/funnel', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['reports'],
      summary: "A campaign's funnel over a range of days: dialled → answered → identity confirmed → message heard → pay link / agent / dispute → paid",
      querystring: Query,
      response: { 200: Type.Object({ campaignId: Type.Integer(), from: Type.String(), to: Type.String(), timeZone: Type.String(), steps: Type.Array(Type.Object({ step: Type.String(), count: Type.Integer() })) }), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const q = req.query;
    const creditors = creditorsOf(req);
    const { fromIso, toIso } = range(q, creditors);
    const counts = store.reports.funnel(q.campaign, fromIso, toIso, q.from, q.to, creditors);
    const steps = FUNNEL_STEPS.map((step) => ({ step, count: counts[step] }));
    if (q.format === 'csv') return csv(reply, `funnel-${q.campaign}-${q.from}-${q.to}.csv`, toCsv(['step', 'count'], steps.map((s) => [s.step, s.count])));
    return { campaignId: q.campaign, from: q.from, to: q.to, timeZone: REPORT_TIME_ZONE, steps };
  });

  app.get('/reports/answer-rate', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['reports'],
      summary: 'When to call: answered / dialled by local hour of day (0–23) and ISO weekday (1 = Monday), over a range of days',
      querystring: Query,
      response: {
        200: Type.Object({
          campaignId: Type.Integer(), from: Type.String(), to: Type.String(), timeZone: Type.String(),
          byHour: Type.Array(Type.Object({ hour: Type.Integer(), ...Rate })), byWeekday: Type.Array(Type.Object({ weekday: Type.Integer(), ...Rate })),
        }),
        ...errors(400, 404),
      },
    },
  }, async (req, reply) => {
    const q = req.query;
    const creditors = creditorsOf(req);
    const { fromIso, toIso } = range(q, creditors);
    const b = answerRateBuckets(store.reports.hours(q.campaign, fromIso, toIso, creditors));
    if (q.format === 'csv') {
      const rows = [...b.byHour.map((r) => ['hour', r.hour, r.dialled, r.answered, r.rate]), ...b.byWeekday.map((r) => ['weekday', r.weekday, r.dialled, r.answered, r.rate])];
      return csv(reply, `answer-rate-${q.campaign}-${q.from}-${q.to}.csv`, toCsv(['bucket', 'value', 'dialled', 'answered', 'rate'], rows as (string | number | null)[][]));
    }
    return { campaignId: q.campaign, from: q.from, to: q.to, timeZone: REPORT_TIME_ZONE, ...b };
  });
};

export default routes;
