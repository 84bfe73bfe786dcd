// Upload a CSV into a campaign: the import runs in the background (202 + polling), then
// the result: counts, the file's format, every bad row (paged by the server), the rejects
// CSV, and one click to import only the good rows.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, download } from './api.js';
import { number, t } from './i18n.js';
import { PAGE_SIZE, Pager } from './paging.js';

const POLL_MS = 500;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function CampaignPicker({ value, onPick }) {
  const [items, setItems] = useState([]);
  useEffect(() => void api('/campaigns?limit=100').then((d) => setItems(d.items.filter((c) => c.state !== 'finished'))), []);
  return html`<div class="field">
    <label for="u-campaign">${t('u.campaign')}</label>
    <select id="u-campaign" data-testid="u-campaign" value=${value ?? ''} onChange=${(e) => onPick(Number(e.target.value))}>
      <option value="">—</option>
      ${items.map((c) => html`<option value=${c.id}>${c.name} (${t('state.' + c.state)})</option>`)}
    </select>
  </div>`;
}

function DropZone({ disabled, onFile }) {
  const [over, setOver] = useState(false);
  const drop = (e) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer?.files?.[0];
    if (f && !disabled) onFile(f);
  };
  return html`<label class="drop ${over ? 'over' : ''}" data-testid="drop" onDragOver=${(e) => (e.preventDefault(), setOver(true))} onDragLeave=${() => setOver(false)} onDrop=${drop}>
    ${t('u.drop')}
    <span class="sr-only">${t('u.pick')}</span>
    <input type="file" accept=".csv,text/csv" data-testid="u-file" disabled=${disabled} onChange=${(e) => e.target.files[0] && onFile(e.target.files[0])} />
  </label>`;
}

function Result({ report, page, onPage, onGoodRows, busy }) {
  const r = report.import;
  const f = report.format;
  const good = r.rowsTotal - r.rowsRejected;
  return html`<section aria-labelledby="u-result" data-testid="u-result" data-status=${r.status}>
    <h3 id="u-result">${t('u.status')}: <span data-testid="u-status">${t('u.status.' + r.status)}</span></h3>
    ${r.error && html`<p class="err">${r.error}</p>`}
    <dl class="facts">
      <dt>${t('u.rows')}</dt><dd data-testid="u-rows">${number(r.rowsTotal)}</dd>
      <dt>${t('u.imported')}</dt><dd data-testid="u-imported">${number(r.rowsImported)}</dd>
      <dt>${t('u.rejected')}</dt><dd data-testid="u-rejected">${number(r.rowsRejected)}</dd>
      <dt>${t('u.debtors')}</dt><dd>${number(r.debtorsCreated)}</dd>
      <dt>${t('u.claims')}</dt><dd>${number(r.claimsCreated)} / ${number(r.claimsUpdated)}</dd>
      <dt>${t('u.encoding')}</dt><dd data-testid="u-encoding">${f?.encoding ?? t('u.unknown')}</dd>
      <dt>${t('u.delimiter')}</dt><dd data-testid="u-delimiter">${f ? (f.delimiter === '\t' ? 'tab' : f.delimiter) : t('u.unknown')}</dd>
      <dt>${t('u.ignored')}</dt><dd data-testid="u-ignored">${f ? f.ignoredColumns.join(', ') || '—' : t('u.unknown')}</dd>
    </dl>
    ${r.rowsRejected > 0 && html`
      <div class="row">
        <button data-testid="u-rejects" onClick=${() => download(`/imports/${r.id}/rejects.csv`, `import-${r.id}-rejects.csv`)}>${t('u.rejects')}</button>
        ${r.status === 'rejected' && good > 0 && html`<button class="primary" data-testid="u-good-rows" disabled=${busy} onClick=${onGoodRows}>${t('u.goodRows', { n: number(good) })}</button>`}
      </div>
      <h3>${t('u.badRows')} (${number(report.errorsTotal)})</h3>
      ${report.errorsTruncated && html`<p>${t('u.truncated')}</p>`}
      <div class="scroll"><table data-testid="u-errors">
        <thead><tr><th class="num">${t('u.line')}</th><th>${t('u.column')}</th><th>${t('u.value')}</th><th>${t('u.reason')}</th></tr></thead>
        <tbody>${report.errors.map((e) => html`<tr><td class="num">${e.line}</td><td>${e.column ?? ''}</td><td>${e.value ?? ''}</td><td>${e.reason}</td></tr>`)}</tbody>
      </table></div>
      <${Pager} id="u-pager" page=${page} total=${report.errorsTotal} onPage=${onPage} />`}
  </section>`;
}

export function UploadPage({ campaignId }) {
  const [campaign, setCampaign] = useState(campaignId);
  const [file, setFile] = useState(null);
  const [progress, setProgress] = useState(null);
  const [report, setReport] = useState(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const load = (id, p) => api(`/imports/${id}?limit=${PAGE_SIZE}&offset=${(p - 1) * PAGE_SIZE}`);
  const run = async (f, skipInvalid) => {
    setError(null), setReport(null), setPage(1), setFile(f);
    try {
      const started = await api(`/campaigns/${campaign}/imports?async=true&skipInvalid=${skipInvalid}`, {
        method: 'POST', body: f, headers: { 'content-type': 'text/csv', 'x-file-name': f.name },
      });
      let r = await load(started.import.id, 1);
      while (r.import.status === 'running' && alive.current) {
        setProgress(r.progress);
        await sleep(POLL_MS);
        r = await load(started.import.id, 1);
      }
      setProgress(null), setReport(r);
    } catch (err) {
      setProgress(null), setError(err.message);
    }
  };
  const onPage = async (p) => {
    setPage(p);
    setReport(await load(report.import.id, p));
  };
  const running = progress !== null || (file && !report && !error);
  return html`<section aria-labelledby="u-title">
    <h2 id="u-title">${t('u.title')}</h2>
    <${CampaignPicker} value=${campaign} onPick=${setCampaign} />
    <${DropZone} disabled=${!campaign || running} onFile=${(f) => run(f, false)} />
    <p role="status" data-testid="u-progress">${running && file && t('u.running', { file: file.name, phase: t('u.' + (progress?.phase ?? 'validating')), rows: number(progress?.rows ?? 0) })}</p>
    <p class="err" role="alert" data-testid="u-error">${error}</p>
    ${report && html`<${Result} report=${report} page=${page} onPage=${onPage} busy=${running} onGoodRows=${() => run(file, true)} />`}
  </section>`;
}
