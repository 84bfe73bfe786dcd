/**
 * bereik report actions [--from D] [--to D] [--campaign ID] [--segment S] [--strategy ID] [--arm A]
 *                       [--attribution-days N] [--csv | --json]
 *                                   the score per action (as GET /reports/actions); a table by default
 * bereik report arms --strategy ID [--from D] [--to D] [--json]
 *                                   champion against challenger (as GET /reports/strategy-arms)
 * bereik report import FILE         actions done elsewhere (letters, visits) from a CSV (as POST /reports/actions/imports)
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { BereikError } from '../lib/errors.ts';
import { openOffline } from '../campaigns/offline.ts';
import { reportCsv, type ActionReport } from '../reports/actions.ts';
import type { Row } from '../reports/attribution.ts';
import type { StrategyArm } from '../store/types.ts';

const USAGE =
  'usage: bereik report actions [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--campaign ID] [--segment S] [--strategy ID] [--arm champion|challenger] [--attribution-days N] [--csv|--json]\n' +
  '       bereik report arms --strategy ID [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]\n' +
  '       bereik report import FILE';

const eur = (c: number | null) => (c === null ? '-' : `€${(c / 100).toFixed(2)}`);

function table(r: ActionReport): string {
  const head = ['action', 'executed', 'result', 'score', 'full', 'partial', 'promise', 'arrang.', 'reached', 'last touch', 'any touch', 'cost', 'per €', 'per inv.'];
  const line = (x: Row) => [
    x.action, x.executed, x.withResult, `${x.scorePct.toFixed(1)}%`, x.results.paidFull, x.results.paidPartial, x.results.promise, x.results.arrangement,
    x.contactsReached, eur(x.collectedCents.lastTouch), eur(x.collectedCents.anyTouch), eur(x.costCents), eur(x.costPerEuroCollectedCents), eur(x.costPerInvoiceCents),
  ].map(String);
  const rows = [head, ...r.rows.map(line), line(r.total)];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  const fmt = (x: string[]) => x.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [`${r.from} … ${r.to}, attribution window ${r.attributionDays} days`, `source: ${r.source.path} (${r.source.reason})`, fmt(head), ...rows.slice(1).map(fmt)].join('\n');
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new BereikError('VALIDATION', `--${name} must be a whole number, got "${v}"`);
  return Number(v);
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' }, to: { type: 'string' }, campaign: { type: 'string' }, segment: { type: 'string' }, strategy: { type: 'string' },
      arm: { type: 'string' }, 'attribution-days': { type: 'string' }, csv: { type: 'boolean' }, json: { type: 'boolean' },
    },
  });
  const [sub, file, ...extra] = positionals;
  const ok = sub === 'actions' ? !file : sub === 'arms' ? !file && !!values.strategy : sub === 'import' && !!file;
  if (!ok || extra.length || (values.arm && values.arm !== 'champion' && values.arm !== 'challenger')) {
    console.error(USAGE);
    return 2;
  }
  const s = openOffline();
  try {
    const attributionDays = int('attribution-days', values['attribution-days']);
    if (sub === 'import') {
      const r = s.reports.importActions(readFileSync(file!), basename(file!));
      console.log(r.alreadyImported ? `${file} was imported before (import ${r.importId}, ${r.rows} actions): nothing changed` : `${r.rows} actions imported (import ${r.importId})`);
      return 0;
    }
    if (sub === 'arms') {
      const r = await s.reports.arms({ strategyId: values.strategy!, ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}), ...(attributionDays !== undefined ? { attributionDays } : {}) });
      if (values.json) {
        console.log(JSON.stringify(r, null, 2));
        return 0;
      }
      for (const a of [r.arms.champion, r.arms.challenger]) {
        console.log(`${a.arm.padEnd(10)} ${a.strategyId || '-'}: ${a.debtors} debtors, ${a.paidDebtors} paid; collected ${eur(a.collectedPerDebtorCents)} per debtor, cost ${eur(a.costPerDebtorCents)} per debtor, ${eur(a.costPerEuroCollectedCents)} per euro; days to payment ${a.meanDaysToPayment ?? '-'}`);
      }
      for (const [name, d] of Object.entries(r.comparison)) {
        console.log(`${name}: challenger − champion ${d.difference.toFixed(1)} (95 % ${d.low === null || d.high === null ? 'no interval: an arm has no debtors' : `${d.low.toFixed(1)} … ${d.high.toFixed(1)}`}) ${d.significant ? 'significant' : d.enoughData ? 'not significant' : 'not enough data'}`);
      }
      return 0;
    }
    const r = await s.reports.actions({
      ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}),
      ...(values.campaign ? { campaignId: int('campaign', values.campaign)! } : {}), ...(values.segment ? { segment: values.segment } : {}),
      ...(values.strategy ? { strategyId: values.strategy } : {}), ...(values.arm ? { arm: values.arm as StrategyArm } : {}),
      ...(attributionDays !== undefined ? { attributionDays } : {}),
    });
    process.stdout.write(values.csv ? reportCsv(r) : values.json ? `${JSON.stringify(r, null, 2)}\n` : `${table(r)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof BereikError && err.code === 'VALIDATION' && Array.isArray(err.details)) {
      console.error(`bereik report: ${err.message.split(':')[0]}:`);
      for (const p of err.details as Array<{ message: string }>) console.error(`  ${p.message}`);
      return 1;
    }
    throw err;
  } finally {
    s.close();
  }
}
