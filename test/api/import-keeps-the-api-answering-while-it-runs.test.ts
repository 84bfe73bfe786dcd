import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign, uploadRaw } from '../helpers/imports.ts';

// A large import reads in chunks and writes in batches, yielding in between, so other
// requests (the dialer's, an operator's) are served while it runs rather than after it.
test('while a 30,000-row import runs, other requests are answered before it finishes', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  const lines = ['debiteurnummer;naam;telefoon;bedrag;factuurnummer'];
  for (let i = 0; i < 30_000; i++) lines.push(`D${i};Naam ${i};06-1${String(i).padStart(7, '0')};${(i % 900) + 1},50;F${i}`);
  let finished = false;
  const importing = uploadRaw(app, id, lines.join('\n')).then((res) => {
    finished = true;
    return res;
  });
  // Poll the campaign's imports until one is seen running: only possible if the API
  // answers while the import is in progress (a blocking import would show only "completed").
  let seenRunning = 0;
  while (!finished) {
    const list = (await (await app.api(`/campaigns/${id}/imports`)).json()) as { items: { status: string }[] };
    if (list.items[0]?.status === 'running') seenRunning++;
  }
  const res = await importing;
  assert.equal(res.status, 201);
  assert.equal(((await res.json()) as { rowsImported: number }).rowsImported, 30_000);
  assert.ok(seenRunning >= 2, `answered ${seenRunning} requests while the import was running`);
});
