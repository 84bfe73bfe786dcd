import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign, uploadRaw } from '../helpers/imports.ts';

test('contacts come back in pages that follow nextCursor, and filter by status', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const id = await createCampaign(app);
  let csv = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\n';
  for (let i = 1; i <= 5; i++) csv += `P${i};Persoon ${i};06-1234567${i};${i},00;F${i}\n`;
  assert.equal((await uploadRaw(app, id, csv)).status, 201);

  const seen: string[] = [];
  let cursor: number | null = 0;
  let pages = 0;
  while (cursor !== null) {
    const res = await app.api(`/campaigns/${id}/contacts?limit=2&cursor=${cursor}`);
    const page = (await res.json()) as { items: { debtorRef: string; status: string }[]; nextCursor: number | null; total: number };
    assert.equal(page.total, 5);
    seen.push(...page.items.map((c) => c.debtorRef));
    cursor = page.nextCursor;
    pages++;
  }
  assert.deepEqual(seen, ['P1', 'P2', 'P3', 'P4', 'P5']);
  assert.equal(pages, 3);

  const pending = (await (await app.api(`/campaigns/${id}/contacts?status=pending`)).json()) as { total: number };
  assert.equal(pending.total, 5);
  const done = (await (await app.api(`/campaigns/${id}/contacts?status=done`)).json()) as { items: unknown[]; total: number };
  assert.deepEqual([done.items.length, done.total], [0, 0]);
  assert.equal((await app.api(`/campaigns/${id}/contacts?status=sleeping`)).status, 400);
  assert.equal((await app.api('/campaigns/999/contacts')).status, 404);
});
