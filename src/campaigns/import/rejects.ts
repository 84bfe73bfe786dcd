/**
 * CSV written back to operators (the rejects file). Cells that a spreadsheet would run as
 * a formula (starting with = + - @, tab or CR) get a leading ' (OWASP CSV injection advice),
 * so opening the file never executes what a debtor's name smuggled in.
 */
export function escapeCell(value: string, delimiter = ';'): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
  if (v.includes(delimiter) || v.includes('"') || v.includes('\n') || v.includes('\r')) v = '"' + v.replace(/"/g, '""') + '"';
  return v;
}

export function csvLine(cells: string[], delimiter = ';'): string {
  return cells.map((c) => escapeCell(c, delimiter)).join(delimiter) + '\r\n';
}

/** Excel opens UTF-8 CSV correctly only with a byte-order mark. */
export const UTF8_BOM = '\ufeff';
