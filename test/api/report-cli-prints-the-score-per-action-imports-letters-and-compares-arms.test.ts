import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../../src/lib/clock.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { startTestApp } from '../helpers/app.ts';
import { runBereik } from '../helpers/cli.ts';
import { seedDebtor } from '../helpers/messages.ts';

const bereik = (args: string[], dbPath: string) => runBereik(args, { BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'warn' });

test('bereik report import/actions/arms on the database the API serves: letters counted, CSV like the API, bad input named', async (t) => {
  const app = await startTestApp({ clock: new FakeClock('2026-11-23T07:00:00Z'), telephony: false, messaging: false });
  t.after(() => app.close());
  const d = seedDebtor(app.app.deps.store);
  const ref = sqliteHandle(app.app.deps.store).prepare(`SELECT external_ref FROM debtors WHERE id = ?`).pluck().get(d.debtorId) as string;
  const letters = join(app.dir, 'letters.csv');
  writeFileSync(letters, `debtor_ref,date,kind,cost_cents\n${ref},2026-11-20,letter,135\n${ref},2026-11-21,visit,\n`);
  const imported = await bereik(['report', 'import', letters], app.dbPath);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /^2 actions imported \(import 1\)$/m);
  assert.match((await bereik(['report', 'import', letters], app.dbPath)).stdout, /was imported before .*nothing changed/);

  const table = await bereik(['report', 'actions', '--from', '2026-11-20', '--to', '2026-11-22'], app.dbPath);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^2026-11-20 … 2026-11-22, attribution window 14 days$/m);
  assert.match(table.stdout, /^source: rollup \(the rollup kept for the configured 14-day window\)$/m);
  assert.match(table.stdout, /^external:letter +1 +0 +0\.0% .* €1\.35 +- +€1\.35$/m, 'the letter at the cost the file gave');
  assert.match(table.stdout, /^external:visit +1 .* €25\.00 /m, 'the visit at the unit cost');
  const csv = await bereik(['report', 'actions', '--from', '2026-11-20', '--to', '2026-11-22', '--csv'], app.dbPath);
  const api = await (await app.api('/reports/actions?from=2026-11-20&to=2026-11-22&format=csv')).text();
  assert.equal(csv.stdout, api, 'the CLI writes the same CSV as the API');

  const arms = await bereik(['report', 'arms', '--strategy', 'default'], app.dbPath);
  assert.equal(arms.status, 0, arms.stderr);
  assert.match(arms.stdout, /^collectedPerDebtorCents: challenger − champion .* not enough data$/m);
  const bad = join(app.dir, 'bad.csv');
  writeFileSync(bad, 'debtor_ref;date;kind\nNOPE;2026-11-20;letter\n');
  const refused = await bereik(['report', 'import', bad], app.dbPath);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /line 2, debtor_ref "NOPE" is not a known debtor/);
  assert.equal((await bereik(['report', 'arms'], app.dbPath)).status, 2, 'arms needs --strategy');
});
