// One dictionary per language; a key missing in Dutch falls back to English, then to the key.
import * as more from './i18n-more.js';
const en = {
  title: 'Bereik console', language: 'Language', logout: 'Log out', skip: 'Skip to content',
  'nav.campaigns': 'Campaigns', 'nav.upload': 'Upload', 'nav.debtors': 'Debtor', 'nav.live': 'Live',
  'login.title': 'Log in', 'login.token': 'API token (operator or admin)', 'login.go': 'Log in',
  'login.agent': 'This is an agent token. Agents work in the desktop at /desktop; the console needs an operator or admin token.',
  'login.unknown': 'This token is unknown or revoked.', 'login.hint': 'The token is kept for this browser tab only.',
  loading: 'Loading…', none: 'Nothing yet.', prev: 'Previous', next: 'Next', page: 'Page {n} of {of}', save: 'Save', cancel: 'Cancel', error: 'Error',
  'c.title': 'Campaigns', 'c.new': 'New campaign', 'c.name': 'Name', 'c.mode': 'Mode', 'c.state': 'State', 'c.contacts': 'Contacts',
  'c.pending': 'To call', 'c.done': 'Done', 'c.calls': 'Calls', 'c.answered': 'Answered', 'c.live': 'Live now', 'c.actions': 'Actions',
  'c.edit': 'Edit', 'c.upload': 'Upload', 'c.watch': 'Watch',
  'act.start': 'Start', 'act.pause': 'Pause', 'act.resume': 'Resume', 'act.finish': 'Finish',
  'state.draft': 'draft', 'state.running': 'running', 'state.paused': 'paused', 'state.finished': 'finished',
  'f.create': 'New campaign', 'f.edit': 'Edit campaign {name}', 'f.basics': 'Campaign', 'f.settings': 'Settings',
  'f.callerId': 'Caller ID (E.164)', 'f.language': 'Language of the calls', 'f.defaultCountry': 'Country for national numbers',
  'f.default': '(default)', 'f.json': 'JSON', 'f.badJson': 'This is not valid JSON: {why}', 'f.saved': 'Saved.', 'f.fix': 'The API refused this: see the fields marked below.',
  'u.title': 'Upload a CSV', 'u.campaign': 'Campaign', 'u.drop': 'Drop a CSV file here, or pick one', 'u.pick': 'CSV file',
  'u.running': 'Importing {file}: {phase}, {rows} rows so far', 'u.validating': 'checking', 'u.writing': 'writing',
  'u.status': 'Result', 'u.rows': 'Rows in the file', 'u.imported': 'Rows imported', 'u.rejected': 'Bad rows', 'u.debtors': 'Debtors created',
  'u.claims': 'Claims created / updated', 'u.encoding': 'Encoding', 'u.delimiter': 'Delimiter', 'u.ignored': 'Ignored columns', 'u.unknown': 'not known',
  'u.badRows': 'Bad rows', 'u.line': 'Line', 'u.column': 'Column', 'u.value': 'Value', 'u.reason': 'Reason',
  'u.rejects': 'Download the bad rows (CSV)', 'u.goodRows': 'Import the {n} good rows', 'u.truncated': 'Only the first 1,000 bad rows are listed; the rejects file has them all.',
  'u.status.completed': 'Imported', 'u.status.partial': 'Good rows imported; bad rows left out', 'u.status.rejected': 'Nothing imported: the file has bad rows',
  'u.status.failed': 'Failed', 'u.status.running': 'Running',
  'd.title': 'Find a debtor', 'd.q': 'Debtor number, name, phone or invoice', 'd.search': 'Search', 'd.results': 'Debtors found',
  'd.ref': 'Debtor number', 'd.name': 'Name', 'd.phones': 'Phones', 'd.open': 'Open claims', 'd.claims': 'Claims', 'd.timeline': 'Timeline',
  'd.invoice': 'Invoice', 'd.creditor': 'Creditor', 'd.amount': 'Amount', 'd.due': 'Due', 'd.status': 'Status', 'd.when': 'When', 'd.what': 'What',
  'd.none': 'No debtor matches.', 'd.more': 'Older entries', 'd.dnc': 'do not call', 'd.email': 'E-mail', 'd.back': 'Back to the results',
  'd.payLink': 'Send the pay link by {channel}', 'd.queued': 'Queued: message {id} ({status}).',
  'k.call': 'Call', 'k.message': 'Message', 'k.reply': 'Reply', 'k.payment': 'Payment', 'k.disposition': 'Disposition', 'k.opt_out': 'Opt-out', 'k.dnc': 'Do not call',
  'l.title': 'Live', 'l.pick': 'Campaign', 'l.noneRunning': 'No campaign is running.', 'l.updated': 'Updated {t}',
  'l.ringing': 'Dialling / ringing', 'l.up': 'In conversation', 'l.agent': 'With an agent', 'l.perMinute': 'Calls per minute', 'l.answerRate': 'Answer rate',
  'l.machine': 'Answering machines', 'l.busy': 'Busy', 'l.noAnswer': 'No answer', 'l.paylinks': 'Pay links', 'l.agentRequests': 'Asked for an agent',
  'l.contacts': 'Contacts', 'l.agents': 'Agents', 'l.agentState': 'State', 'l.since': 'Time in state', 'l.messages': 'Messages', 'l.results': 'Results',
  'l.chart': 'Calls per minute and live calls, this session',
};
const nl = {
  title: 'Bereik console', language: 'Taal', logout: 'Uitloggen', skip: 'Naar de inhoud',
  'nav.campaigns': 'Campagnes', 'nav.upload': 'Uploaden', 'nav.debtors': 'Debiteur', 'nav.live': 'Live',
  'login.title': 'Inloggen', 'login.token': 'API-token (operator of beheerder)', 'login.go': 'Inloggen',
  'login.agent': 'Dit is een agent-token. Agenten werken in de desktop op /desktop; de console vraagt een operator- of beheerderstoken.',
  'login.unknown': 'Dit token is onbekend of ingetrokken.', 'login.hint': 'Het token blijft alleen in dit browsertabblad bewaard.',
  loading: 'Laden…', none: 'Nog niets.', prev: 'Vorige', next: 'Volgende', page: 'Pagina {n} van {of}', save: 'Opslaan', cancel: 'Annuleren', error: 'Fout',
  'c.title': 'Campagnes', 'c.new': 'Nieuwe campagne', 'c.name': 'Naam', 'c.mode': 'Modus', 'c.state': 'Status', 'c.contacts': 'Contacten',
  'c.pending': 'Te bellen', 'c.done': 'Klaar', 'c.calls': 'Gesprekken', 'c.answered': 'Opgenomen', 'c.live': 'Nu actief', 'c.actions': 'Acties',
  'c.edit': 'Wijzigen', 'c.upload': 'Uploaden', 'c.watch': 'Volgen',
  'act.start': 'Starten', 'act.pause': 'Pauzeren', 'act.resume': 'Hervatten', 'act.finish': 'Afsluiten',
  'state.draft': 'concept', 'state.running': 'loopt', 'state.paused': 'gepauzeerd', 'state.finished': 'afgesloten',
  'f.create': 'Nieuwe campagne', 'f.edit': 'Campagne {name} wijzigen', 'f.basics': 'Campagne', 'f.settings': 'Instellingen',
  'f.callerId': 'Nummerweergave (E.164)', 'f.language': 'Taal van de gesprekken', 'f.defaultCountry': 'Land voor nationale nummers',
  'f.default': '(standaard)', 'f.json': 'JSON', 'f.badJson': 'Dit is geen geldige JSON: {why}', 'f.saved': 'Opgeslagen.', 'f.fix': 'De API weigerde dit: zie de gemarkeerde velden hieronder.',
  'u.title': 'Een CSV uploaden', 'u.campaign': 'Campagne', 'u.drop': 'Sleep een CSV-bestand hierheen, of kies er een', 'u.pick': 'CSV-bestand',
  'u.running': '{file} wordt ingelezen: {phase}, {rows} rijen tot nu toe', 'u.validating': 'controleren', 'u.writing': 'wegschrijven',
  'u.status': 'Resultaat', 'u.rows': 'Rijen in het bestand', 'u.imported': 'Rijen ingelezen', 'u.rejected': 'Foute rijen', 'u.debtors': 'Debiteuren aangemaakt',
  'u.claims': 'Vorderingen aangemaakt / bijgewerkt', 'u.encoding': 'Tekenset', 'u.delimiter': 'Scheidingsteken', 'u.ignored': 'Genegeerde kolommen', 'u.unknown': 'onbekend',
  'u.badRows': 'Foute rijen', 'u.line': 'Regel', 'u.column': 'Kolom', 'u.value': 'Waarde', 'u.reason': 'Reden',
  'u.rejects': 'Foute rijen downloaden (CSV)', 'u.goodRows': 'De {n} goede rijen inlezen', 'u.truncated': 'Alleen de eerste 1.000 foute rijen staan hier; het bestand met foute rijen heeft ze allemaal.',
  'u.status.completed': 'Ingelezen', 'u.status.partial': 'Goede rijen ingelezen; foute rijen overgeslagen', 'u.status.rejected': 'Niets ingelezen: het bestand heeft foute rijen',
  'u.status.failed': 'Mislukt', 'u.status.running': 'Bezig',
  'd.title': 'Debiteur zoeken', 'd.q': 'Debiteurnummer, naam, telefoon of factuur', 'd.search': 'Zoeken', 'd.results': 'Gevonden debiteuren',
  'd.ref': 'Debiteurnummer', 'd.name': 'Naam', 'd.phones': 'Telefoons', 'd.open': 'Open vorderingen', 'd.claims': 'Vorderingen', 'd.timeline': 'Tijdlijn',
  'd.invoice': 'Factuur', 'd.creditor': 'Opdrachtgever', 'd.amount': 'Bedrag', 'd.due': 'Vervaldatum', 'd.status': 'Status', 'd.when': 'Wanneer', 'd.what': 'Wat',
  'd.none': 'Geen debiteur gevonden.', 'd.more': 'Oudere regels', 'd.dnc': 'niet bellen', 'd.email': 'E-mail', 'd.back': 'Terug naar de resultaten',
  'd.payLink': 'Betaallink sturen per {channel}', 'd.queued': 'In de wachtrij: bericht {id} ({status}).',
  'k.call': 'Gesprek', 'k.message': 'Bericht', 'k.reply': 'Antwoord', 'k.payment': 'Betaling', 'k.disposition': 'Afspraak', 'k.opt_out': 'Afmelding', 'k.dnc': 'Niet bellen',
  'l.title': 'Live', 'l.pick': 'Campagne', 'l.noneRunning': 'Er loopt geen campagne.', 'l.updated': 'Bijgewerkt {t}',
  'l.ringing': 'Kiezen / overgaan', 'l.up': 'In gesprek', 'l.agent': 'Bij een agent', 'l.perMinute': 'Gesprekken per minuut', 'l.answerRate': 'Opneempercentage',
  'l.machine': 'Antwoordapparaten', 'l.busy': 'In gesprek (bezet)', 'l.noAnswer': 'Niet opgenomen', 'l.paylinks': 'Betaallinks', 'l.agentRequests': 'Vroeg om een agent',
  'l.contacts': 'Contacten', 'l.agents': 'Agenten', 'l.agentState': 'Status', 'l.since': 'Tijd in status', 'l.messages': 'Berichten', 'l.results': 'Resultaten',
  'l.chart': 'Gesprekken per minuut en actieve gesprekken, deze sessie',
};
Object.assign(en, more.en);
Object.assign(nl, more.nl);
const DICTS = { en, nl };
const LANG_KEY = 'bereik.console.lang';

let lang = DICTS[localStorage.getItem(LANG_KEY)] ? localStorage.getItem(LANG_KEY) : 'nl';
export const LANGUAGES = [['nl', 'Nederlands'], ['en', 'English']];
export const currentLang = () => lang;
export function setLang(l) {
  lang = DICTS[l] ? l : 'nl';
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}
document.documentElement.lang = lang;

/** The text for `key` in the current language, with {name} filled from `vars`. */
export function t(key, vars = {}) {
  const s = DICTS[lang][key] ?? en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}
export const number = (n) => (n == null ? '—' : Number(n).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB'));
export const money = (cents, cur = 'EUR') => (cents / 100).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { style: 'currency', currency: cur });
export const when = (iso) => (iso ? new Date(iso).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }) : '—');
