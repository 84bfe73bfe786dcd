import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign } from '../helpers/imports.ts';

const repo = join(import.meta.dirname, '..', '..');

test('Ctrl-C during bereik import stops it and records the import as interrupted, not running', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  const file = join(app.dir, 'big.csv');
  const lines = ['debiteurnummer;naam;telefoon;bedrag;factuurnummer'];
  for (let i = 0; i < 300_000; i++) lines.push(`D${i};Naam ${i};06-1${String(i).padStart(7, '0')};12,50;F${i}`);
  writeFileSync(file, lines.join('\n'));

  const child = spawn(process.execPath, [join(repo, 'bin', 'bereik.mjs'), 'import', '--campaign', String(id), file], {
    cwd: repo,
    env: { ...process.env, BEREIK_DB_PATH: app.dbPath, BEREIK_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let err = '';
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d) => {
      err += d;
      // Interrupt once the import is under way (first progress line).
      if (/validating: 100,000 rows/.test(err)) resolve();
    });
  });
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 1, err);
  assert.match(err, /interrupted/);

  const list = (await (await app.api(`/campaigns/${id}/imports`)).json()) as { items: { status: string; error: string | null }[] };
  assert.equal(list.items[0]!.status, 'failed');
  assert.match(list.items[0]!.error ?? '', /^interrupted while (checking; nothing was written|writing)/);
});
