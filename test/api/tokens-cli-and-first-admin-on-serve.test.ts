import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { openDb } from '../../src/store/db.ts';
import { TokenStore } from '../../src/store/tokens.ts';
import { startServe } from '../helpers/serve.ts';

const repo = join(import.meta.dirname, '..', '..');
const bereik = (args: string[], dbPath: string) =>
  spawnSync(process.execPath, [join(repo, 'bin', 'bereik.mjs'), ...args], { cwd: repo, env: { ...process.env, BEREIK_DB_PATH: dbPath }, encoding: 'utf8' });

test('bereik token create prints the token once, stores only its SHA-256; list and revoke work', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'db.sqlite');
  const created = bereik(['token', 'create', '--role', 'operator', '--name', 'backoffice'], dbPath);
  assert.equal(created.status, 0, created.stderr);
  const token = created.stdout.trim();
  assert.match(token, /^brk_[A-Za-z0-9_-]{43}$/);

  const db = openDb(dbPath);
  const rows = new TokenStore(db).list();
  assert.equal(rows.length, 1);
  assert.equal(new TokenStore(db).findActiveByHash(createHash('sha256').update(token).digest('hex'))?.name, 'backoffice');
  db.close();

  const list = bereik(['token', 'list'], dbPath);
  assert.match(list.stdout, /1\toperator\tbackoffice/);
  assert.ok(!list.stdout.includes(token), 'list never shows the token');
  assert.equal(bereik(['token', 'create', '--role', 'boss', '--name', 'x'], dbPath).status, 1);
  // A supervisor is rung on the phone of the agent record the token is linked to (docs/supervisors.md).
  const seed = openDb(dbPath);
  seed.prepare(`INSERT INTO agents (name, endpoint, state_since, created_at, updated_at) VALUES ('Sam', 'PJSIP/sup1', '2026-11-23T09:00:00Z', '2026-11-23T09:00:00Z', '2026-11-23T09:00:00Z')`).run();
  seed.close();
  const supervisor = bereik(['token', 'create', '--role', 'supervisor', '--name', 'teamleider', '--agent-id', '1'], dbPath);
  assert.equal(supervisor.status, 0, supervisor.stderr);
  assert.match(bereik(['token', 'list'], dbPath).stdout, /2\tsupervisor\tteamleider\t1\t/);
  assert.equal(bereik(['token', 'create', '--role', 'operator', '--name', 'x', '--agent-id', '1'], dbPath).status, 1, '--agent-id is for agents and supervisors');
  assert.equal(bereik(['token', 'revoke', '1'], dbPath).status, 0);
  assert.match(bereik(['token', 'list'], dbPath).stdout, /1\toperator\tbackoffice\t\t\S+\t\t\S+/);
});

test('bereik serve on a database without an admin creates one, hands it over outside the log (a 0600 file), and it works', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-first-admin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'db.sqlite');
  const start = () => startServe(t, dbPath);
  const first = await start();
  // stdout is a pipe here, as under a service manager, where stdout is the log: the token
  // goes to a file beside the database that only its owner can read.
  const tokenFile = join(dir, 'first-admin-token');
  const token = readFileSync(tokenFile, 'utf8').trim();
  assert.match(token, /^brk_[A-Za-z0-9_-]{43}$/);
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  assert.ok(!first.output().includes(token), 'the token is not in the output');
  assert.match(first.output(), /first-admin-token/, 'the log says where the token is');
  const res = await fetch(`${first.address}/campaigns`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  first.child.kill('SIGTERM');
  await once(first.child, 'exit');

  const second = await start();
  assert.ok(!/brk_|first-admin-token/.test(second.output()), 'no second admin token on the next start');
  assert.equal(readFileSync(tokenFile, 'utf8').trim(), token, 'the file is left as it was');
  second.child.kill('SIGTERM');
  await once(second.child, 'exit');
});
