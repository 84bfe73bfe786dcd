import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { runBereik } from '../helpers/cli.ts';
import { seedDebtor } from '../helpers/messages.ts';

const bereik = (args: string[], dbPath: string) => runBereik(args, { BEREIK_DB_PATH: dbPath, BEREIK_LOG_LEVEL: 'warn' });

test('bereik strategy save/list/plan work on the database the API serves; a bad file exits 1 naming each problem', async (t) => {
  const app = await startTestApp({ telephony: false, messaging: false });
  t.after(() => app.close());
  const good = join(app.dir, 'letters.json');
  writeFileSync(good, JSON.stringify({ id: 'letters', name: 'Letters only', segments: [{ name: 'all', steps: [{ day: 0, action: 'external', kind: 'letter' }] }] }));
  const saved = await bereik(['strategy', 'save', good, '--inactive'], app.dbPath);
  assert.equal(saved.status, 0, saved.stderr);
  assert.match(saved.stdout, /strategy letters version 1 saved\n/);
  const list = await bereik(['strategy', 'list'], app.dbPath);
  assert.match(list.stdout, /^default\tv1 \(active\)\t/m);
  assert.match(list.stdout, /^letters\tv1\tLetters only$/m);

  const bad = join(app.dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ id: 'x', name: 'X', segments: [{ name: 'all', steps: [{ day: -1, action: 'sms' }] }] }));
  const refused = await bereik(['strategy', 'save', bad], app.dbPath);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /strategy\.segments\[0\]\.steps\[0\]\.day must be at least 0, got -1/);

  // What the plan does depends on the weekday it runs on; that the debtor joins the strategy does not.
  seedDebtor(app.app.deps.store);
  const plan = await bereik(['strategy', 'plan'], app.dbPath);
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(plan.stdout, /: 1 debtors with open claims; 1 newly assigned; /);
  assert.match(plan.stdout, /^carried out: /m);
  assert.equal((await bereik(['strategy'], app.dbPath)).status, 2);
});
