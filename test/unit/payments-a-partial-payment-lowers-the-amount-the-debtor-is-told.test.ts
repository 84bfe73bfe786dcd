import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { PaymentService } from '../../src/payments/service.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { blankEntry } from '../../src/payments/types.ts';
import { AT, seedClaims } from '../helpers/payments.ts';

test('after a partial payment the IVR and messages tell what is still open, for the claim and for the other claims', () => {
  const store = openSqliteStore(':memory:');
  const seeded = seedClaims(store);
  const service = new PaymentService({ store, clock: new FakeClock(Date.parse(AT)), log: silentLogger() });
  service.apply({ ...blankEntry('csv', 'line 2'), externalId: 'p1', amountCents: 20_000, bookedOn: '2026-12-01', invoiceRef: 'A-1', debtorRef: 'D-100' }, null, AT);
  // D-100 owes A-1 1,000.00 (200.00 paid) and A-2 500.00.
  const cases = store.cases.byDebtorRef('D-100');
  const a1 = cases.find((c) => c.claim.invoiceRef === 'A-1')!;
  const a2 = cases.find((c) => c.claim.invoiceRef === 'A-2')!;
  assert.equal(a1.claim.amountCents, 80_000);
  assert.equal(a2.otherOpen?.amountCents, 80_000);
  const open = store.debtors.openClaims(seeded.debtors.get('D-100')!);
  assert.deepEqual(open.map((c) => [c.invoiceRef, c.amountCents]), [['A-2', 50_000], ['A-1', 80_000]]);
});
