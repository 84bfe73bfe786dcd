// Score per action (GET /reports/actions, from the strategy work): what each kind of
// action did for the creditor over the range — executed, with a result, paid / promised /
// arranged, money collected by last and any touch, and its cost. Rendered from the route's
// JSON as it is; the CSV is the same table. Until the route exists the section says so.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
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

function saveCsv(data) {
  const head = ['action', ...COLUMNS.map(([k]) => k.slice(2))];
  const rows = [...data.rows, { ...data.total, action: 'total' }].map((r) => [r.action, ...COLUMNS.map(([, get]) => get(r) ?? '')]);
  const text = [head, ...rows].map((r) => r.map((v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : v)).join(',')).join('\r\n') + '\r\n';
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })), download: 'score-per-action.csv' });
  document.body.append(a), a.click(), a.remove();
}

export function ActionScores({ from, to }) {
  const [data, setData] = useState(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    api(`/reports/actions?from=${from}&to=${to}`).then((d) => (setData(d), setMissing(false)), () => (setData(null), setMissing(true)));
  }, [from, to]);
  return html`<section aria-labelledby="r-actions-title">
    <h3 id="r-actions-title">${t('r.actions')}</h3>
    ${missing && html`<p data-testid="r-actions-missing">${t('r.noActions')}</p>`}
    ${data && html`<p class="hint">${t('r.attribution', { n: data.attributionDays })}</p>
      <div class="scroll"><table data-testid="r-actions">
        <thead><tr><th>${t('r.action')}</th>${COLUMNS.map(([k]) => html`<th class="num">${t(k)}</th>`)}</tr></thead>
        <tbody>${data.rows.map((r) => html`<tr data-action=${r.action}><td>${r.action}</td>${COLUMNS.map(([, get, fmt]) => html`<td class="num">${fmt(get(r))}</td>`)}</tr>`)}</tbody>
        <tfoot><tr data-action="total"><th>${t('r.total')}</th>${COLUMNS.map(([, get, fmt]) => html`<td class="num">${fmt(get(data.total))}</td>`)}</tr></tfoot>
      </table></div>
      <${Bars} id="r-actions-chart" title=${t('r.score')} labels=${data.rows.map((r) => r.action)} values=${data.rows.map((r) => r.scorePct)} />
      <button data-testid="r-actions-csv" onClick=${() => saveCsv(data)}>${t('r.csv')}</button>`}
  </section>`;
}
