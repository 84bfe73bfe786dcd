import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../src/store/db.ts';
import { findCasesByDebtorRef, findCasesByPhone } from '../../src/store/recognition.ts';
import { seedCase } from '../helpers/fake-call.ts';

test('a caller with several open claims: highest amount first, then the oldest due date; paid claims are left out', () => {
  const db = openDb(':memory:');
  try {
    const a = seedCase(db, { externalRef: 'R1', invoiceRef: 'A', amountCents: 300_00, dueDate: '2026-09-30', phone: '+31630000001' });
    const sameDebtor = (invoiceRef: string, amount: number, due: string, status = 'open') => {
      db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, status, created_at, updated_at) VALUES (?, 'X', ?, ?, ?, ?, 'now', 'now')`).run(a.debtorId, invoiceRef, amount, due, status);
    };
    sameDebtor('B', 300_00, '2026-08-31');
    sameDebtor('C', 900_00, '2026-11-30', 'paid');
    sameDebtor('D', 100_00, '2026-01-31', 'promised');
    const byPhone = findCasesByPhone(db, '+31630000001');
    assert.deepEqual(byPhone.map((c) => c.claim.invoiceRef), ['B', 'A', 'D']);
    assert.equal(byPhone[1]!.campaign?.mode, 'agentless', 'the campaign comes from the claim’s contact');
    assert.equal(byPhone[0]!.campaign, null, 'a claim without a contact has no campaign');
    assert.deepEqual(findCasesByDebtorRef(db, 'R1').map((c) => c.claim.invoiceRef), ['B', 'A', 'D']);
    assert.deepEqual(findCasesByPhone(db, '+31630000009'), []);
    assert.deepEqual(findCasesByDebtorRef(db, 'nobody'), []);
  } finally {
    db.close();
  }
});
