/**
 * `bereik import` killed with SIGKILL in the middle of writing: the import record says how
 * many rows were written (the count commits with them, batch by batch), and its temporary
 * files, left behind in TMPDIR, are removed when the service next starts. Files that are not
 * ours, or belong to a live process, stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../helpers/serve.ts';
import { openDb } from '../../src/store/db.ts';
import { SystemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { CampaignService } from '../../src/campaigns/service.ts';
import { ContactStore } from '../../src/store/contacts.ts';
import { createToken } from '../../src/http/tokens.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const repo = join(import.meta.dirname, '..', '..');
const ROWS = 300_000;

test('after kill -9 mid-import the record counts the rows written, and the next start fails it and removes its temp files', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-kill-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'bereik.sqlite');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);

  const db = openDb(dbPath);
  const clock = new SystemClock();
  const campaignId = new CampaignService({ store: createSqliteStore(db), clock, log: silentLogger() }).create({ name: 'Kill test', mode: 'agentless', callerId: '+31201234567' }).id;
  const token = createToken(createSqliteStore(db).tokens, clock, { name: 'test', role: 'operator' }).token;
  db.close();

  const file = join(dir, 'big.csv');
  const lines = ['debiteurnummer;naam;telefoon;bedrag;factuurnummer'];
  for (let i = 0; i < ROWS; i++) lines.push(`D${i};Naam ${i};06-1${String(i).padStart(7, '0')};12,50;F${i}`);
  writeFileSync(file, lines.join('\n'));

  // Not ours, or ours but of a live process (this one): both must survive the next start.
  const strangers = ['bereik-import-notes.txt', 'bereik-upload-abc-123456', `bereik-upload-${process.pid}-AbC123`, 'other-tool-1234-abcdef'];
  writeFileSync(join(tmp, strangers[0]!), 'keep me');
  for (const name of strangers.slice(1)) mkdirSync(join(tmp, name));

  const child = spawn(process.execPath, [join(repo, 'bin', 'bereik.mjs'), 'import', '--campaign', String(campaignId), file], {
    cwd: repo,
    env: { ...process.env, BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'warn', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      if (/writing: 100,000 rows/.test(err)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bereik import ended before it was killed (${code}): ${err}`)));
  });
  child.kill('SIGKILL');
  await once(child, 'exit');
  // A service killed while it spooled an upload leaves one of these: it goes too.
  mkdirSync(join(tmp, `bereik-upload-${child.pid}-Up1oad`));
  writeFileSync(join(tmp, `bereik-upload-${child.pid}-Up1oad`, 'upload.csv'), 'debiteurnummer;naam\n');

  // Afterwards: still 'running' (nobody noticed yet), but with the true count of what was written.
  const leftover = readdirSync(tmp).filter((n) => n.startsWith(`bereik-import-${child.pid}-`));
  assert.equal(leftover.length, 1, `the killed import's temp dir is left behind: ${readdirSync(tmp).join(', ')}`);
  const check = openDb(dbPath);
  const rec = check.prepare(`SELECT id, status, rows_imported AS rows FROM imports WHERE campaign_id = ?`).get(campaignId) as { id: number; status: string; rows: number };
  const contacts = new ContactStore(check).count(campaignId);
  check.close();
  assert.equal(rec.status, 'running');
  assert.ok(rec.rows >= 100_000 && rec.rows < ROWS, `rowsImported ${rec.rows}`);
  assert.equal(rec.rows, contacts, 'the count is what the operator sees: one contact per row written');

  // The next start: the import is failed with that count, and the dead process's files are gone.
  const serve = await startServe(t, dbPath, { env: { TMPDIR: tmp } });
  const view = (await (await fetch(`${serve.address}/imports/${rec.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    import: { status: string; rowsImported: number; error: string };
  };
  assert.equal(view.import.status, 'failed');
  assert.equal(view.import.rowsImported, rec.rows);
  assert.equal(view.import.error, `the service stopped during this import; ${rec.rows} rows were written before that and stay, re-import the file to finish`);
  // (tsx, which runs the service, keeps its own cache there too.)
  assert.deepEqual(readdirSync(tmp).filter((n) => !n.startsWith('tsx-')).sort(), [...strangers].sort());
  assert.match(serve.output(), /temporary files of imports whose process is gone are removed/);
});
