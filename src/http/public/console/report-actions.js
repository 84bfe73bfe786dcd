// Score per action (GET /reports/actions, docs/reports.md): what each kind of action did
// for the creditor over the range — executed, with a result, paid / promised / arranged,
// money collected by last and any touch, and its cost. Rendered from the route's JSON as it
// is; the CSV is the route's own (format=csv).
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, download } from './api.js';
import { money, number, t } from './i18n.js';
import { Bars } from './charts.js';

const COLUMNS = [
  ['r.executed', (r) => r.executed, number], ['r.withResult', (r) => r.withResult, number], ['r.score', (r) => r.scorePct, (v) => (v == null ? '—' : `${v} %`)],
  ['r.paidFull', (r) => r.results?.paidFull, number], ['r.paidPartial', (r) => r.results?.paidPartial, number], ['r.promise', (r) => r.results?.promise, number],
  ['r.arrangement', (r) => r.results?.arrangement, number], ['r.reached', (r) => r.contactsReached, number],
  ['r.lastTouch', (r) => r.collectedCents?.lastTouch, (v) => (v == null ? '—' : money(v))], ['r.anyTouch', (r) => r.collectedCents?.anyTouch, (v) => (v == null ? '—' : money(v))],
  ['r.cost', (r) => r.costCents, (v) => (v == null ? '—' : money(v))], ['r.costPerEuro', (r) => r.costPerEuroCollectedCents, (v) => (v == null ? '—' : money(v))],
  ['r.costPerInvoice', (r) => r.costPerInvoiceCents, (v) => (v == null ? '—' : money(v))],
];

export function ActionScores({ campaignId, from, to, round }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const query = `${campaignId ? `campaignId=${campaignId}&` : ''}from=${from}&to=${to}`;
  useEffect(() => {
    api(`/reports/actions?${query}`).then((d) => (setData(d), setError(null)), (err) => (setData(null), setError(err.message ?? String(err))));
  }, [query, round]);
  return html`<section aria-labelledby="r-actions-title">
    <h3 id="r-actions-title">${t('r.actions')}</h3>
    ${error && html`<p role="alert" data-testid="r-actions-error">${error}</p>`}
    ${data && html`<p class="hint">${t('r.attribution', { n: data.attributionDays })}</p>
      <div class="scroll"><table data-testid="r-actions">
        <thead><tr><th>${t('r.action')}</th>${COLUMNS.map(([k]) => html`<th class="num">${t(k)}</th>`)}</tr></thead>
        <tbody>${data.rows.map((r) => html`<tr data-action=${r.action}><td>${r.action}</td>${COLUMNS.map(([, get, fmt]) => html`<td class="num">${fmt(get(r))}</td>`)}</tr>`)}</tbody>
        <tfoot><tr data-action="total"><th>${t('r.total')}</th>${COLUMNS.map(([, get, fmt]) => html`<td class="num">${fmt(get(data.total))}</td>`)}</tr></tfoot>
      </table></div>
      <${Bars} id="r-actions-chart" title=${t('r.score')} labels=${data.rows.map((r) => r.action)} values=${data.rows.map((r) => r.scorePct)} />
      <button data-testid="r-actions-csv" onClick=${() => download(`/reports/actions?${query}&format=csv`, 'score-per-action.csv')}>${t('r.csv')}</button>`}
  </section>`;
}
