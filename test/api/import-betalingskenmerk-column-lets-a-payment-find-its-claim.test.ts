import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign, uploadRaw } from '../helpers/imports.ts';

const CAMPAIGN_CSV = [
  'debiteurnummer;naam;telefoon;bedrag;factuurnummer;betalingskenmerk',
  'K-1;Anna de Vries;0612345678;"250,00";F-1;1234 5678 9012 3456',
  'K-2;Bram Jansen;0612345679;"80,00";F-2;',
].join('\n');

test('an optional betalingskenmerk column is stored on the claim, and a payment with that reference pays it', async (t) => {
  const app = await startTestApp({ telephony: false, messaging: false });
  t.after(() => app.close());
  const id = await createCampaign(app);
  assert.equal((await uploadRaw(app, id, CAMPAIGN_CSV)).status, 201);
  const pay = 'betalingskenmerk;bedrag;datum\n1234567890123456;250,00;02-12-2026\n';
  const res = await app.api('/payments/files', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: pay });
  const s = (await res.json()) as { matched: number; claimsPaid: number };
  assert.deepEqual([s.matched, s.claimsPaid], [1, 1]);
  const [p] = ((await (await app.api('/payments')).json()) as { items: Array<{ matchedBy: string; claimId: number }> }).items;
  assert.equal(p!.matchedBy, 'payment_reference');
  const contacts = ((await (await app.api(`/campaigns/${id}/contacts`)).json()) as { items: Array<{ invoiceRef: string; claimStatus: string; status: string; result: string | null }> }).items;
  assert.deepEqual(contacts.map((c) => [c.invoiceRef, c.claimStatus, c.status, c.result]), [['F-1', 'paid', 'done', 'paid'], ['F-2', 'open', 'pending', null]]);
});

test('a betalingskenmerk that is not 16 digits is a bad row naming the column and the value', async (t) => {
  const app = await startTestApp({ telephony: false, messaging: false });
  t.after(() => app.close());
  const id = await createCampaign(app);
  const res = await uploadRaw(app, id, 'debiteurnummer;naam;telefoon;bedrag;factuurnummer;betalingskenmerk\nK-1;Anna;0612345678;10,00;F-1;1234 5678\n');
  assert.equal(res.status, 422);
  const err = ((await res.json()) as { error: { code: string; details: { errors: unknown[] } } }).error;
  assert.equal(err.code, 'IMPORT_BAD_ROW');
  assert.deepEqual(err.details.errors, [{ line: 2, column: 'betalingskenmerk', value: '1234 5678', reason: 'payment reference (betalingskenmerk) must have 16 digits, found 8' }]);
});
