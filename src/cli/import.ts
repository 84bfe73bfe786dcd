/**
 * bereik import --campaign ID [--skip-invalid] FILE
 * Imports a CSV through the same service as the API. Progress goes to stderr; a rejected
 * file exits 1 with every bad row listed (line, column, value, reason).
 */
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { BereikError } from '../lib/errors.ts';
import { openOffline } from '../campaigns/offline.ts';
import type { RowError } from '../campaigns/import/row.ts';
import { MAX_STORED_BAD_ROWS } from '../campaigns/import/service.ts';

const USAGE = 'usage: bereik import --campaign ID [--skip-invalid] FILE';

function describe(e: RowError): string {
  return `  line ${e.line}${e.column ? `, ${e.column}` : ''}${e.value !== null ? ` = ${JSON.stringify(e.value)}` : ''}: ${e.reason}`;
}

function notStored(more: number): string {
  return `  … and ${more} more errors, not stored: only the first ${MAX_STORED_BAD_ROWS.toLocaleString('en')} bad rows are kept`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { campaign: { type: 'string' }, 'skip-invalid': { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const campaignId = Number(values.campaign);
  const file = positionals[0];
  if (!Number.isInteger(campaignId) || campaignId < 1 || !file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(file)) throw new BereikError('VALIDATION', `file ${file} does not exist`);
  const s = openOffline();
  const tty = process.stderr.isTTY;
  // Ctrl-C stops between batches and records the import as interrupted, instead of leaving it "running".
  const stop = new AbortController();
  const interrupt = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const r = await s.imports.importFile({
      campaignId,
      path: file,
      fileName: basename(file),
      skipInvalid: values['skip-invalid'],
      signal: stop.signal,
      // Every batch on a terminal (one line, rewritten); every 100,000 rows in a log.
      onProgress: (phase, rows) => {
        if (tty || rows % 100_000 === 0) process.stderr.write(`${tty ? '\r' : ''}${phase}: ${rows.toLocaleString('en')} rows${tty ? '   ' : '\n'}`);
      },
    });
    if (tty) process.stderr.write('\n');
    console.log(
      `import ${r.id}: ${r.status}; ${r.rowsImported} of ${r.rowsTotal} rows imported (${r.claimsCreated} new claims, ${r.claimsUpdated} updated, ` +
        `${r.debtorsCreated} new debtors), ${r.rowsRejected} rejected; ${r.encoding}, '${r.delimiter}'`,
    );
    if (r.ignoredColumns.length) console.log(`ignored columns: ${r.ignoredColumns.join(', ')}`);
    if (r.errorsTotal > 0) {
      console.log(`rejected rows (also in GET /imports/${r.id}/rejects.csv):`);
      for (const e of r.errors) console.log(describe(e));
      if (r.errorsTotal > r.errors.length) console.log(notStored(r.errorsTotal - r.errors.length));
    }
    return 0;
  } catch (err) {
    if (tty) process.stderr.write('\n');
    if (err instanceof BereikError && err.code === 'IMPORT_BAD_ROW') {
      const d = err.details as { errors: RowError[]; errorsTotal: number; importId: number };
      console.error(`bereik import: ${err.message}`);
      for (const e of d.errors) console.error(describe(e));
      if (d.errorsTotal > d.errors.length) console.error(notStored(d.errorsTotal - d.errors.length));
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    s.close();
  }
}
