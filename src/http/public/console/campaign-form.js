// Create or edit a campaign with every setting. The fields come from the API's own
// description (GET /openapi.json, the Campaign schema), so a setting added to the API shows
// up here; the API validates, and its messages are shown next to the fields they name.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, fieldErrors } from './api.js';
import { t } from './i18n.js';

let described;
/** The Campaign schema from the API description, fetched once per page load. */
const campaignSchema = () => (described ??= api('/openapi.json').then((d) => d.components.schemas.Campaign));

const enumOf = (s) => (s.anyOf ?? []).flatMap((a) => a.enum ?? (a.const !== undefined ? [a.const] : []));
const kindOf = (s) => (enumOf(s).length ? 'enum' : s.type === 'boolean' ? 'boolean' : s.type === 'integer' || s.type === 'number' ? 'number' : s.type === 'string' ? 'text' : 'json');
const show = (kind, v) => (v === undefined || v === null ? '' : kind === 'json' ? JSON.stringify(v) : String(v));
function parse(kind, text) {
  if (kind === 'boolean') return text === 'true';
  if (kind === 'number') return Number(text);
  if (kind === 'json') return JSON.parse(text);
  return text;
}
function hintOf(s) {
  const range = s.minimum !== undefined || s.maximum !== undefined ? `${s.minimum ?? s.exclusiveMinimum ?? ''} – ${s.maximum ?? ''}` : '';
  return [s.description, range].filter(Boolean).join(' · ');
}

/** One input for one schema property, with its hint and the API's messages for it. */
function Field({ name, label, schema, value, onChange, errors, optional }) {
  const kind = kindOf(schema);
  const id = 'f-' + name.replace('.', '-');
  const described = [`${id}-hint`, errors ? `${id}-err` : ''].filter(Boolean).join(' ');
  const common = { id, name, 'data-testid': id, 'aria-invalid': errors ? 'true' : undefined, 'aria-describedby': described, onInput: (e) => onChange(name, e.target.value), onChange: (e) => onChange(name, e.target.value) };
  const choices = kind === 'enum' ? enumOf(schema) : kind === 'boolean' ? ['true', 'false'] : null;
  const input = choices
    ? html`<select ...${common} value=${value}>${optional && html`<option value="">${t('f.default')}</option>`}${choices.map((c) => html`<option value=${c}>${c}</option>`)}</select>`
    : kind === 'json'
      ? html`<textarea ...${common} rows="3" value=${value} placeholder=${optional ? t('f.default') : ''}></textarea>`
      : html`<input ...${common} type=${kind === 'number' ? 'number' : 'text'} step=${schema.type === 'integer' ? 1 : 'any'} min=${schema.minimum} max=${schema.maximum} value=${value} placeholder=${optional ? t('f.default') : ''} />`;
  return html`<div class="field">
    <label for=${id}>${label}${kind === 'json' ? ` (${t('f.json')})` : ''}</label>
    ${input}
    <p class="hint" id="${id}-hint">${hintOf(schema)}</p>
    ${errors && html`<p class="err" id="${id}-err" data-testid="${id}-error">${errors.join(' ')}</p>`}
  </div>`;
}

const BASICS = [['name', 'c.name'], ['mode', 'c.mode'], ['callerId', 'f.callerId'], ['language', 'f.language'], ['defaultCountry', 'f.defaultCountry']];

export function CampaignForm({ id }) {
  const [schema, setSchema] = useState(null);
  const [campaign, setCampaign] = useState(null);
  const [values, setValues] = useState({});
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState(null);
  useEffect(() => {
    (async () => {
      try {
        const s = await campaignSchema();
        const c = id ? await api(`/campaigns/${id}`) : { name: '', mode: 'agentless', callerId: '', language: 'nl', defaultCountry: 'NL', settings: {} };
        const v = Object.fromEntries(BASICS.map(([k]) => [k, show(kindOf(s.properties[k]), c[k])]));
        for (const [k, ps] of Object.entries(s.properties.settings.properties)) v['settings.' + k] = show(kindOf(ps), c.settings[k]);
        setSchema(s), setCampaign(c), setValues(v);
      } catch (err) {
        setMessage({ error: err.message });
      }
    })();
  }, [id]);
  if (!schema) return html`<p class="err" role="alert">${message?.error}</p><p>${t('loading')}</p>`;
  const settingsSchema = schema.properties.settings.properties;
  const initial = (k) => (k.startsWith('settings.') ? show(kindOf(settingsSchema[k.slice(9)]), campaign.settings[k.slice(9)]) : show(kindOf(schema.properties[k]), campaign[k]));
  const onChange = (k, v) => setValues((old) => ({ ...old, [k]: v }));

  const submit = async (e) => {
    e.preventDefault();
    setMessage(null);
    // Only what was changed (or, for a new campaign, filled in) is sent: the rest keeps its current or default value.
    const body = {};
    const local = {};
    for (const [k, v] of Object.entries(values)) {
      if (id ? v === initial(k) : k.startsWith('settings.') && v === '') continue;
      const [top, sub] = k.split('.');
      const s = sub ? settingsSchema[sub] : schema.properties[top];
      try {
        const parsed = parse(kindOf(s), v);
        if (sub) (body.settings ??= {})[sub] = parsed;
        else body[top] = parsed;
      } catch (err) {
        local[k] = [t('f.badJson', { why: err.message })];
      }
    }
    if (Object.keys(local).length) return setErrors(local);
    try {
      const saved = await api(id ? `/campaigns/${id}` : '/campaigns', { method: id ? 'PATCH' : 'POST', json: body });
      setErrors({});
      if (!id) location.hash = `#/campaigns/${saved.id}/edit`;
      else setCampaign(saved), setMessage({ ok: t('f.saved') });
    } catch (err) {
      setErrors(fieldErrors(err));
      setMessage({ error: err.message });
    }
  };
  const field = (k, label, s, optional) => html`<${Field} key=${k} name=${k} label=${label} schema=${s} value=${values[k]} onChange=${onChange} errors=${errors[k]} optional=${optional} />`;
  return html`<form onSubmit=${submit} data-testid="campaign-form" novalidate>
    <h2>${id ? t('f.edit', { name: campaign.name }) : t('f.create')}</h2>
    <p class="err" role="alert" data-testid="form-error">${message?.error}</p>
    <p class="ok" role="status" data-testid="form-ok">${message?.ok}</p>
    <fieldset><legend>${t('f.basics')}</legend><div class="grid">
      ${BASICS.map(([k, label]) => field(k, t(label), schema.properties[k], false))}
    </div></fieldset>
    <fieldset><legend>${t('f.settings')}</legend><div class="grid">
      ${Object.entries(settingsSchema).map(([k, s]) => field('settings.' + k, k, s, !id))}
    </div></fieldset>
    <div class="row"><button class="primary" data-testid="save">${t('save')}</button><a class="button" href="#/campaigns">${t('cancel')}</a></div>
  </form>`;
}
