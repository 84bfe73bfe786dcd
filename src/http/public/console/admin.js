// Admin: agents (create with skills, the desktop token shown once), API tokens (create with
// a role, list, revoke), the effective configuration with secrets hidden, and health.
// An operator token sees the API's refusal (admin only) instead.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { t, when } from './i18n.js';

/** A token shown once, with the warning that it will not be shown again. */
const Secret = ({ id, value }) => value && html`<p class="ok" role="status"><strong>${t('a.tokenShown')}</strong> <code data-testid=${id}>${value}</code></p>`;

/** Runs an action, then reloads the list; the API's refusal goes to setError. */
const runner = (setError, load) => async (work) => {
  setError(null);
  try {
    await work();
    await load();
  } catch (err) {
    setError(err.message);
  }
};

function Agents() {
  const [agents, setAgents] = useState([]);
  const [form, setForm] = useState({ name: '', endpoint: '', skills: '' });
  const [shown, setShown] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('/agents').then(setAgents, (err) => setError(err.message));
  useEffect(() => void load(), []);
  const run = runner(setError, load);
  const act = (work) => (e) => (e?.preventDefault(), run(work));
  const create = act(async () => {
    await api('/agents', { method: 'POST', json: { name: form.name, endpoint: form.endpoint, skills: form.skills.split(',').map((s) => s.trim()).filter(Boolean) } });
    setForm({ name: '', endpoint: '', skills: '' });
  });
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  return html`<section aria-labelledby="a-agents-title">
    <h3 id="a-agents-title">${t('a.agents')}</h3>
    <div class="scroll"><table data-testid="a-agents">
      <thead><tr><th>${t('a.agentName')}</th><th>${t('a.endpoint')}</th><th>${t('a.skills')}</th><th>${t('l.agentState')}</th><th></th></tr></thead>
      <tbody>${agents.map((a) => html`<tr><td>${a.name}</td><td>${a.endpoint}</td><td>${a.skills.join(', ')}</td><td>${a.state}</td>
        <td><button onClick=${act(async () => setShown((await api(`/agents/${a.id}/token`, { method: 'POST' })).token))}>${t('a.desktopToken')}</button></td></tr>`)}</tbody>
    </table></div>
    <${Secret} id="a-agent-token" value=${shown} />
    <form class="row" onSubmit=${create} aria-label=${t('a.addAgent')}>
      <label for="a-name">${t('a.agentName')}</label><input id="a-name" required maxlength="100" value=${form.name} onInput=${set('name')} />
      <label for="a-endpoint">${t('a.endpoint')}</label><input id="a-endpoint" required placeholder="PJSIP/agent1001" value=${form.endpoint} onInput=${set('endpoint')} />
      <label for="a-skills">${t('a.skills')}</label><input id="a-skills" value=${form.skills} onInput=${set('skills')} />
      <button class="primary">${t('a.addAgent')}</button>
    </form>
    <p class="err" role="alert">${error}</p>
  </section>`;
}

function Tokens() {
  const [tokens, setTokens] = useState(null);
  const [form, setForm] = useState({ name: '', role: 'operator' });
  const [shown, setShown] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('/tokens').then(setTokens, (err) => setError(err.message));
  useEffect(() => void load(), []);
  const run = runner(setError, load);
  const create = (e) => (e.preventDefault(), run(async () => {
    const made = await api('/tokens', { method: 'POST', json: { name: form.name.trim(), role: form.role } });
    setShown(made.token);
    setForm({ ...form, name: '' });
  }));
  return html`<section aria-labelledby="a-tokens-title">
    <h3 id="a-tokens-title">${t('a.tokens')}</h3>
    ${tokens && html`<div class="scroll"><table data-testid="a-tokens">
      <thead><tr><th>${t('a.tokenName')}</th><th>${t('a.role')}</th><th>${t('a.created')}</th><th>${t('a.lastUsed')}</th><th></th></tr></thead>
      <tbody>${tokens.map((k) => html`<tr data-id=${k.id} data-revoked=${!!k.revokedAt}><td>${k.name}</td><td>${k.role}</td><td>${when(k.createdAt)}</td><td>${when(k.lastUsedAt)}</td>
        <td>${k.revokedAt ? `${t('a.revoked')} ${when(k.revokedAt)}` : html`<button data-testid="a-revoke-${k.id}" aria-label="${t('a.revoke')} ${k.name}" onClick=${() => run(() => api(`/tokens/${k.id}`, { method: 'DELETE' }))}>${t('a.revoke')}</button>`}</td></tr>`)}</tbody>
    </table></div>`}
    <${Secret} id="a-new-token" value=${shown} />
    <form class="row" onSubmit=${create} aria-label=${t('a.createToken')}>
      <label for="a-token-name">${t('a.tokenName')}</label>
      <input id="a-token-name" data-testid="a-token-name" required maxlength="100" value=${form.name} onInput=${(e) => setForm({ ...form, name: e.target.value })} />
      <label for="a-token-role">${t('a.role')}</label>
      <select id="a-token-role" data-testid="a-token-role" value=${form.role} onChange=${(e) => setForm({ ...form, role: e.target.value })}>
        <option value="operator">operator</option><option value="admin">admin</option>
      </select>
      <button class="primary" data-testid="a-token-create">${t('a.createToken')}</button>
    </form>
    <p class="err" role="alert" data-testid="a-tokens-error">${error}</p>
  </section>`;
}

function Health() {
  const [health, setHealth] = useState(null);
  const [config, setConfig] = useState(null);
  useEffect(() => {
    fetch('/healthz').then((r) => r.json()).then(setHealth, () => setHealth(null));
    api('/admin/config').then(setConfig, () => setConfig(null));
  }, []);
  return html`<section aria-labelledby="a-health-title">
    <h3 id="a-health-title">${t('a.health')}</h3>
    ${health && html`<dl class="facts" data-testid="a-health">
      <dt>${t('c.state')}</dt><dd>${health.status}</dd>
      <dt>${t('a.telephony')}</dt><dd>${health.telephony ? `${health.telephony.state}${health.telephony.simulated ? ' (sim)' : ''} · ${when(health.telephony.since)}` : '—'}</dd>
      <dt>${t('a.messaging')}</dt><dd>${(health.messaging ?? []).map((m) => `${m.channel}: ${m.state}`).join(' · ') || '—'}</dd>
    </dl>`}
    ${config && html`<details><summary><h3 style="display:inline">${t('a.config')}</h3></summary>
      <pre class="scroll" data-testid="a-config" tabindex="0">${JSON.stringify(config, null, 2)}</pre></details>`}
  </section>`;
}

export function AdminPage() {
  return html`<section aria-labelledby="a-title">
    <h2 id="a-title">${t('a.title')}</h2>
    <${Tokens} />
    <${Agents} />
    <${Health} />
  </section>`;
}
