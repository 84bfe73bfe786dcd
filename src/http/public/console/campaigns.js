// Campaigns: one page of the list with each campaign's figures, and its lifecycle buttons.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { number, t } from './i18n.js';
import { PAGE_SIZE, Pager } from './paging.js';

/** The dialer's figures, or null where it has none (no telephony engine, e.g. a bare API). */
const statsOf = (id) => api(`/campaigns/${id}/stats`).catch(() => null);

function Row({ c, stats, onAction, busy }) {
  return html`<tr data-testid="campaign-row" data-id=${c.id}>
    <td>${c.name}</td>
    <td>${c.mode}</td>
    <td><span class="state state-${c.state}" data-testid="campaign-state">${t('state.' + c.state)}</span>${c.pausedReason && html`<br /><small>${c.pausedReason}</small>`}</td>
    <td class="num">${number(stats?.contacts.total)}</td>
    <td class="num">${number(stats?.contacts.pending)}</td>
    <td class="num">${number(stats?.contacts.done)}</td>
    <td class="num">${number(stats?.calls.total)}</td>
    <td class="num">${number(stats?.answered)}</td>
    <td class="num">${number(stats?.calls.live)}</td>
    <td><div class="row">
      ${c.actions.map((a) => html`<button disabled=${busy} data-testid="act-${a}" onClick=${() => onAction(c, a)}>${t('act.' + a)}</button>`)}
      <a class="button" href="#/campaigns/${c.id}/edit" data-testid="edit">${t('c.edit')}</a>
      ${c.state !== 'finished' && html`<a class="button" href="#/upload/${c.id}">${t('c.upload')}</a>`}
      ${c.state === 'running' && html`<a class="button" href="#/live/${c.id}">${t('c.watch')}</a>`}
    </div></td>
  </tr>`;
}

export function CampaignsPage({ page }) {
  const [data, setData] = useState(null);
  const [stats, setStats] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    try {
      const list = await api(`/campaigns?limit=${PAGE_SIZE}&offset=${(page - 1) * PAGE_SIZE}`);
      setData(list);
      const figures = await Promise.all(list.items.map((c) => statsOf(c.id)));
      setStats(Object.fromEntries(list.items.map((c, i) => [c.id, figures[i]])));
    } catch (err) {
      setError(err.message);
    }
  };
  useEffect(() => void load(), [page]);
  const onAction = async (c, action) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/campaigns/${c.id}/${action}`, { method: 'POST' });
      await load();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<section aria-labelledby="c-title">
    <div class="row"><h2 id="c-title">${t('c.title')}</h2><a class="button primary" href="#/campaigns/new" data-testid="new-campaign">${t('c.new')}</a></div>
    <p class="err" role="alert">${error}</p>
    ${!data ? html`<p>${t('loading')}</p>` : data.items.length === 0 ? html`<p>${t('none')}</p>` : html`
      <div class="scroll"><table data-testid="campaigns">
        <thead><tr>
          <th>${t('c.name')}</th><th>${t('c.mode')}</th><th>${t('c.state')}</th><th class="num">${t('c.contacts')}</th><th class="num">${t('c.pending')}</th>
          <th class="num">${t('c.done')}</th><th class="num">${t('c.calls')}</th><th class="num">${t('c.answered')}</th><th class="num">${t('c.live')}</th><th>${t('c.actions')}</th>
        </tr></thead>
        <tbody>${data.items.map((c) => html`<${Row} key=${c.id} c=${c} stats=${stats[c.id]} onAction=${onAction} busy=${busy} />`)}</tbody>
      </table></div>
      <${Pager} page=${page} total=${data.total} onPage=${(p) => (location.hash = `#/campaigns?page=${p}`)} />`}
  </section>`;
}
