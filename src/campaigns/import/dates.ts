/**
 * Due dates: `31-12-2026`, `31/12/2026`, `31.12.2026` (day first, as Dutch back offices
 * write them) or ISO `2026-12-31` → `YYYY-MM-DD`. Impossible dates (31-02-2026) are refused.
 */
import { bad, ok, type Parsed } from './result.ts';

const DMY = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T.*)?$/;

export function parseDate(input: string): Parsed<string> {
  const s = input.trim();
  let y: number, m: number, d: number;
  let match = DMY.exec(s);
  if (match) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = ISO.exec(s))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return bad('date is not in a known format (use 31-12-2026 or 2026-12-31)');
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return bad(`date ${s} does not exist`);
  if (y < 1900 || y > 2200) return bad(`date ${s} is out of range`);
  return ok(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : DAYS[m - 1]!;
}
