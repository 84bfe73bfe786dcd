import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoUtc } from '../../src/lib/clock.ts';
import { loadCase } from '../../src/store/agents.ts';
import { freshDb, previewWithOneAgent, seedCampaign } from './dialer-fixture.ts';

/** Monday 23 Nov 2026, 11:00 in Amsterdam. */
const NOW = Date.parse('2026-11-23T10:00:00Z');

test('a preview agent limited to a creditor is offered only its creditor’s contacts, with only its claims', () => {
  const db = freshDb();
  const at = isoUtc(NOW - 3600_000);
  // Zeta's debtor comes first in the dialer's order; Acme's debtor also owes Zeta.
  const { contactIds, debtorIds } = seedCampaign(db, { mode: 'preview', debtors: [{ phones: ['+31611111111'] }, { phones: ['+31622222222'] }], at });
  db.prepare(`UPDATE claims SET creditor = CASE debtor_id WHEN ? THEN 'Zeta' ELSE 'Acme' END`).run(debtorIds[0]);
  db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (?, 'Zeta', 'INV-ZETA-X', 999993, ?, ?)`).run(debtorIds[1], at, at);
  const preview = previewWithOneAgent(db, NOW, at);
  assert.equal(preview.next(1)?.contactId, contactIds[0], 'unlimited: the first due contact, Zeta’s');
  assert.equal(preview.next(1, ['Acme'])?.contactId, contactIds[1]);
  assert.equal(preview.next(1, ['Nobody']), undefined);
  // What the desktop shows of that case: Acme's claim only.
  assert.deepEqual(loadCase(db, debtorIds[1]!, ['Acme'])!.claims.map((c) => c.creditor), ['Acme']);
  assert.deepEqual(loadCase(db, debtorIds[1]!)!.claims.map((c) => c.creditor).sort(), ['Acme', 'Zeta']);
  assert.equal(loadCase(db, debtorIds[0]!, ['Acme']), undefined, 'Zeta’s debtor is no case for Acme');
  db.close();
});
