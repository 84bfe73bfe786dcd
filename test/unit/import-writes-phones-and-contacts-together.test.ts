import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname as dirnameOf, join } from 'node:path';
import type { Db } from '../../src/store/db.ts';
import { importRig } from '../helpers/import-rig.ts';

// 12,000 rows: write batches of 5,000, 5,000 and 2,000. While something dials, phones and
// contacts are written with each batch; while nothing does, they wait and are written
// together later (faster). Either way no contact exists before its debtor's phones.

function rig(t: { after(fn: () => void): void }) {
  let live = 0;
  const { dir, db, campaigns, imports } = importRig(t, { liveCalls: () => live });
  const csv = join(dir, 'c.csv');
  const lines = ['debiteurnummer;naam;telefoon;bedrag;factuurnummer'];
  for (let i = 0; i < 12_000; i++) lines.push(`D${Math.floor(i / 2)};Naam ${i};06-1${String(i).padStart(7, '0')};10,00;F${i}`);
  writeFileSync(csv, lines.join('\n'));
  return { db, campaigns, imports, csv, setLive: (n: number) => (live = n) };
}

/** After each write batch: rows written, contacts, and contacts whose debtor has no phone. */
function watch(db: Db) {
  const seen: [number, number, number][] = [];
  const onProgress = (phase: string, rows: number) => {
    if (phase !== 'writing') return;
    const contacts = db.prepare(`SELECT count(*) FROM contacts`).pluck().get() as number;
    const orphans = db.prepare(`SELECT count(*) FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM phones p WHERE p.debtor_id = c.debtor_id)`).pluck().get() as number;
    seen.push([rows, contacts, orphans]);
  };
  return { seen, onProgress };
}

test('while a call is live, every batch writes its phones and contacts at once', async (t) => {
  const r = rig(t);
  r.setLive(1);
  const c = r.campaigns.create({ name: 'busy', mode: 'agentless', callerId: '+31201234567' });
  const w = watch(r.db);
  const res = await r.imports.importFile({ campaignId: c.id, path: r.csv, onProgress: w.onProgress });
  assert.equal(res.rowsImported, 12_000);
  assert.deepEqual(w.seen, [[5000, 5000, 0], [10_000, 10_000, 0], [12_000, 12_000, 0]]);
});

test('while a campaign runs, the same: contacts follow every batch', async (t) => {
  const r = rig(t);
  const running = r.campaigns.create({ name: 'running', mode: 'agentless', callerId: '+31201234567' });
  r.campaigns.transition(running.id, 'start');
  const c = r.campaigns.create({ name: 'import', mode: 'agentless', callerId: '+31201234567' });
  const w = watch(r.db);
  await r.imports.importFile({ campaignId: c.id, path: r.csv, onProgress: w.onProgress });
  assert.deepEqual(w.seen.map((s) => s[1]), [5000, 10_000, 12_000]);
});

test('while nothing dials, phones and contacts wait and are written together; none is ever without phones', async (t) => {
  const r = rig(t);
  const c = r.campaigns.create({ name: 'quiet', mode: 'agentless', callerId: '+31201234567' });
  const w = watch(r.db);
  const res = await r.imports.importFile({ campaignId: c.id, path: r.csv, onProgress: w.onProgress });
  assert.equal(res.status, 'completed');
  assert.deepEqual(w.seen, [[5000, 0, 0], [10_000, 0, 0], [12_000, 12_000, 0]]);
  assert.equal(r.db.prepare(`SELECT count(*) FROM phones`).pluck().get(), 6000);
});

test('an import stopped while phones and contacts wait writes them before it stops: what is written is whole', async (t) => {
  const r = rig(t);
  const c = r.campaigns.create({ name: 'stopped', mode: 'agentless', callerId: '+31201234567' });
  const stop = new AbortController();
  const w = watch(r.db);
  await assert.rejects(
    r.imports.importFile({
      campaignId: c.id,
      path: r.csv,
      signal: stop.signal,
      onProgress: (phase, rows) => {
        w.onProgress(phase, rows);
        if (phase === 'writing' && rows === 10_000) stop.abort();
      },
    }),
  );
  const claims = r.db.prepare(`SELECT count(*) FROM claims`).pluck().get();
  const contacts = r.db.prepare(`SELECT count(*) FROM contacts`).pluck().get();
  assert.deepEqual([claims, contacts], [10_000, 10_000], 'every claim written has its contact');
  assert.equal(r.db.prepare(`SELECT count(*) FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM phones p WHERE p.debtor_id = c.debtor_id)`).pluck().get(), 0);
  const rec = r.db.prepare(`SELECT status, error FROM imports`).get() as { status: string; error: string };
  assert.equal(rec.status, 'failed');
  assert.match(rec.error, /interrupted while writing/);
});

test('two imports at once into two campaigns: each campaign gets exactly its own contacts', async (t) => {
  const r = rig(t);
  const a = r.campaigns.create({ name: 'a', mode: 'agentless', callerId: '+31201234567' });
  const b = r.campaigns.create({ name: 'b', mode: 'agentless', callerId: '+31201234567' });
  const other = join(dirnameOf(r.csv), 'b.csv');
  const lines = ['debiteurnummer;naam;telefoon;bedrag;factuurnummer'];
  for (let i = 0; i < 7_000; i++) lines.push(`B${i};Ander ${i};06-2${String(i).padStart(7, '0')};20,00;G${i}`);
  writeFileSync(other, lines.join('\n'));
  const [ra, rb] = await Promise.all([
    r.imports.importFile({ campaignId: a.id, path: r.csv }),
    r.imports.importFile({ campaignId: b.id, path: other }),
  ]);
  assert.deepEqual([ra.rowsImported, rb.rowsImported], [12_000, 7_000]);
  const per = r.db.prepare(`SELECT c.campaign_id AS campaign, substr(d.external_ref, 1, 1) AS prefix, count(*) AS n FROM contacts c JOIN debtors d ON d.id = c.debtor_id GROUP BY 1, 2 ORDER BY 1, 2`).all();
  assert.deepEqual(per, [{ campaign: a.id, prefix: 'D', n: 12_000 }, { campaign: b.id, prefix: 'B', n: 7_000 }]);
});
