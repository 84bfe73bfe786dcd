/**
 * The subject-access export as one self-contained HTML page the person can read and print:
 * a heading per kind of data, a table per heading, every value escaped.
 */
import type { SubjectData } from '../store/erasure.ts';

const SECTIONS: [keyof SubjectData, string][] = [
  ['phones', 'Telefoonnummers / Phone numbers'],
  ['claims', 'Vorderingen / Claims'],
  ['contacts', 'Campagnes / Campaign contacts'],
  ['calls', 'Gesprekken / Calls'],
  ['recordings', 'Opnames van gesprekken / Call recordings'],
  ['dispositions', 'Afspraken / Agreements recorded'],
  ['callbacks', 'Terugbelverzoeken / Callback requests'],
  ['messages', 'Berichten / Messages sent'],
  ['replies', 'Antwoorden / Replies received'],
  ['payments', 'Betalingen / Payments'],
  ['optOuts', 'Afmeldingen / Opt-outs'],
  ['doNotCall', 'Niet bellen / Do not call'],
  ['actions', 'Geplande acties / Planned actions'],
  ['accessLog', 'Wie uw gegevens inzag / Who accessed your data'],
];

const esc = (v: unknown): string =>
  (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function table(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '<p>—</p>';
  const cols = Object.keys(rows[0]!);
  return `<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cols.map((c) => `<td>${esc(r[c])}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function subjectHtml(d: SubjectData, generatedAt: string): string {
  const who = d.debtor;
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Inzageverzoek ${esc(who.externalRef)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}th{background:#eee}</style></head><body>
<h1>Uw gegevens bij ons / Your data held by us</h1>
<p>Opgesteld / Generated: ${esc(generatedAt)}</p>
<h2>Persoon / Person</h2>${table([who])}
${SECTIONS.map(([k, title]) => `<h2>${esc(title)}</h2>${table(d[k] as Record<string, unknown>[])}`).join('\n')}
</body></html>`;
}
