// A debtor who phones the office: search (number, name, phone, invoice), then one timeline
// of everything that happened to them, with their claims. Each request is one page.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, audioUrl, download } from './api.js';
import { money, number, t, when } from './i18n.js';
import { DoNotCall, RecordPayment } from './debtor-actions.js';

const SIZE = 20;

function Search({ q }) {
  const [text, setText] = useState(q);
  const [offset, setOffset] = useState(0);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => setOffset(0), [q]);
  useEffect(() => {
    if (!q) return setResult(null);
    setError(null);
    api(`/debtors?q=${encodeURIComponent(q)}&limit=${SIZE}&offset=${offset}`).then(setResult, (err) => setError(err.message));
  }, [q, offset]);
  const submit = (e) => (e.preventDefault(), (location.hash = `#/debtors?q=${encodeURIComponent(text.trim())}`));
  return html`<section aria-labelledby="d-title">
    <h2 id="d-title">${t('d.title')}</h2>
    <form class="row" role="search" onSubmit=${submit}>
      <label for="d-q" class="sr-only">${t('d.q')}</label>
      <input id="d-q" data-testid="d-q" type="search" size="40" placeholder=${t('d.q')} value=${text} onInput=${(e) => setText(e.target.value)} required />
      <button class="primary" data-testid="d-search">${t('d.search')}</button>
    </form>
    <p class="err" role="alert">${error}</p>
    ${result && (result.items.length === 0 ? html`<p data-testid="d-none">${t('d.none')}</p>` : html`
      <div class="scroll"><table data-testid="d-results" aria-label=${t('d.results')}>
        <thead><tr><th>${t('d.ref')}</th><th>${t('d.name')}</th><th>${t('d.phones')}</th><th class="num">${t('d.open')}</th></tr></thead>
        <tbody>${result.items.map((d) => html`<tr>
          <td><a href="#/debtors/${d.id}" data-testid="d-hit">${d.externalRef}</a></td><td>${d.name}</td><td>${d.phones.join(', ')}</td>
          <td class="num">${number(d.openClaims)} · ${money(d.openCents)}</td></tr>`)}</tbody>
      </table></div>
      <div class="row">
        <button disabled=${offset === 0} onClick=${() => setOffset(offset - SIZE)}>${t('prev')}</button>
        <button disabled=${!result.hasMore} onClick=${() => setOffset(offset + SIZE)}>${t('next')}</button>
      </div>`)}
  </section>`;
}

/** The fields of an entry that say something, as "name: value". */
function details(e) {
  const d = { ...e.detail };
  if (d.amountCents != null) d.amountCents = money(d.amountCents, d.currency ?? 'EUR');
  delete d.currency;
  return Object.entries(d).filter(([, v]) => v !== null && v !== '' && v !== false).map(([k, v]) => `${k}: ${v === true ? '✓' : v}`).join(' · ');
}

function Claims({ claims }) {
  return html`<div class="scroll"><table data-testid="d-claims" aria-label=${t('d.claims')}>
    <thead><tr><th>${t('d.invoice')}</th><th>${t('d.creditor')}</th><th class="num">${t('d.amount')}</th><th>${t('d.due')}</th><th>${t('d.status')}</th></tr></thead>
    <tbody>${claims.map((c) => html`<tr data-open=${c.open}>
      <td>${c.invoiceRef}</td><td>${c.creditor}</td><td class="num">${money(c.amountCents - c.paidCents, c.currency)}</td><td>${c.dueDate ?? '—'}</td><td>${c.status}</td></tr>`)}</tbody>
  </table></div>`;
}

/** The pay link by SMS or e-mail, as the API allows (it refuses an opted-out address, a cap reached, with its reason). */
function PayLink({ debtor, onSent }) {
  const [note, setNote] = useState(null);
  const send = async (channel) => {
    setNote(null);
    try {
      const m = await api(`/debtors/${debtor.id}/messages`, { method: 'POST', json: { channel, kind: 'paylink' } });
      setNote({ ok: t('d.queued', { id: m.id, status: m.status }) });
      onSent();
    } catch (err) {
      setNote({ error: err.message });
    }
  };
  const channels = ['sms', ...(debtor.email ? ['email'] : [])];
  return html`<div class="row">
    ${channels.map((c) => html`<button data-testid="d-paylink-${c}" onClick=${() => send(c)}>${t('d.payLink', { channel: c === 'sms' ? 'SMS' : 'e-mail' })}</button>`)}
    <span class="ok" role="status" data-testid="d-action-ok">${note?.ok}</span><span class="err" role="alert" data-testid="d-action-error">${note?.error}</span>
  </div>`;
}

/** The recordings of the debtor's conversations with agents: played here or downloaded (docs/call-recordings.md). */
function Recordings({ id }) {
  const [items, setItems] = useState(null);
  const [playing, setPlaying] = useState({});
  const [error, setError] = useState(null);
  useEffect(() => {
    api(`/debtors/${id}/recordings`).then((r) => setItems(r.items), (err) => setError(err.message));
    return () => Object.values(playing).forEach((u) => URL.revokeObjectURL(u));
  }, [id]);
  const play = async (r) => {
    try {
      const url = await audioUrl(r.url);
      setPlaying((old) => ({ ...old, [r.id]: url }));
    } catch (err) {
      setError(err.message);
    }
  };
  if (items === null) return html`<p class="err" role="alert">${error}</p>`;
  return html`<h3>${t('rec.title')}</h3>
    ${!items.length ? html`<p data-testid="rec-none">${t('rec.none')}</p>` : html`<ul class="recordings" data-testid="rec-list">${items.map((r) => html`<li data-recording=${r.id}>
      ${when(r.startedAt)} · ${r.durationSec !== null ? t('rec.length', { n: r.durationSec }) : t('rec.state.' + r.state)}${r.announced ? ` · ${t('rec.announced')}` : ''}
      ${r.url && html` <button data-testid="rec-play" onClick=${() => play(r)}>${t('rec.play')}</button>
        <button data-testid="rec-download" onClick=${() => download(r.url, `recording-${r.id}.wav`).catch((err) => setError(err.message))}>${t('rec.download')}</button>`}
      ${playing[r.id] && html`<audio controls autoplay src=${playing[r.id]} data-testid="rec-audio"></audio>`}
    </li>`)}</ul>`}
    <p class="err" role="alert">${error}</p>`;
}

function Debtor({ id }) {
  const [data, setData] = useState(null);
  const [entries, setEntries] = useState([]);
  const [error, setError] = useState(null);
  const load = async (cursor) => {
    try {
      const page = await api(`/debtors/${id}/timeline?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      setData(page);
      setEntries((old) => (cursor ? [...old, ...page.entries] : page.entries));
    } catch (err) {
      setError(err.message);
    }
  };
  useEffect(() => void load(), [id]);
  if (!data) return html`<p class="err" role="alert">${error}</p><p>${t('loading')}</p>`;
  const d = data.debtor;
  return html`<section aria-labelledby="d-name">
    <p><button onClick=${() => history.back()}>${t('d.back')}</button></p>
    <h2 id="d-name" data-testid="d-name">${d.name} <small>(${d.externalRef})</small></h2>
    <dl class="facts">
      <dt>${t('d.phones')}</dt><dd data-testid="d-phones">${d.phones.map((p) => html`<span>${p.e164}${p.dnc ? ` (${t('d.dnc')})` : ''} </span>`)}</dd>
      <dt>${t('d.email')}</dt><dd>${d.email ?? '—'}</dd>
    </dl>
    <h3>${t('d.actions')}</h3>
    <${PayLink} debtor=${d} onSent=${() => load()} />
    <${DoNotCall} debtor=${d} onDone=${() => load()} />
    <${RecordPayment} debtor=${d} onDone=${() => load()} />
    <h3>${t('d.claims')}</h3>
    <${Claims} claims=${d.claims} />
    <${Recordings} id=${id} />
    <h3>${t('d.timeline')}</h3>
    <div class="scroll"><table data-testid="d-timeline">
      <thead><tr><th>${t('d.when')}</th><th>${t('d.what')}</th><th></th></tr></thead>
      <tbody>${entries.map((e) => html`<tr data-kind=${e.kind} data-id=${e.id}><td>${when(e.at)}</td><td>${t('k.' + e.kind)}</td><td>${details(e)}</td></tr>`)}</tbody>
    </table></div>
    ${data.nextCursor && html`<button onClick=${() => load(data.nextCursor)}>${t('d.more')}</button>`}
    <p class="err" role="alert">${error}</p>
  </section>`;
}

export function DebtorPage({ id, q }) {
  return id ? html`<${Debtor} id=${id} />` : html`<${Search} q=${q} />`;
}
