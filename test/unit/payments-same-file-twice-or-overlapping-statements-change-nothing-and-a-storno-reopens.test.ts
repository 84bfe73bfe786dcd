import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteStore, sqliteHandle } from '../../src/store/sqlite.ts';
import { PaymentService } from '../../src/payments/service.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { AT, claimState, seedClaims } from '../helpers/payments.ts';

const FIX = join(import.meta.dirname, '../fixtures/payments');
const DAY1 = join(FIX, 'camt053-day1-several-entries-and-a-batch.xml');
const DAY2 = join(FIX, 'camt053-day2-overlap-rest-and-a-storno.xml');

function rig() {
  const store = openSqliteStore(':memory:');
  const seeded = seedClaims(store);
  const service = new PaymentService({ store, clock: new FakeClock(Date.parse(AT)), log: silentLogger() });
  const snapshot = () => {
    const db = sqliteHandle(store);
    return {
      payments: db.prepare(`SELECT count(*) FROM payments`).pluck().get(),
      claims: db.prepare(`SELECT id, status, paid_cents FROM claims ORDER BY id`).all(),
      contacts: db.prepare(`SELECT id, status, result FROM contacts ORDER BY id`).all(),
      messages: db.prepare(`SELECT id, status FROM messages ORDER BY id`).all(),
    };
  };
  return { store, seeded, service, snapshot };
}

test('a statement is matched entry by entry: by betalingskenmerk, by invoice number in the text, per transaction of a batch; the rest waits for an operator', async () => {
  const { store, seeded, service } = rig();
  const s = await service.importFile({ path: DAY1, fileName: 'day1.xml' });
  assert.deepEqual(
    { kind: s.kind, entries: s.entries, matched: s.matched, unmatched: s.unmatched, duplicates: s.duplicates, ignored: s.ignored, rejected: s.rejected, claimsPaid: s.claimsPaid },
    { kind: 'camt053', entries: 5, matched: 4, unmatched: 1, duplicates: 0, ignored: 1, rejected: 0, claimsPaid: 3 },
  );
  const byClaim = (ref: string) => store.payments.list({ claimId: seeded.claims.get(ref)! });
  assert.equal(byClaim('F2026-0001')[0]!.matchedBy, 'payment_reference');
  assert.equal(byClaim('F2026-0042')[0]!.matchedBy, 'invoice_ref');
  assert.equal(byClaim('INV-7001')[0]!.counterpartyName, 'Łukasz Żółkiewski');
  assert.equal(claimState(store, seeded.claims.get('F2026-0042')!).paidCents, 4_000);
  const open = store.payments.list({ status: 'unmatched' });
  assert.deepEqual(open.map((p) => [p.amountCents, p.description]), [[2_500, 'Voor de rekening van mijn zoon']]);
});

test('the same file twice changes nothing, and says it was read before', async () => {
  const { service, snapshot } = rig();
  const first = await service.importFile({ path: DAY1, fileName: 'day1.xml' });
  const before = snapshot();
  const again = await service.importFile({ path: DAY1, fileName: 'day1-again.xml' });
  assert.equal(again.alreadyImported, true);
  assert.equal(again.fileId, first.fileId);
  assert.equal(again.matched, first.matched);
  assert.deepEqual(snapshot(), before);
});

test('the next statement repeats an entry (a duplicate, nothing changes), pays the rest of a claim, and a storno of a direct debit reopens its claim and contact', async () => {
  const { store, seeded, service } = rig();
  await service.importFile({ path: DAY1, fileName: 'day1.xml' });
  const inv = seeded.claims.get('INV-7001')!;
  assert.deepEqual(claimState(store, inv), { status: 'paid', amountCents: 20_000, paidCents: 20_000, contact: { status: 'done', result: 'paid' }, messages: ['cancelled'] });
  const s = await service.importFile({ path: DAY2, fileName: 'day2.xml' });
  assert.deepEqual({ entries: s.entries, duplicates: s.duplicates, matched: s.matched, reversed: s.reversed, ignored: s.ignored }, { entries: 3, duplicates: 1, matched: 1, reversed: 1, ignored: 1 });
  assert.deepEqual(claimState(store, seeded.claims.get('F2026-0042')!), { status: 'paid', amountCents: 10_000, paidCents: 10_000, contact: { status: 'done', result: 'paid' }, messages: ['cancelled'] });
  // Reopened: open again, nothing paid, its contact back in the dialer's queue (a cancelled SMS is not resent by itself).
  assert.deepEqual(claimState(store, inv), { status: 'open', amountCents: 20_000, paidCents: 0, contact: { status: 'pending', result: null }, messages: ['cancelled'] });
  const [original] = store.payments.list({ claimId: inv }).filter((p) => p.kind === 'payment');
  assert.equal(original!.status, 'reversed');
  const [storno] = store.payments.list({ claimId: inv }).filter((p) => p.kind === 'reversal');
  assert.deepEqual([storno!.reversesId, storno!.returnReason, storno!.status], [original!.id, 'MD06', 'reversed']);
});

test('a storno without its original payment waits, unmatched, for an operator', async () => {
  const { store, service } = rig();
  const s = await service.importFile({ path: DAY2, fileName: 'day2.xml' });
  assert.equal(s.reversed, 0);
  const reversal = store.payments.list({ status: 'unmatched' }).find((p) => p.kind === 'reversal');
  assert.equal(reversal?.endToEndId, 'DD-2026-12-A');
});

test('a DOCTYPE (XXE) is refused with PAYMENT_BAD_FILE and nothing is stored', async () => {
  const { service, snapshot } = rig();
  const before = snapshot();
  await assert.rejects(service.importFile({ path: join(FIX, 'camt053-with-doctype-xxe.xml'), fileName: 'x.xml' }), (err) => isBereikError(err, 'PAYMENT_BAD_FILE') && /DOCTYPE is not accepted/.test(err.message));
  assert.deepEqual(snapshot(), before);
});

test('a payment CSV: good rows matched, bad rows rejected with line, column, value and reason', async () => {
  const { store, seeded, service } = rig();
  const s = await service.importFile({ path: join(FIX, 'payments-backoffice.csv'), fileName: 'backoffice.csv' });
  assert.equal(s.kind, 'csv');
  assert.deepEqual({ entries: s.entries, matched: s.matched, unmatched: s.unmatched, rejected: s.rejected }, { entries: 3, matched: 3, unmatched: 0, rejected: 3 });
  assert.deepEqual(s.rejects, [
    { line: 5, where: 'line 5', column: 'bedrag', value: '-5,00', reason: 'amount is negative' },
    { line: 6, where: 'line 6', column: 'betaaldatum', value: '31-02-2026', reason: 'date 31-02-2026 does not exist' },
    { line: 7, where: 'line 7', column: null, value: null, reason: 'no debtor number, invoice number or payment reference: the payment cannot be matched' },
  ]);
  // 1.234,56 by debtor number: the older of D-100's claims (A-2, 500.00) is paid in full, the 734.56 over it is noted.
  const a2 = store.payments.list({ claimId: seeded.claims.get('A-2')! })[0]!;
  assert.deepEqual([a2.amountCents, a2.matchedBy, a2.overpaidCents], [123_456, 'debtor_ref', 73_456]);
  assert.equal(store.payments.list({ claimId: seeded.claims.get('F2026-0001')! })[0]!.amountCents, 500);
});
