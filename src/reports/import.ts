/**
 * Actions done elsewhere (letters, visits, a bailiff's call) come in as a CSV so the score
 * per action compares every instrument (issue 13 §4). Columns, by header name (any order,
 * `;` or `,` separated): debtor_ref, date (YYYY-MM-DD or DD-MM-YYYY), kind (letter, visit…),
 * and optionally cost_cents, campaign_id. A file is checked whole: one bad row refuses it,
 * every problem named by line and column. The same file twice changes nothing.
 */
import { createHash } from 'node:crypto';
import { isoUtc, type Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Store } from '../store/repositories.ts';
import type { ImportedAction } from '../store/reports.ts';

export interface ActionImportResult {
  importId: number;
  rows: number;
  alreadyImported: boolean;
}

export interface ActionImportProblem {
  line: number;
  column: string;
  value: string;
  message: string;
}

const REQUIRED = ['debtor_ref', 'date', 'kind'] as const;
const KIND = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_PROBLEMS = 100;

function isoDate(v: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) ?? /^(\d{2})-(\d{2})-(\d{4})$/.exec(v);
  if (!m) return null;
  const iso = m[1]!.length === 4 ? `${m[1]}-${m[2]}-${m[3]}` : `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

export function importExternalActions(d: { store: Pick<Store, 'actionReports'>; clock: Clock }, bytes: Buffer, name: string | null): ActionImportResult {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const known = d.store.actionReports.importedFile(sha256);
  if (known) return { importId: known.id, rows: known.rows, alreadyImported: true };
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const header = lines[0] ?? '';
  const sep = header.includes(';') ? ';' : ',';
  const cols = header.split(sep).map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !cols.includes(c));
  const where = name ?? 'the file';
  if (missing.length) throw new BereikError('VALIDATION', `${where}: line 1 needs the columns ${REQUIRED.join(', ')}; missing ${missing.join(', ')} (found: ${cols.join(', ') || 'nothing'})`);
  const at = (c: string) => cols.indexOf(c);
  const raw: Array<{ line: number; ref: string; on: string; kind: string; cost: number | null; campaignId: number | null }> = [];
  const problems: ActionImportProblem[] = [];
  const bad = (line: number, column: string, value: string, why: string) => problems.push({ line, column, value: value.slice(0, 200), message: `${where}: line ${line}, ${column} "${value.slice(0, 200)}" ${why}` });
  lines.slice(1).forEach((l, i) => {
    if (!l.trim()) return;
    const line = i + 2;
    const f = l.split(sep).map((x) => x.trim());
    const get = (c: string) => (at(c) >= 0 ? (f[at(c)] ?? '') : '');
    const ref = get('debtor_ref');
    const on = isoDate(get('date'));
    const kind = get('kind').toLowerCase();
    if (!ref) bad(line, 'debtor_ref', ref, 'is empty');
    if (!on) bad(line, 'date', get('date'), 'is not a date (YYYY-MM-DD or DD-MM-YYYY)');
    if (!KIND.test(kind)) bad(line, 'kind', get('kind'), 'is not a kind such as letter or visit (lower-case letters, digits, _)');
    const costText = get('cost_cents');
    const cost = costText === '' ? null : /^\d{1,9}$/.test(costText) ? Number(costText) : NaN;
    if (Number.isNaN(cost)) bad(line, 'cost_cents', costText, 'is not a whole number of cents');
    const campaignText = get('campaign_id');
    const campaignId = campaignText === '' ? null : /^\d{1,12}$/.test(campaignText) ? Number(campaignText) : NaN;
    if (Number.isNaN(campaignId)) bad(line, 'campaign_id', campaignText, 'is not a campaign id');
    raw.push({ line, ref, on: on ?? '', kind, cost, campaignId });
  });
  const ids = d.store.actionReports.debtorsByRef(raw.map((r) => r.ref).filter(Boolean));
  for (const r of raw) if (r.ref && !ids.has(r.ref)) bad(r.line, 'debtor_ref', r.ref, 'is not a known debtor');
  if (problems.length) {
    problems.sort((a, b) => a.line - b.line);
    throw new BereikError('VALIDATION', `${where} is refused, nothing was imported: ${problems.slice(0, 3).map((p) => p.message).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`, problems.slice(0, MAX_PROBLEMS));
  }
  const rows: ImportedAction[] = raw.map((r) => ({ debtorId: ids.get(r.ref)!, kind: r.kind, on: r.on, costCents: r.cost, campaignId: r.campaignId }));
  const importId = d.store.actionReports.importActions({ sha256, name }, rows, isoUtc(d.clock.now()));
  return { importId, rows: rows.length, alreadyImported: false };
}
