// Previous / next for a list the server pages (limit + offset, with a total).
import { html } from './html.js';
import { t } from './i18n.js';

export const PAGE_SIZE = 20;

export function Pager({ page, total, size = PAGE_SIZE, onPage, id }) {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  return html`<div class="row" role="navigation" aria-label=${t('page', { n: page, of: pages })} data-testid=${id}>
    <button disabled=${page <= 1} onClick=${() => onPage(page - 1)}>${t('prev')}</button>
    <span>${t('page', { n: page, of: pages })}</span>
    <button disabled=${page >= pages} onClick=${() => onPage(page + 1)}>${t('next')}</button>
  </div>`;
}
