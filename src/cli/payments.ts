/**
 * bereik payments import FILE
 * Reads a payment CSV or CAMT.053 statement through the same service as POST /payments/files
 * and prints the summary; rows that could not be read are listed (line or place, column,
 * value, reason). A refused file (a DOCTYPE, cut off, not a statement) exits 1.
 */
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { BereikError } from '../lib/errors.ts';
import { openOffline } from '../campaigns/offline.ts';

const USAGE = 'usage: bereik payments import FILE';

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const [sub, file, ...extra] = positionals;
  if (sub !== 'import' || !file || extra.length) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(file)) throw new BereikError('VALIDATION', `file ${file} does not exist`);
  const s = openOffline();
  const stop = new AbortController();
  const interrupt = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  try {
    const r = await s.payments.importFile({ path: file, fileName: basename(file), signal: stop.signal });
    if (r.alreadyImported) {
      console.log(`payment file ${r.fileId}: read before (same SHA-256); nothing changed`);
      return 0;
    }
    console.log(
      `payment file ${r.fileId} (${r.kind}): ${r.entries} entries; ${r.matched} matched, ${r.unmatched} unmatched, ${r.duplicates} already known, ` +
        `${r.reversed} reversed, ${r.ignored} ignored, ${r.rejected} rejected; ${r.claimsPaid} claims paid in full`,
    );
    if (r.unmatched) console.log(`unmatched payments wait for an operator: GET /payments?status=unmatched&fileId=${r.fileId}`);
    for (const e of r.rejects) console.log(`  ${e.where}${e.column ? `, ${e.column}` : ''}${e.value !== null ? ` = ${JSON.stringify(e.value)}` : ''}: ${e.reason}`);
    if (r.rejected > r.rejects.length) console.log(`  … and ${r.rejected - r.rejects.length} more`);
    return 0;
  } catch (err) {
    if (err instanceof BereikError && err.code === 'PAYMENT_BAD_FILE') {
      console.error(`bereik payments: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', interrupt);
    s.close();
  }
}
