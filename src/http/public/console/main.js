// The console's shell: log-in with a token, navigation, language, and the hash router.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, session } from './api.js';
import { LANGUAGES, currentLang, setLang, t } from './i18n.js';
import { CampaignsPage } from './campaigns.js';
import { CampaignForm } from './campaign-form.js';
import { UploadPage } from './upload.js';
import { DebtorPage } from './debtor.js';
import { LivePage } from './live.js';
import { ReportsPage } from './reports.js';
import { AdminPage } from './admin.js';
import { RecordingsPage } from './recordings.js';
import { SupervisePage } from './supervise.js';

const PAGES = [['campaigns', 'nav.campaigns'], ['upload', 'nav.upload'], ['debtors', 'nav.debtors'], ['live', 'nav.live'], ['reports', 'nav.reports'], ['recordings', 'nav.recordings'], ['admin', 'nav.admin']];
const SUPERVISE = ['supervise', 'nav.supervise'];
/** What each kind of login sees: a supervisor only the live agent calls; an admin everything. */
const pagesFor = (role) => (role === 'supervisor' ? [SUPERVISE] : role === 'admin' ? [...PAGES, SUPERVISE] : PAGES);

/** Whether the token may list live agent calls (a supervisor or an admin token). */
async function maySupervise() {
  try {
    await api('/supervisor/calls');
    return true;
  } catch {
    return false;
  }
}

/** '#/campaigns/3/edit?x=1' → { parts: ['campaigns','3','edit'], query: URLSearchParams }. */
function parseHash() {
  const [path, q = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  return { parts: parts.length ? parts : ['campaigns'], query: new URLSearchParams(q) };
}

function Login({ onIn }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    session.save(token.trim());
    try {
      // Any operator route tells who this is: 403 is an agent or supervisor token, 401 an unknown one.
      await api('/campaigns?limit=1');
      session.setRole((await maySupervise()) ? 'admin' : 'operator');
      onIn();
    } catch (err) {
      if (err.status === 403 && (await maySupervise())) {
        session.setRole('supervisor');
        location.hash = '#/supervise';
        return onIn();
      }
      session.clear();
      setError(err.status === 403 ? t('login.agent') : err.status === 401 ? t('login.unknown') : err.message);
    }
  };
  return html`<form class="login" onSubmit=${submit} data-testid="login">
    <h2>${t('login.title')}</h2>
    <label for="token">${t('login.token')}</label>
    <input id="token" data-testid="token" type="password" autocomplete="off" required value=${token} onInput=${(e) => setToken(e.target.value)} aria-describedby="login-hint login-error" />
    <p id="login-hint" class="hint">${t('login.hint')}</p>
    <p id="login-error" class="err" role="alert" data-testid="login-error">${error}</p>
    <button class="primary" data-testid="login-button">${t('login.go')}</button>
  </form>`;
}

function Page({ route }) {
  const [first, id, sub] = route.parts;
  if (first === 'supervise' || session.role() === 'supervisor') return html`<${SupervisePage} />`;
  if (first === 'campaigns' && id === 'new') return html`<${CampaignForm} />`;
  if (first === 'campaigns' && sub === 'edit') return html`<${CampaignForm} id=${Number(id)} />`;
  if (first === 'upload') return html`<${UploadPage} campaignId=${id ? Number(id) : undefined} />`;
  if (first === 'debtors') return html`<${DebtorPage} id=${id ? Number(id) : undefined} q=${route.query.get('q') ?? ''} />`;
  if (first === 'reports') return html`<${ReportsPage} campaignId=${id ? Number(id) : undefined} from=${route.query.get('from') ?? ''} to=${route.query.get('to') ?? ''} />`;
  if (first === 'admin') return html`<${AdminPage} />`;
  if (first === 'recordings') return html`<${RecordingsPage} lang=${id} />`;
  if (first === 'live') return html`<${LivePage} campaignId=${id ? Number(id) : undefined} />`;
  return html`<${CampaignsPage} page=${Number(route.query.get('page') ?? 1)} />`;
}

function App() {
  const [loggedIn, setLoggedIn] = useState(!!session.token());
  const [route, setRoute] = useState(parseHash());
  const [, setLangState] = useState(currentLang());
  useEffect(() => {
    const on = () => setRoute(parseHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  // A token revoked while the tab is open: back to the log-in.
  useEffect(() => {
    const on = () => setLoggedIn(false);
    addEventListener('bereik:unauthorised', on);
    return () => removeEventListener('bereik:unauthorised', on);
  }, []);
  const changeLang = (l) => (setLang(l), setLangState(l));
  const logout = () => (session.clear(), setLoggedIn(false));
  return html`
    <a class="sr-only" href="#main">${t('skip')}</a>
    <header>
      <h1>${t('title')}</h1>
      ${loggedIn && html`<nav aria-label="${t('title')}">${pagesFor(session.role()).map(([p, key]) => html`
        <a href="#/${p}" data-testid="nav-${p}" aria-current=${route.parts[0] === p ? 'page' : undefined}>${t(key)}</a>`)}</nav>`}
      <div class="tools">
        <label for="lang" class="sr-only">${t('language')}</label>
        <select id="lang" data-testid="lang" value=${currentLang()} onChange=${(e) => changeLang(e.target.value)}>
          ${LANGUAGES.map(([v, name]) => html`<option value=${v}>${name}</option>`)}
        </select>
        ${loggedIn && html`<button onClick=${logout} data-testid="logout">${t('logout')}</button>`}
      </div>
    </header>
    <main id="main" tabindex="-1">
      ${loggedIn ? html`<${Page} route=${route} />` : html`<${Login} onIn=${() => setLoggedIn(true)} />`}
    </main>`;
}

const root = document.getElementById('app');
root.textContent = ''; // the "loading" placeholder: render() adds beside what is there
render(html`<${App} />`, root);
