import { html } from './html.js';
import { t } from './i18n.js';

export function DebtorPage() {
  return html`<h2>${t('d.title')}</h2>`;
}
