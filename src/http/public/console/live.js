import { html } from './html.js';
import { t } from './i18n.js';

export function LivePage() {
  return html`<h2>${t('l.title')}</h2>`;
}
