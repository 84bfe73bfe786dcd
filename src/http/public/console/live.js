// Live: a running campaign's figures, polled every second without reload — live calls by
// state, calls per minute, answer rate, AMD verdicts, results, agents with time in state,
// and messages — with a uPlot chart of this session's samples.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';
import { api } from './api.js';
import { number, t } from './i18n.js';

const EVERY_MS = 1000;
/** Calls per minute over the last this many samples (seconds). */
const RATE_WINDOW = 30;
const KEEP = 600;

async function sample(id) {
  const [stats, live, agents, messages] = await Promise.all([
    api(`/campaigns/${id}/stats`),
    api(`/calls?campaign=${id}&live=true&limit=500`),
    api('/agents'),
    api(`/campaigns/${id}/messages/stats`).catch(() => null),
  ]);
  return { at: Date.now(), stats, live: live.items, agents, messages };
}

function perMinute(history) {
  const a = history.at(-Math.min(history.length, RATE_WINDOW));
  const b = history.at(-1);
  if (!a || !b || b.at === a.at) return 0;
  return ((b.stats.calls.total - a.stats.calls.total) * 60_000) / (b.at - a.at);
}

function Chart({ history }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    plot.current = new uPlot({
      width: Math.min(1240, box.current.clientWidth || 800), height: 220, title: t('l.chart'),
      series: [{}, { label: t('l.perMinute'), stroke: '#0b4f8a', width: 2 }, { label: t('l.up'), stroke: '#17633a', width: 2 }],
      axes: [{}, {}],
    }, [[], [], []], box.current);
    return () => plot.current.destroy();
  }, []);
  useEffect(() => {
    const xs = [], rate = [], up = [];
    history.forEach((h, i) => {
      xs.push(h.at / 1000);
      rate.push(perMinute(history.slice(0, i + 1)));
      up.push(h.live.filter((c) => c.direction !== 'agent' && c.state === 'up').length);
    });
    plot.current?.setData([xs, rate, up]);
  }, [history]);
  return html`<div ref=${box} role="img" aria-label=${t('l.chart')}></div>`;
}

const Figure = ({ id, label, value, small }) => html`<div><dt>${label}</dt><dd data-testid=${id} class=${small ? 'small' : ''}>${value}</dd></div>`;
/** "pending 2 · done 1": the counts that are not zero. */
const breakdown = (counts) => Object.entries(counts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${number(v)}`).join(' · ') || '—';

function Board({ id }) {
  const [history, setHistory] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      try {
        const s = await sample(id);
        if (!stop) setHistory((old) => [...old.slice(-KEEP + 1), s]), setError(null);
      } catch (err) {
        if (!stop) setError(err.message);
      }
      if (!stop) timer = setTimeout(tick, EVERY_MS);
    };
    let timer = setTimeout(tick, 0);
    return () => ((stop = true), clearTimeout(timer));
  }, [id]);
  const now = history.at(-1);
  if (!now) return html`<p class="err" role="alert">${error}</p><p>${t('loading')}</p>`;
  const { stats, live, agents, messages } = now;
  const debtorCalls = live.filter((c) => c.direction !== 'agent');
  const ended = stats.calls.total - stats.calls.live;
  const pct = (n, of) => (of > 0 ? `${Math.round((100 * n) / of)} %` : '—');
  return html`<section data-testid="live" aria-live="off">
    <p class="err" role="alert">${error}</p>
    <dl class="facts live-figures">
      <${Figure} id="l-ringing" label=${t('l.ringing')} value=${debtorCalls.filter((c) => c.state !== 'up').length} />
      <${Figure} id="l-up" label=${t('l.up')} value=${debtorCalls.filter((c) => c.state === 'up').length} />
      <${Figure} id="l-agent" label=${t('l.agent')} value=${live.filter((c) => c.direction === 'agent' && c.state === 'up').length} />
      <${Figure} id="l-total" label=${t('c.calls')} value=${number(stats.calls.total)} />
      <${Figure} id="l-per-minute" label=${t('l.perMinute')} value=${perMinute(history).toFixed(1)} />
      <${Figure} id="l-answer-rate" label=${t('l.answerRate')} value=${pct(stats.answered, ended)} />
      <${Figure} id="l-machine" label=${t('l.machine')} value=${number(stats.machine)} />
      <${Figure} id="l-busy" label=${t('l.busy')} value=${number(stats.busy)} />
      <${Figure} id="l-noanswer" label=${t('l.noAnswer')} value=${number(stats.noAnswer)} />
      <${Figure} id="l-paylinks" label=${t('l.paylinks')} value=${number(stats.paylinks)} />
      <${Figure} id="l-agent-requests" label=${t('l.agentRequests')} value=${number(stats.agentRequests)} />
      <${Figure} id="l-contacts" label=${t('l.contacts')} value=${breakdown(stats.contacts)} small />
      ${messages && html`<${Figure} id="l-messages" label=${t('l.messages')} value=${breakdown(messages)} small />`}
    </dl>
    <${Chart} history=${history} />
    <h3>${t('l.agents')}</h3>
    <div class="scroll"><table data-testid="l-agents">
      <thead><tr><th>${t('c.name')}</th><th>${t('l.agentState')}</th><th class="num">${t('l.since')}</th></tr></thead>
      <tbody>${agents.map((a) => html`<tr><td>${a.name}</td><td>${a.state}</td><td class="num">${Math.max(0, Math.round((now.at - Date.parse(a.stateSince)) / 1000))} s</td></tr>`)}</tbody>
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
