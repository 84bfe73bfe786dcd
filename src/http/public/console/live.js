// Live: a running campaign's figures, pushed every second by the server (server-sent
// events, GET /campaigns/:id/live/events) without reload — live calls by state, calls per
// minute, answer rate, AMD verdicts, the 24 h abandon rate against its cap, pacing, agents
// with time in state, messages — with a uPlot chart of this session's samples.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';
import { api, stream } from './api.js';
import { number, t } from './i18n.js';

const KEEP = 600;
/** Reconnect after this long when the stream breaks (a restart, a network blip). */
const RETRY_MS = 2000;

function Chart({ history }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    plot.current = new uPlot({
      width: Math.min(1240, box.current.clientWidth || 800), height: 220, title: t('l.chart'),
      series: [{}, { label: t('l.perMinute'), stroke: '#0b4f8a', width: 2 }, { label: t('l.live'), stroke: '#17633a', width: 2 }],
      axes: [{}, {}],
    }, [[], [], []], box.current);
    return () => plot.current.destroy();
  }, []);
  useEffect(() => {
    const xs = [], rate = [], up = [];
    for (const h of history) {
      xs.push(Date.parse(h.at) / 1000);
      rate.push(h.calls.lastMinute);
      up.push(h.calls.ringing + h.calls.inIvr + h.calls.withAgent);
    }
    plot.current?.setData([xs, rate, up]);
  }, [history]);
  return html`<div ref=${box} role="img" aria-label=${t('l.chart')}></div>`;
}

const Figure = ({ id, label, value, small }) => html`<div><dt>${label}</dt><dd data-testid=${id} class=${small ? 'small' : ''}>${value}</dd></div>`;
/** "pending 2 · done 1": the counts that are not zero. */
const breakdown = (counts) => Object.entries(counts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${number(v)}`).join(' · ') || '—';

const pct = (r) => (r == null ? '—' : `${Math.round(100 * r)} %`);
const pct1 = (r) => (r == null ? '—' : `${(100 * r).toFixed(1)} %`);

function Board({ id }) {
  const [history, setHistory] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    const abort = new AbortController();
    let timer;
    const connect = () => stream(`/campaigns/${id}/live/events`, (name, s) => {
      if (name === 'snapshot') setHistory((old) => [...old.slice(-KEEP + 1), s]), setError(null);
    }, abort.signal).catch((err) => {
      if (abort.signal.aborted) return;
      setError(err.message);
      if (err.status !== 404 && err.status !== 403) timer = setTimeout(connect, RETRY_MS);
    });
    connect();
    return () => (abort.abort(), clearTimeout(timer));
  }, [id]);
  const now = history.at(-1);
  if (!now) return html`<p class="err" role="alert">${error}</p><p>${t('loading')}</p>`;
  const { stats, calls, amd, abandon24h: ab, pacing, agents, messages } = now;
  const over = ab.rate != null && ab.rate > ab.cap;
  return html`<section data-testid="live" aria-live="off">
    <p class="err" role="alert">${error}</p>
    <dl class="facts live-figures">
      <${Figure} id="l-ringing" label=${t('l.ringing')} value=${calls.ringing} />
      <${Figure} id="l-up" label=${t('l.up')} value=${calls.inIvr} />
      <${Figure} id="l-agent" label=${t('l.agent')} value=${calls.withAgent} />
      <${Figure} id="l-total" label=${t('c.calls')} value=${number(calls.total)} />
      <${Figure} id="l-per-minute" label=${t('l.perMinute')} value=${number(calls.lastMinute)} />
      <${Figure} id="l-answer-rate" label=${t('l.answerRate')} value=${pct(calls.answerRate)} />
      <${Figure} id="l-abandon" label=${t('l.abandon')} value=${html`<span class=${over ? 'err' : ''}>${pct1(ab.rate)}</span> / ${pct1(ab.cap)}`} small />
      <${Figure} id="l-dial-ratio" label=${t('l.dialRatio')} value=${pacing.dialRatio == null ? '—' : pacing.dialRatio.toFixed(2)} />
      <${Figure} id="l-pacing" label=${t('l.pacing')} value=${`${pacing.mode}${pacing.reason ? ` · ${pacing.reason}` : ''}`} small />
      <${Figure} id="l-agents-by-state" label=${t('l.agentsByState')} value=${breakdown(agents.reduce((n, a) => ((n[a.state] = (n[a.state] ?? 0) + 1), n), {}))} small />
      <${Figure} id="l-amd" label=${t('l.amd')} value=${breakdown(amd)} small />
      <${Figure} id="l-machine" label=${t('l.machine')} value=${number(stats.machine ?? 0)} />
      <${Figure} id="l-busy" label=${t('l.busy')} value=${number(stats.busy ?? 0)} />
      <${Figure} id="l-noanswer" label=${t('l.noAnswer')} value=${number(stats.noAnswer ?? 0)} />
      <${Figure} id="l-paylinks" label=${t('l.paylinks')} value=${number(stats.paylinks ?? 0)} />
      <${Figure} id="l-agent-requests" label=${t('l.agentRequests')} value=${number(stats.agentRequests ?? 0)} />
      <${Figure} id="l-contacts" label=${t('l.contacts')} value=${breakdown(stats.contacts ?? {})} small />
      <${Figure} id="l-messages" label=${t('l.messages')} value=${`${t('l.sent')} ${number(messages.sent ?? 0)} · ${t('l.delivered')} ${number(messages.delivered ?? 0)} · ${t('l.replied')} ${number(messages.replied ?? 0)}`} small />
    </dl>
    <${Chart} history=${history} />
    <h3>${t('l.agents')}</h3>
    <div class="scroll"><table data-testid="l-agents">
      <thead><tr><th>${t('c.name')}</th><th>${t('l.agentState')}</th><th class="num">${t('l.since')}</th></tr></thead>
      <tbody>${agents.map((a) => html`<tr><td>${a.name}</td><td>${a.state}</td><td class="num">${a.secondsInState} s</td></tr>`)}</tbody>
    </table></div>
    <p class="hint" data-testid="l-updated">${t('l.updated', { t: new Date(now.at).toLocaleTimeString() })}</p>
  </section>`;
}

export function LivePage({ campaignId }) {
  const [running, setRunning] = useState(null);
  useEffect(() => {
    (async () => {
      const { items } = await api('/campaigns?state=running&limit=100');
      // The campaign asked for stays in the list when it is not (or no longer) running.
      if (campaignId && !items.some((c) => c.id === campaignId)) items.unshift(await api(`/campaigns/${campaignId}`));
      setRunning(items);
    })().catch(() => setRunning([]));
  }, [campaignId]);
  const pick = (e) => (location.hash = `#/live/${e.target.value}`);
  return html`<section aria-labelledby="l-title">
    <h2 id="l-title">${t('l.title')}</h2>
    ${running && (running.length === 0 && !campaignId ? html`<p>${t('l.noneRunning')}</p>` : html`<div class="field">
      <label for="l-campaign">${t('l.pick')}</label>
      <select id="l-campaign" data-testid="l-campaign" value=${campaignId ?? ''} onChange=${pick}>
        <option value="">—</option>${running.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select></div>`)}
    ${campaignId && html`<${Board} key=${campaignId} id=${campaignId} />`}
  </section>`;
}
