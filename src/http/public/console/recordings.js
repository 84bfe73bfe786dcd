// Recordings: the takes of each prompt piece and number word for one language
// (GET /recordings/:lang), what is recorded and what is synthesised, every prompt as the
// debtor will hear it for the sample case (GET /recordings/:lang/preview), and, for admins
// (the API says so with `mayChange`), uploading, replacing and removing takes. Takes are
// versioned per language, shared by every campaign calling in it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, blobUrl } from './api.js';
import { money, number, t } from './i18n.js';
import { TakeRow } from './recording-row.js';

/** The languages prompts are written in (src/tts/prompts.ts LANGUAGES). */
const PROMPT_LANGUAGES = ['nl', 'en'];

/** The one player of the page: the last thing asked for, fetched with the token as a blob. */
function Player({ playing }) {
  const audio = useRef(null);
  useEffect(() => {
    if (playing?.url) audio.current?.play().catch(() => {}); // autoplay may be refused: the controls stay
    return () => playing?.url && URL.revokeObjectURL(playing.url);
  }, [playing?.url]);
  return html`<div class="player" role="region" aria-label=${t('rec.player')}>
    <span id="rec-playing" data-testid="rec-playing" aria-live="polite">${playing ? t('rec.playing', { what: playing.label }) : t('rec.nothingPlaying')}</span>
    <audio ref=${audio} controls preload="auto" data-testid="rec-audio" aria-labelledby="rec-playing" src=${playing?.url}></audio>
  </div>`;
}

/** A prompt's parts for the sample case: recorded or synthesised, number words joined into one run. */
function Parts({ parts }) {
  const runs = [];
  for (const p of parts) {
    const word = p.source === 'recording' && p.key.startsWith('word.');
    const last = runs[runs.length - 1];
    if (word && last?.word) last.text += ` ${p.text}`;
    else runs.push({ source: p.source, word, text: p.text.trim() });
  }
  return html`<p class="parts" data-testid="rec-parts">${runs.map((r) => html`<span><span class="src src-${r.source}">${r.source === 'tts' ? 'TTS' : t(r.word ? 'rec.words' : 'rec.take')}</span>${r.text} </span>`)}</p>`;
}

/** One prompt as a row group of the prompts table: its name, how it plays now, and its pieces. */
function Prompt({ name, slots, preview, lang, mayChange, onPlay, onChanged }) {
  const recorded = slots.filter((s) => s.recorded?.current).length;
  return html`<tbody data-testid="rec-prompt-${name}">
    <tr class="group"><th colspan="5" scope="rowgroup" id="rec-p-${name}">
      <div class="row">
        <code>${name}</code>
        <span class="count">${t('rec.piecesRecorded', { n: number(recorded), of: number(slots.length) })}</span>
        ${preview && html`<button data-testid="rec-preview-${name}" aria-label="${t('rec.preview')}: ${name}" onClick=${() => onPlay(preview.wav, t('rec.previewOf', { key: name }))}>${t('rec.preview')}</button>`}
      </div>
      ${recorded > 0 && recorded < slots.length && html`<p class="hint" data-testid="rec-partial-${name}">${t('rec.partial', { n: number(slots.length - recorded) })}</p>`}
      ${preview && html`<${Parts} parts=${preview.parts} />`}
    </th></tr>
    ${slots.map((s) => html`<${TakeRow} key=${s.key} slot=${s} lang=${lang} mayChange=${mayChange} onPlay=${onPlay} onChanged=${onChanged} />`)}
  </tbody>`;
}

const Head = () => html`<thead><tr><th>${t('rec.key')}</th><th>${t('rec.text')}</th><th>${t('rec.state')}</th><th>${t('rec.take')}</th><th><span class="sr-only">${t('c.actions')}</span></th></tr></thead>`;

/** The made-up case every preview speaks about, for the line above the prompts. */
const sampleVars = (s) => ({ name: s.debtorName, creditor: s.creditor, amount: money(s.amountCents, s.currency), due: s.dueDate, invoice: s.invoiceRef });

/** Pieces keyed <prompt>.<n>, grouped by prompt in the API's order. */
function byPrompt(slots) {
  const groups = new Map();
  for (const s of slots) {
    if (s.kind !== 'prompt') continue;
    const name = s.key.slice(0, s.key.lastIndexOf('.'));
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(s);
  }
  return [...groups];
}

export function RecordingsPage({ lang: initial }) {
  // The language is in the address (#/recordings/en), so a reload or a link keeps it.
  const lang = PROMPT_LANGUAGES.includes(initial) ? initial : 'nl';
  const setLang = (l) => void (location.hash = `#/recordings/${l}`);
  const [data, setData] = useState(null);
  const [preview, setPreview] = useState(null);
  const [campaigns, setCampaigns] = useState([]);
  const [playing, setPlaying] = useState(null);
  const [error, setError] = useState(null);
  const load = async () => {
    try {
      const [d, p] = await Promise.all([api(`/recordings/${lang}`), api(`/recordings/${lang}/preview`)]);
      setData(d), setPreview(p), setError(null);
    } catch (err) {
      setError(err.message);
    }
  };
  useEffect(() => void ((setData(null), setPreview(null)), load()), [lang]);
  useEffect(() => void api('/campaigns?limit=100').then((d) => setCampaigns(d.items), () => setCampaigns([])), []);
  const play = async (path, label) => {
    setError(null);
    try {
      setPlaying({ url: await blobUrl(path), label });
    } catch (err) {
      setError(err.message);
    }
  };
  const langName = t(`rec.lang.${lang}`);
  const using = campaigns.filter((c) => c.language === lang && c.state !== 'finished');
  const words = data?.slots.filter((s) => s.kind === 'word') ?? [];
  const wordsRecorded = words.filter((s) => s.recorded).length;
  const previews = new Map((preview?.prompts ?? []).map((p) => [p.key, p]));
  return html`<section class="rec" aria-labelledby="rec-title">
    <h2 id="rec-title">${t('rec.title')}</h2>
    <div class="field">
      <label for="rec-lang">${t('rec.lang')}</label>
      <select id="rec-lang" data-testid="rec-lang" value=${lang} onChange=${(e) => setLang(e.target.value)} aria-describedby="rec-help">
        ${PROMPT_LANGUAGES.map((v) => html`<option value=${v}>${t(`rec.lang.${v}`)}</option>`)}
      </select>
      <p class="hint" id="rec-help" data-testid="rec-help">${data && t('rec.help', { version: number(data.version), lang: langName })}</p>
      <p class="hint" data-testid="rec-campaigns">${t('rec.campaigns', { lang: langName })} ${using.map((c) => `${c.name} (${t('state.' + c.state)})`).join(', ') || '—'}</p>
      ${data && !data.mayChange && html`<p class="hint" data-testid="rec-read-only">${t('rec.readOnly')}</p>`}
    </div>
    <${Player} playing=${playing} />
    <p class="err" role="alert" data-testid="rec-error">${error}</p>
    ${!data && !error && html`<p>${t('loading')}</p>`}
    ${data && html`
      <section aria-labelledby="rec-prompts-title">
        <h3 id="rec-prompts-title">${t('rec.prompts')}</h3>
        ${preview && html`<p class="hint" data-testid="rec-sample">${t('rec.sample', sampleVars(preview.sample))}</p>`}
        <div class="scroll"><table class="takes" aria-labelledby="rec-prompts-title"><${Head} />
          ${byPrompt(data.slots).map(([name, slots]) => html`<${Prompt} key=${name} name=${name} slots=${slots} preview=${previews.get(name)} lang=${lang} mayChange=${data.mayChange} onPlay=${play} onChanged=${load} />`)}
        </table></div>
      </section>
      <section aria-labelledby="rec-words-title" data-testid="rec-words">
        <h3 id="rec-words-title">${t('rec.wordSet')}</h3>
        <p data-testid="rec-words-count">${t('rec.wordCount', { n: number(wordsRecorded), missing: number(words.length - wordsRecorded) })}</p>
        <p class="hint">${t('rec.wordHelp')}</p>
        <div class="scroll"><table class="takes" aria-labelledby="rec-words-title"><${Head} />
          <tbody>${words.map((s) => html`<${TakeRow} key=${s.key} slot=${s} lang=${lang} mayChange=${data.mayChange} onPlay=${play} onChanged=${load} />`)}</tbody>
        </table></div>
      </section>`}
  </section>`;
}
