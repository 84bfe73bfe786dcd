import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createCampaign, followImport, storeCounts, uploadMultipart, uploadRaw } from '../helpers/imports.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { openDb } from '../../src/store/db.ts';

type ImportView = { import: { id: number; status: string; rowsImported: number; rowsRejected: number; error: string | null }; progress: { phase: string; rows: number } | null; errorsTotal: number };

function csv(rows: number, bad = -1): string {
  const lines = ['debiteurnummer;naam;telefoon;bedrag;factuurnummer'];
  for (let i = 0; i < rows; i++) lines.push(`D${i};Naam ${i};06-1${String(i).padStart(7, '0')};${i === bad ? 'veel' : `${(i % 900) + 1},50`};F${i}`);
  return lines.join('\n');
}

const follow = (app: TestApp, location: string) => followImport<ImportView>(app, location);

test('Prefer: respond-async answers 202 at once with the running import; it ends completed, with progress on the way', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  const res = await app.api(`/campaigns/${id}/imports`, { method: 'POST', body: csv(40_000), headers: { 'content-type': 'text/csv', prefer: 'respond-async' } });
  const body = (await res.json()) as ImportView & { location: string };
  assert.equal(res.status, 202, JSON.stringify(body));
  assert.equal(res.headers.get('location'), `/imports/${body.import.id}`);
  assert.equal(res.headers.get('preference-applied'), 'respond-async');
  assert.equal(body.location, `/imports/${body.import.id}`);
  assert.equal(body.import.status, 'running');
  assert.deepEqual(body.progress && Object.keys(body.progress).sort(), ['phase', 'rows']);

  const seen = await follow(app, body.location);
  const last = seen.at(-1)!;
  assert.equal(last.import.status, 'completed');
  assert.equal(last.import.rowsImported, 40_000);
  assert.equal(last.progress, null, 'no progress once it has ended');
  assert.equal(storeCounts(app, id).contacts, 40_000);
  const running = seen.filter((v) => v.import.status === 'running');
  assert.ok(running.length >= 1, 'seen running at least once');
  for (const v of running) assert.ok(v.progress && ['validating', 'writing'].includes(v.progress.phase) && v.progress.rows >= 0, JSON.stringify(v.progress));
  const rows = running.filter((v) => v.progress!.phase === 'writing').map((v) => v.progress!.rows);
  assert.deepEqual(rows, [...rows].sort((a, b) => a - b), 'written rows only grow');
});

test('?async=true does the same for a multipart upload; a bad file ends rejected with its rows listed, nothing written', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  const res = await uploadMultipart(app, id, csv(500, 123), 'export.csv', '?async=true');
  assert.equal(res.status, 202);
  const { location } = (await res.json()) as { location: string };
  const last = (await follow(app, location)).at(-1)!;
  assert.equal(last.import.status, 'rejected');
  assert.equal(last.import.rowsRejected, 1);
  assert.equal(last.errorsTotal, 1);
  const errors = (await (await app.api(location)).json()) as { errors: { line: number; column: string; value: string }[] };
  assert.deepEqual(errors.errors.map((e) => [e.line, e.column, e.value]), [[125, 'bedrag', 'veel']]);
  assert.equal(storeCounts(app, id).contacts, 0);
});

test('an async upload to a campaign that does not exist, or is finished, is refused at once (404 / 409), not accepted', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  assert.equal((await uploadRaw(app, 9999, csv(3), '?async=true')).status, 404);
  const id = await createCampaign(app);
  for (const action of ['start', 'finish']) assert.equal((await app.api(`/campaigns/${id}/${action}`, { method: 'POST' })).status, 200);
  const res = await uploadRaw(app, id, csv(3), '?async=true');
  assert.equal(res.status, 409);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /finished/);
});

test('shutting down during a background import records it as interrupted; a restart marks leftovers failed', async (t) => {
  const app = await startTestApp();
  const id = await createCampaign(app);
  const res = await uploadRaw(app, id, csv(60_000), '?async=true');
  assert.equal(res.status, 202);
  const { import: started } = (await res.json()) as ImportView;
  await app.app.close();
  const db = openDb(app.dbPath);
  t.after(() => db.close());
  const row = db.prepare(`SELECT status, error FROM imports WHERE id = ?`).get(started.id) as { status: string; error: string };
  assert.equal(row.status, 'failed');
  assert.match(row.error, /^interrupted while (checking; nothing was written|writing; the rows written so far stay)/);

  // A process killed mid-import leaves 'running' behind: the next start says what happened.
  db.prepare(`UPDATE imports SET status = 'running', error = NULL WHERE id = ?`).run(started.id);
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, db: { path: app.dbPath }, log: { level: 'silent' } });
  const again = await createApp({ config, log: silentLogger(), telephony: false });
  t.after(() => again.close());
  const after = again.deps.imports.get(started.id);
  assert.equal(after.status, 'failed');
  assert.match(after.error ?? '', /the service stopped during this import/);
});

test('at start, an import still run by a live process on this host (a bereik import beside the service) is left running', async (t) => {
  const { spawn } = await import('node:child_process');
  const { hostname } = await import('node:os');
  const importer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  t.after(() => importer.kill());
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => dead.on('exit', r));
  const app = await startTestApp({ telephony: false });
  const id = await createCampaign(app);
  await app.app.close();
  const db = openDb(app.dbPath);
  t.after(() => db.close());
  const insert = db.prepare(`INSERT INTO imports (campaign_id, file_sha256, status, created_at, owner) VALUES (?, '', 'running', '2026-11-23T10:00:00.000Z', ?)`);
  const live = Number(insert.run(id, `${hostname()}/${importer.pid}`).lastInsertRowid);
  const gone = Number(insert.run(id, `${hostname()}/${dead.pid}`).lastInsertRowid);
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, db: { path: app.dbPath }, log: { level: 'silent' } });
  const again = await createApp({ config, log: silentLogger(), telephony: false });
  t.after(() => again.close());
  assert.equal(again.deps.imports.get(live).status, 'running');
  assert.equal(again.deps.imports.get(gone).status, 'failed');
});
