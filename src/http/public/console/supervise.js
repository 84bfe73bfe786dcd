// Supervisors: the live conversations between debtors and agents (agent, campaign, since
// when, the debtor's number masked), and Listen / Whisper / Barge / Stop on one. The first
// choice rings the supervisor's own phone; later ones switch what that phone hears
// (docs/supervisors.md). The list is asked for again every two seconds.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { t, when } from './i18n.js';

const EVERY_MS = 2000;
const MODES = ['listen', 'whisper', 'barge'];

export function SupervisePage() {
  const [calls, setCalls] = useState(null);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const load = async () => {
    try {
      setCalls((await api('/supervisor/calls')).items);
    } catch (err) {
      setError(err.message);
    }
  };
  useEffect(() => {
    void load();
    const timer = setInterval(load, EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  const act = async (callId, mode) => {
    setBusy(callId);
    setError(null);
    try {
      if (mode === 'stop') await api(`/supervisor/calls/${encodeURIComponent(callId)}/supervise`, { method: 'DELETE' });
      else await api(`/supervisor/calls/${encodeURIComponent(callId)}/supervise`, { method: 'POST', json: { mode } });
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(null);
      await load();
    }
  };
  return html`<section aria-labelledby="s-title">
    <h2 id="s-title">${t('s.title')}</h2>
    <p class="hint">${t('s.hint')}</p>
    <p class="err" role="alert" data-testid="s-error">${error}</p>
    ${calls === null ? html`<p>${t('loading')}</p>` : !calls.length ? html`<p data-testid="s-none">${t('s.none')}</p>` : html`
    <div class="scroll"><table data-testid="s-calls">
      <thead><tr><th>${t('s.agent')}</th><th>${t('s.campaign')}</th><th>${t('s.since')}</th><th>${t('s.debtor')}</th><th>${t('s.mode')}</th><th>${t('c.actions')}</th></tr></thead>
      <tbody>${calls.map((c) => html`<tr data-call=${c.callId}>
        <td>${c.agentName}</td><td>${c.campaignId ?? '—'}</td><td>${when(c.since)}</td><td>${c.debtor}</td>
        <td data-testid="s-mode">${c.supervision ? t('s.' + c.supervision.mode) : '—'}</td>
        <td class="actions">
          ${MODES.map((m) => html`<button data-testid=${'s-' + m} disabled=${busy === c.callId || c.supervision?.mode === m} aria-pressed=${c.supervision?.mode === m ? 'true' : 'false'} onClick=${() => act(c.callId, m)}>${t('s.' + m)}</button>`)}
          <button data-testid="s-stop" disabled=${busy === c.callId || !c.supervision} onClick=${() => act(c.callId, 'stop')}>${t('s.stop')}</button>
        </td>
      </tr>`)}</tbody>
    </table></div>`}
  </section>`;
}
