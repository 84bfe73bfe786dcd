/** The access audit as CSV (RFC 4180), with its hashes so an auditor can check the chain offline. */
import type { AuditEntry } from '../store/audit.ts';

const COLUMNS = ['id', 'at', 'tokenId', 'tokenName', 'role', 'address', 'debtorId', 'access', 'detail', 'prevHash', 'hash'] as const;

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A leading = + - @ would be read as a formula by a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(items: AuditEntry[]): string {
  return [COLUMNS.join(','), ...items.map((e) => COLUMNS.map((c) => cell(e[c])).join(','))].join('\r\n') + '\r\n';
}
