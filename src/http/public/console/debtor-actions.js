// The debtor page's actions besides the pay link: a number on the do-not-call list, and a
// payment or promise recorded for one claim. Each posts to its API route and shows the
// API's own message when it refuses; the page reloads the timeline on success.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { t } from './i18n.js';

function useNote() {
  const [note, setNote] = useState(null);
  const run = async (work) => {
    setNote(null);
    try {
      setNote({ ok: await work() });
    } catch (err) {
      setNote({ error: err.message });
    }
  };
  const view = (id) => html`<span class="ok" role="status" data-testid="${id}-ok">${note?.ok}</span><span class="err" role="alert" data-testid="${id}-error">${note?.error}</span>`;
  return [run, view];
}

export function DoNotCall({ debtor, onDone }) {
  const open = debtor.phones.filter((p) => !p.dnc);
  const [phone, setPhone] = useState(open[0]?.e164 ?? '');
  const [reason, setReason] = useState('');
  const [run, view] = useNote();
  // Every number listed: the form goes, what the last action said stays.
  if (!open.length) return html`<p class="row">${view('d-dnc')}</p>`;
  const submit = (e) => (e.preventDefault(), run(async () => {
    const r = await api(`/debtors/${debtor.id}/dnc`, { method: 'POST', json: { phone, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
    onDone();
    return t('d.dncDone', { e164: r.e164 });
  }));
  return html`<form class="row" onSubmit=${submit} aria-label=${t('d.dncAdd')} data-testid="d-dnc-form">
    <label for="d-dnc-phone">${t('d.dncPhone')}</label>
    <select id="d-dnc-phone" data-testid="d-dnc-phone" value=${phone} onChange=${(e) => setPhone(e.target.value)}>
      ${open.map((p) => html`<option value=${p.e164}>${p.e164}</option>`)}
    </select>
    <label for="d-dnc-reason">${t('d.dncReason')}</label>
    <input id="d-dnc-reason" data-testid="d-dnc-reason" value=${reason} maxlength="200" onInput=${(e) => setReason(e.target.value)} />
    <button data-testid="d-dnc">${t('d.dncAdd')}</button>
    ${view('d-dnc')}
  </form>`;
}

/** Today on the operator's clock as YYYY-MM-DD (the Swedish locale writes dates so). */
const today = () => new Date().toLocaleDateString('sv-SE');

export function RecordPayment({ debtor, onDone }) {
  const open = debtor.claims.filter((c) => c.open);
  const [kind, setKind] = useState('payment');
  const [claim, setClaim] = useState(open[0]?.id ?? '');
  const [amount, setAmount] = useState('');
  const [day, setDay] = useState(today());
  const [run, view] = useNote();
  if (!open.length) return null;
  const submit = (e) => (e.preventDefault(), run(async () => {
    // "12,50" or "12.50" → 1250 cents; the API checks the rest.
    const cents = amount.trim() ? Math.round(Number(amount.replace(/\./g, (m, i, s) => (s.includes(',') ? '' : m)).replace(',', '.')) * 100) : undefined;
    if (kind === 'payment') await api(`/claims/${claim}/payments`, { method: 'POST', json: { amountCents: cents, bookedOn: day } });
    else await api(`/claims/${claim}/promise`, { method: 'POST', json: { promiseDate: day, ...(cents ? { amountCents: cents } : {}) } });
    onDone();
    return t('d.recorded');
  }));
  return html`<form class="row" onSubmit=${submit} aria-label=${t('d.record')} data-testid="d-record-form">
    <label for="d-rec-kind">${t('d.recordKind')}</label>
    <select id="d-rec-kind" data-testid="d-rec-kind" value=${kind} onChange=${(e) => setKind(e.target.value)}>
      <option value="payment">${t('d.kindPayment')}</option><option value="promise">${t('d.kindPromise')}</option>
    </select>
    <label for="d-rec-claim">${t('d.recordClaim')}</label>
    <select id="d-rec-claim" data-testid="d-rec-claim" value=${claim} onChange=${(e) => setClaim(Number(e.target.value))}>
      ${open.map((c) => html`<option value=${c.id}>${c.invoiceRef}</option>`)}
    </select>
    <label for="d-rec-amount">${t('d.recordAmount')}</label>
    <input id="d-rec-amount" data-testid="d-rec-amount" inputmode="decimal" size="8" value=${amount} required=${kind === 'payment'} onInput=${(e) => setAmount(e.target.value)} />
    <label for="d-rec-date">${t('d.recordDate')}</label>
    <input id="d-rec-date" data-testid="d-rec-date" type="date" value=${day} required onInput=${(e) => setDay(e.target.value)} />
    <button data-testid="d-record">${t('d.recordGo')}</button>
    ${view('d-record')}
  </form>`;
}
