import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../../src/lib/clock.ts';
import { startTestApp } from '../helpers/app.ts';
import { AT, claimState, seedClaims } from '../helpers/payments.ts';

const FIX = join(import.meta.dirname, '../fixtures/payments');

async function rig(t: { after(fn: () => Promise<void>): void }) {
  const h = await startTestApp({ clock: new FakeClock(Date.parse(AT)), telephony: false, messaging: false });
  t.after(() => h.close());
  return { h, seeded: seedClaims(h.app.deps.store) };
}

const upload = (h: Awaited<ReturnType<typeof rig>>['h'], name: string, type: string) =>
  h.api('/payments/files', { method: 'POST', headers: { 'content-type': type, 'x-file-name': name }, body: readFileSync(join(FIX, name)) });

test('a CAMT.053 upload (raw XML) answers the summary; the same upload again is 200 alreadyImported and changes nothing', async (t) => {
  const { h } = await rig(t);
  const res = await upload(h, 'camt053-day1-several-entries-and-a-batch.xml', 'application/xml');
  assert.equal(res.status, 201);
  const s = (await res.json()) as Record<string, unknown>;
  assert.deepEqual([s.kind, s.entries, s.matched, s.unmatched, s.duplicates, s.reversed, s.ignored, s.rejected, s.alreadyImported], ['camt053', 5, 4, 1, 0, 0, 1, 0, false]);
  const again = await upload(h, 'camt053-day1-several-entries-and-a-batch.xml', 'application/xml');
  assert.equal(again.status, 200);
  assert.equal(((await again.json()) as { alreadyImported: boolean }).alreadyImported, true);
  assert.equal(((await (await h.api('/payments?limit=1000')).json()) as { items: unknown[] }).items.length, 5);
});

test('as multipart too; a CSV with bad rows lists them with line, column, value and reason', async (t) => {
  const { h } = await rig(t);
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(FIX, 'payments-backoffice.csv'))], { type: 'text/csv' }), 'backoffice.csv');
  const res = await h.api('/payments/files', { method: 'POST', body: form });
  assert.equal(res.status, 201);
  const s = (await res.json()) as { kind: string; fileName: string; matched: number; rejected: number; rejects: Array<{ line: number; column: string | null; value: string | null; reason: string }> };
  assert.deepEqual([s.kind, s.fileName, s.matched, s.rejected], ['csv', 'backoffice.csv', 3, 3]);
  assert.deepEqual(s.rejects[0], { line: 5, where: 'line 5', column: 'bedrag', value: '-5,00', reason: 'amount is negative' });
});

test('a statement with a DOCTYPE is refused: 422 PAYMENT_BAD_FILE saying why, nothing stored', async (t) => {
  const { h } = await rig(t);
  const res = await upload(h, 'camt053-with-doctype-xxe.xml', 'text/xml');
  assert.equal(res.status, 422);
  const err = ((await res.json()) as { error: { code: string; message: string } }).error;
  assert.equal(err.code, 'PAYMENT_BAD_FILE');
  assert.match(err.message, /line 2: a DOCTYPE is not accepted/);
  assert.deepEqual(((await (await h.api('/payments')).json()) as { items: unknown[] }).items, []);
});

test('the operator lists unmatched payments and matches one by hand; a matched one cannot be matched again', async (t) => {
  const { h, seeded } = await rig(t);
  await upload(h, 'camt053-day1-several-entries-and-a-batch.xml', 'application/xml');
  const list = (await (await h.api('/payments?status=unmatched')).json()) as { items: Array<{ id: number; amountCents: number; counterpartyName: string }> };
  assert.deepEqual(list.items.map((p) => [p.amountCents, p.counterpartyName]), [[2_500, 'Onbekend']]);
  const claimId = seeded.claims.get('F2026-0042')!;
  const res = await h.api(`/payments/${list.items[0]!.id}/match`, { method: 'POST', json: { claimId } });
  assert.equal(res.status, 200);
  const r = (await res.json()) as { payment: { status: string; matchedBy: string; claimId: number }; effect: { paidCents: number } };
  assert.deepEqual([r.payment.status, r.payment.matchedBy, r.payment.claimId, r.effect.paidCents], ['matched', 'manual', claimId, 6_500]);
  assert.equal(claimState(h.app.deps.store, claimId).paidCents, 6_500);
  const again = await h.api(`/payments/${list.items[0]!.id}/match`, { method: 'POST', json: { claimId } });
  assert.equal(again.status, 409);
  assert.equal((await h.api(`/payments/${list.items[0]!.id}/match`, { method: 'POST', json: { claimId: 99_999 } })).status, 404);
  assert.deepEqual(((await (await h.api('/payments?status=unmatched')).json()) as { items: unknown[] }).items, []);
});
