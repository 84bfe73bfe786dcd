import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importRig } from '../helpers/import-rig.ts';
import { ImportStage } from '../../src/store/imports.ts';

// The write pass turns SQLite's per-row foreign-key checks off for each batch; the store
// must still refuse orphans afterwards, and a batch must refuse a campaign that is gone.
test('after an import the database still refuses rows that point at nothing, and a batch for a vanished campaign writes nothing', async (t) => {
  const { dir, db, campaigns, imports } = importRig(t);
  const csv = join(dir, 'c.csv');
  writeFileSync(csv, 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\r\nD1;Jan Jansen;06-12345678;10,00;F1\r\nD2;Piet Bakker;06-87654321;20,00;F2\r\n');

  const c = campaigns.create({ name: 'fk', mode: 'agentless', callerId: '+31201234567' });
  const r = await imports.importFile({ campaignId: c.id, path: csv, fileName: 'c.csv' });
  assert.deepEqual([r.status, r.claimsCreated], ['completed', 2]);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.throws(() => db.prepare(`INSERT INTO phones (debtor_id, e164, created_at, updated_at) VALUES (999, '+31612345678', 'x', 'x')`).run(), /FOREIGN KEY/);

  // A campaign or import that is gone by the time a batch is written: the batch writes nothing.
  let wrote = false;
  assert.throws(() => new ImportStage(db).batch(c.id + 1, r.id, () => { wrote = true; }), /no longer exists/);
  assert.equal(wrote, false);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
});
