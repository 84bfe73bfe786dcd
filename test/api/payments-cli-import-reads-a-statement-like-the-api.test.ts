import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { runBereik } from '../helpers/cli.ts';
import { seedClaims } from '../helpers/payments.ts';

const FIX = join(import.meta.dirname, '../fixtures/payments');
const bereik = (args: string[], dbPath: string) => runBereik(args, { BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'warn' });

test('bereik payments import reads a statement into the same database the API serves; twice changes nothing; a DOCTYPE exits 1', async (t) => {
  const app = await startTestApp({ telephony: false, messaging: false });
  t.after(() => app.close());
  seedClaims(app.app.deps.store);
  const first = await bereik(['payments', 'import', join(FIX, 'camt053-day1-several-entries-and-a-batch.xml')], app.dbPath);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /5 entries; 4 matched, 1 unmatched, 0 already known, 0 reversed, 1 ignored, 0 rejected; 3 claims paid in full/);
  const items = ((await (await app.api('/payments?status=unmatched')).json()) as { items: Array<{ amountCents: number }> }).items;
  assert.deepEqual(items.map((p) => p.amountCents), [2_500]);
  const again = await bereik(['payments', 'import', join(FIX, 'camt053-day1-several-entries-and-a-batch.xml')], app.dbPath);
  assert.match(again.stdout, /read before .* nothing changed/);
  const xxe = await bereik(['payments', 'import', join(FIX, 'camt053-with-doctype-xxe.xml')], app.dbPath);
  assert.equal(xxe.status, 1);
  assert.match(xxe.stderr, /DOCTYPE is not accepted/);
  assert.equal((await bereik(['payments'], app.dbPath)).status, 2);
});
