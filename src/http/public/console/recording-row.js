// One key of the recordings page: the words to say, what a call plays now (the take, or
// TTS), and for admins the upload (multipart `file`, as PUT /recordings/:lang/:key takes it)
// and removal. A refused upload shows the API's reason as it was sent.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { t, when } from './i18n.js';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function State({ r }) {
  if (!r) return html`<span class="src src-tts">TTS</span>`;
  if (!r.current) return html`<span class="src src-stale" title=${t('rec.staleHelp')}>${t('rec.stale')}</span>`;
  return html`<span class="src src-recording">${t('rec.recorded')}</span>`;
}

export function TakeRow({ slot, lang, mayChange, onPlay, onChanged }) {
  const { key, recorded: r } = slot;
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState(null);
  const [error, setError] = useState(null);
  const work = async (fn) => {
    setBusy(true), setError(null), setMsg(null);
    try {
      setMsg(await fn());
      await onChanged();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  const upload = (e) => {
    const file = e.target.files[0];
    e.target.value = ''; // the same file again is a new attempt
    if (!file) return;
    const body = new FormData();
    body.append('file', file, file.name);
    work(async () => {
      const res = await api(`/recordings/${lang}/${key}`, { method: 'PUT', body });
      return t('rec.accepted', { file: file.name, secs: seconds(res.durationMs), version: res.version });
    });
  };
  const remove = () => confirm(t('rec.removeConfirm', { key })) && work(async () => {
    const res = await api(`/recordings/${lang}/${key}`, { method: 'DELETE' });
    return t('rec.removed', { version: res.version });
  });
  const status = `rec-status-${key}`;
  return html`<tr data-testid="rec-row-${key}" data-state=${r ? (r.current ? 'recorded' : 'stale') : 'tts'}>
    <td><code>${key}</code></td>
    <td lang=${lang}>${slot.text}</td>
    <td data-testid="rec-state-${key}"><${State} r=${r} /></td>
    <td data-testid="rec-take-${key}">${r && html`${seconds(r.durationMs)} · ${when(r.uploadedAt)}${r.uploadedBy ? ` · ${r.uploadedBy}` : ''} · v${r.version}`}</td>
    <td>
      <div class="actions">
        ${r && html`<button data-testid="rec-play-${key}" aria-label=${t('rec.playTake', { key })} onClick=${() => onPlay(`/recordings/${lang}/${key}/audio`, key)}>${t('rec.play')}</button>`}
        ${mayChange && html`<label class="button" data-testid="rec-upload-${key}">${r ? t('rec.replace') : t('rec.upload')}<span class="sr-only"> ${key}</span>
          <input type="file" class="sr-only" accept=".wav,.mp3,audio/wav,audio/x-wav,audio/mpeg" data-testid="rec-file-${key}" disabled=${busy} aria-describedby=${status} onChange=${upload} />
        </label>`}
        ${mayChange && r && html`<button data-testid="rec-remove-${key}" aria-label=${t('rec.removeTake', { key })} disabled=${busy} onClick=${remove}>${t('rec.remove')}</button>`}
      </div>
      <div id=${status}>
        ${busy && html`<p role="status">${t('rec.checking')}</p>`}
        ${msg && html`<p class="ok" role="status" data-testid="rec-msg-${key}">${msg}</p>`}
        ${error && html`<p class="err" role="alert" data-testid="rec-err-${key}">${error}</p>`}
      </div>
    </td>
  </tr>`;
}
