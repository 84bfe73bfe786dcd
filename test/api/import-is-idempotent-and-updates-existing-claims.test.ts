import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { contactsOf, createCampaign, fixture, storeCounts, uploadRaw } from '../helpers/imports.ts';

test('uploading the same file twice updates and never duplicates; a changed amount is updated in place', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const file = fixture('good', 'dutch-semicolon.csv');

  const first = (await (await uploadRaw(app, campaignId, file)).json()) as Record<string, number | string>;
  assert.deepEqual([first.debtorsCreated, first.claimsCreated, first.claimsUpdated], [2, 3, 0]);
  const counts = storeCounts(app, campaignId);
  assert.deepEqual(counts, { debtors: 2, phones: 3, claims: 3, contacts: 3 });

  const again = (await (await uploadRaw(app, campaignId, file)).json()) as Record<string, number | string>;
  assert.equal(again.fileSha256, first.fileSha256);
  assert.deepEqual([again.debtorsCreated, again.claimsCreated, again.claimsUpdated], [0, 0, 3]);
  assert.deepEqual(storeCounts(app, campaignId), counts);

  // Same debtor ref + invoice ref in a later file: the claim is updated, not added.
  const later = 'debiteurnummer;naam;telefoon;bedrag;factuurnummer\r\nD200;Anna Smit-de Wit;06-87654321;20,00;F2026-3\r\n';
  const upd = (await (await uploadRaw(app, campaignId, later)).json()) as Record<string, number>;
  assert.deepEqual([upd.claimsCreated, upd.claimsUpdated], [0, 1]);
  assert.deepEqual(storeCounts(app, campaignId), counts);
  const anna = (await contactsOf(app, campaignId)).find((c) => c.invoiceRef === 'F2026-3')!;
  assert.equal(anna.amountCents, 2000);
  assert.equal(anna.debtorName, 'Anna Smit-de Wit');

  // Both imports are listed for the campaign, newest first.
  const list = (await (await app.api(`/campaigns/${campaignId}/imports`)).json()) as { items: { id: number; status: string }[]; total: number };
  assert.equal(list.total, 3);
  assert.deepEqual(list.items.map((i) => i.status), ['completed', 'completed', 'completed']);
});
