/**
 * bereik audit verify — walks the access audit's hash chain (src/store/audit.ts) on the
 * configured database. Exit 0 when every entry holds; 1 naming the first entry that was
 * edited, or before which entries were removed (docs/data-protection.md).
 */
import { BereikError } from '../lib/errors.ts';
import { openOffline } from '../campaigns/offline.ts';

const USAGE = 'usage: bereik audit verify';

export async function run(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0] !== 'verify') {
    console.error(USAGE);
    return 2;
  }
  const s = openOffline();
  try {
    const r = s.store.audit.verify();
    if (r.ok) {
      console.log(`access audit: ${r.entries} entries, the hash chain holds`);
      return 0;
    }
    const what = r.reason === 'edited' ? 'was edited (its hash no longer matches its fields)' : 'follows a removed entry (its previous hash or id does not match the entry before it)';
    throw new BereikError('AUDIT_CHAIN_BROKEN', `access audit entry ${r.brokenAt} ${what}; the ${r.entries} entries before it hold`, { id: r.brokenAt });
  } finally {
    s.close();
  }
}
