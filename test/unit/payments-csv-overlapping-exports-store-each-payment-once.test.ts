import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { PaymentService } from '../../src/payments/service.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { AT, claimState, seedClaims } from '../helpers/payments.ts';

function rig(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-pay-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = openSqliteStore(':memory:');
  const seeded = seedClaims(store);
  const service = new PaymentService({ store, clock: new FakeClock(Date.parse(AT)), log: silentLogger() });
  let n = 0;
  const file = (text: string | Buffer) => {
    const path = join(dir, `f${++n}`);
    writeFileSync(path, text);
    return { path, fileName: `f${n}.csv` };
  };
  return { store, seeded, service, file };
}

test('two exports that overlap: the rows in both are stored once; two equal payments in one export count twice', async (t) => {
  const { store, seeded, service, file } = rig(t);
  const head = 'factuurnummer;bedrag;datum\n';
  const monday = await service.importFile(file(head + 'INV-7001;10,00;01-12-2026\nINV-7001;10,00;01-12-2026\n'));
  assert.equal(monday.matched, 2);
  const tuesday = await service.importFile(file(head + 'INV-7001;10,00;01-12-2026\nINV-7001;10,00;01-12-2026\nINV-7001;30,00;02-12-2026\n'));
  assert.deepEqual([tuesday.duplicates, tuesday.matched], [2, 1]);
  assert.equal(claimState(store, seeded.claims.get('INV-7001')!).paidCents, 5_000);
});

test('with an id column the id decides: the same id in another export is the same payment', async (t) => {
  const { store, seeded, service, file } = rig(t);
  await service.importFile(file('transactie_id,invoice_ref,amount,date\nTX-1,INV-7002,25.00,2026-12-01\n'));
  const again = await service.importFile(file('transactie_id,invoice_ref,amount,date,omschrijving\nTX-1,INV-7002,25.00,2026-12-01,copy\nTX-2,INV-7002,25.00,2026-12-01,\n'));
  assert.deepEqual([again.duplicates, again.matched], [1, 1]);
  assert.equal(claimState(store, seeded.claims.get('INV-7002')!).paidCents, 5_000);
});

test('a CSV missing its amount or date column, or any way to find the claim, is refused naming what is missing', async (t) => {
  const { service, file } = rig(t);
  await assert.rejects(service.importFile(file('factuurnummer;datum\nF-1;01-12-2026\n')), (e) => isBereikError(e, 'PAYMENT_BAD_FILE') && /missing required column on line 1: amount/.test(e.message));
  await assert.rejects(service.importFile(file('naam;bedrag;datum\nX;1,00;01-12-2026\n')), (e) => isBereikError(e, 'PAYMENT_BAD_FILE') && /debtor_ref, invoice_ref or payment_reference/.test(e.message));
  await assert.rejects(service.importFile(file('factuurnummer;bedrag;datum\n')), (e) => isBereikError(e, 'PAYMENT_BAD_FILE') && /header but no payments/.test(e.message));
  await assert.rejects(service.importFile(file(Buffer.from([0xef, 0xbb, 0xbf, 0x3c, 0x44, 0x6f, 0x63, 0xff, 0x3e]))), (e) => isBereikError(e, 'PAYMENT_BAD_FILE') && /not UTF-8/.test(e.message));
});
