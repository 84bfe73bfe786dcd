// Reports for the creditor: one campaign over a range of Amsterdam days — the funnel,
// answer rate by hour of day and weekday (when to call), and the score per action — each
// with a CSV export. Every figure comes from one API call; nothing is counted here.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, download } from './api.js';
import { number, t } from './i18n.js';
import { Bars } from './charts.js';
import { ActionScores } from './report-actions.js';

const STEPS = ['dialled', 'answered', 'identityConfirmed', 'messageHeard', 'paylink', 'agent', 'dispute', 'paid'];
/** Pay link, agent and dispute are alternatives after "message heard": each is measured against it. */
const BASE = { answered: 'dialled', identityConfirmed: 'answered', messageHeard: 'identityConfirmed', paylink: 'messageHeard', agent: 'messageHeard', dispute: 'messageHeard', paid: 'messageHeard' };
const pct = (r) => (r == null ? '—' : `${(100 * r).toFixed(1)} %`);
/** A day on the operator's clock as YYYY-MM-DD (the Swedish locale writes dates so). */
const day = (ms) => new Date(ms).toLocaleDateString('sv-SE');

function Funnel({ data, query }) {
  const by = Object.fromEntries(data.steps.map((s) => [s.step, s.count]));
  return html`<section aria-labelledby="r-funnel-title">
    <h3 id="r-funnel-title">${t('r.funnel')}</h3>
    <div class="scroll"><table data-testid="r-funnel">
      <thead><tr><th>${t('r.step')}</th><th class="num">${t('r.count')}</th><th class="num">${t('r.ofPrev')}</th></tr></thead>
      <tbody>${STEPS.map((s) => html`<tr data-step=${s}><td>${t('f.' + s)}</td><td class="num">${number(by[s])}</td>
        <td class="num">${BASE[s] ? pct(by[BASE[s]] ? by[s] / by[BASE[s]] : null) : ''}</td></tr>`)}</tbody>
    </table></div>
    <${Bars} id="r-funnel-chart" title=${t('r.funnel')} labels=${STEPS.map((s) => t('f.' + s))} values=${STEPS.map((s) => by[s])} percent=${false} width=${960} />
    <button data-testid="r-funnel-csv" onClick=${() => download(`/reports/funnel?${query}&format=csv`, 'funnel.csv')}>${t('r.csv')}</button>
  </section>`;
}

const WEEKDAYS = { en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], nl: ['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'] };

function RateTable({ id, head, rows }) {
  return html`<div class="scroll"><table data-testid=${id}>
    <thead><tr><th>${head}</th><th class="num">${t('r.dialled')}</th><th class="num">${t('r.answered')}</th><th class="num">${t('r.rate')}</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><td>${r.label}</td><td class="num">${number(r.dialled)}</td><td class="num">${number(r.answered)}</td><td class="num">${pct(r.rate)}</td></tr>`)}</tbody>
  </table></div>`;
}

function AnswerRate({ data, query }) {
  const names = WEEKDAYS[document.documentElement.lang] ?? WEEKDAYS.en;
  const hours = data.byHour.map((r) => ({ ...r, label: String(r.hour).padStart(2, '0') }));
  const days = data.byWeekday.map((r) => ({ ...r, label: names[r.weekday - 1] }));
  const chartValues = (rows) => rows.map((r) => (r.rate == null ? null : Math.round(1000 * r.rate) / 10));
  return html`<section aria-labelledby="r-hour-title">
    <h3 id="r-hour-title">${t('r.byHour')}</h3>
    <${Bars} id="r-hour-chart" title=${t('r.byHour')} labels=${hours.map((r) => r.label)} values=${chartValues(hours)} />
    <details><summary>${t('r.hour')}</summary><${RateTable} id="r-by-hour" head=${t('r.hour')} rows=${hours} /></details>
    <h3>${t('r.byWeekday')}</h3>
    <${Bars} id="r-weekday-chart" title=${t('r.byWeekday')} labels=${days.map((r) => r.label)} values=${chartValues(days)} />
    <${RateTable} id="r-by-weekday" head=${t('r.weekday')} rows=${days} />
    <button data-testid="r-rate-csv" onClick=${() => download(`/reports/answer-rate?${query}&format=csv`, 'answer-rate.csv')}>${t('r.csv')}</button>
  </section>`;
}

export function ReportsPage({ campaignId, from, to }) {
  const [campaigns, setCampaigns] = useState([]);
  const [form, setForm] = useState({ campaign: campaignId ?? '', from: from || day(Date.now() - 6 * 86_400_000), to: to || day(Date.now()) });
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  // "Show" again for the same range fetches again (new payments, imported letters): the hash does not change then.
  const [round, setRound] = useState(0);
  useEffect(() => void api('/campaigns?limit=100').then((r) => setCampaigns(r.items), (err) => setError(err.message)), []);
  const query = campaignId ? `campaign=${campaignId}&from=${from}&to=${to}` : null;
  useEffect(() => {
    if (!query) return;
    setError(null);
    Promise.all([api(`/reports/funnel?${query}`), api(`/reports/answer-rate?${query}`)])
      .then(([funnel, rate]) => setData({ funnel, rate }), (err) => (setData(null), setError(err.message)));
  }, [query, round]);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const submit = (e) => (e.preventDefault(), setRound(round + 1), (location.hash = `#/reports/${form.campaign}?from=${form.from}&to=${form.to}`));
  return html`<section aria-labelledby="r-title">
    <h2 id="r-title">${t('r.title')}</h2>
    <form class="row" onSubmit=${submit}>
      <label for="r-campaign">${t('r.campaign')}</label>
      <select id="r-campaign" data-testid="r-campaign" required value=${form.campaign} onChange=${set('campaign')}>
        <option value="">—</option>${campaigns.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select>
      <label for="r-from">${t('r.from')}</label><input id="r-from" data-testid="r-from" type="date" required value=${form.from} onInput=${set('from')} />
      <label for="r-to">${t('r.to')}</label><input id="r-to" data-testid="r-to" type="date" required value=${form.to} onInput=${set('to')} />
      <button class="primary" data-testid="r-show">${t('r.show')}</button>
    </form>
    <p class="err" role="alert" data-testid="r-error">${error}</p>
    ${data && html`<${Funnel} data=${data.funnel} query=${query} /><${AnswerRate} data=${data.rate} query=${query} />`}
    ${query && html`<${ActionScores} campaignId=${campaignId} from=${from} to=${to} round=${round} />`}
  </section>`;
}
