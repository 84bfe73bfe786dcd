import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCamt053, decimalToCents } from '../../src/payments/camt053.ts';
import { XmlError } from '../../src/payments/xml.ts';

const FIX = join(import.meta.dirname, '../fixtures/payments');
const read = (name: string) => readFileSync(join(FIX, name), 'utf8');

test('a statement with several entries: each booked credit is a payment, a batch is one payment per transaction', () => {
  const { entries, rejected, ignored } = parseCamt053(read('camt053-day1-several-entries-and-a-batch.xml'));
  assert.deepEqual(rejected, []);
  assert.deepEqual(
    entries.map((e) => [e.externalId, e.kind, e.amountCents, e.bookedOn, e.paymentReference, e.endToEndId]),
    [
      ['NL91INGB0001234567:ING-0001', 'payment', 15000, '2026-12-01', '1234567890123456', null],
      ['NL91INGB0001234567:ING-0002', 'payment', 4000, '2026-12-01', null, 'E2E-TRF-77'],
      ['NL91INGB0001234567:ING-0003/1', 'payment', 20000, '2026-12-01', null, 'DD-2026-12-A'],
      ['NL91INGB0001234567:ING-0003/2', 'payment', 10000, '2026-12-01', null, 'DD-2026-12-B'],
      ['NL91INGB0001234567:ING-0005', 'payment', 2500, '2026-12-01', null, null],
    ],
  );
  assert.deepEqual(ignored, [{ where: 'statement 1, entry 4', reason: 'a debit of ours, not a payment' }]);
});

test('names and descriptions keep their foreign characters; &amp; is decoded; the IBAN of the payer is kept', () => {
  const { entries } = parseCamt053(read('camt053-day1-several-entries-and-a-batch.xml'));
  assert.equal(entries[0]!.counterpartyName, 'José Müller-Lüdenscheidt');
  assert.equal(entries[0]!.counterpartyIban, 'NL02ABNA0123456789');
  assert.equal(entries[1]!.counterpartyName, 'Zoë van den Bërg');
  assert.equal(entries[1]!.description, 'Deelbetaling factuur F2026-0042, rest volgt');
  assert.equal(entries[2]!.counterpartyName, 'Łukasz Żółkiewski');
  assert.equal(entries[3]!.counterpartyName, 'Ærøskøbing & Søn');
});

test('a returned direct debit (DBIT with RtrInf) is a reversal naming the original end-to-end id and the reason; a pending entry is ignored', () => {
  const { entries, ignored } = parseCamt053(read('camt053-day2-overlap-rest-and-a-storno.xml'));
  const storno = entries.find((e) => e.kind === 'reversal')!;
  assert.equal(storno.amountCents, 20000);
  assert.equal(storno.endToEndId, 'DD-2026-12-A');
  assert.equal(storno.returnReason, 'MD06');
  assert.deepEqual(ignored.map((i) => i.reason), ['status PDNG: not booked']);
});

test('a DBIT with RvslInd true is a reversal; a CRDT with RvslInd true reverses a debit of ours and is ignored', () => {
  const doc = (ind: string, rvsl: string) => `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt>
    <Acct><Id><IBAN>NL91INGB0001234567</IBAN></Id></Acct>
    <Ntry><Amt Ccy="EUR">5.5</Amt><CdtDbtInd>${ind}</CdtDbtInd><RvslInd>${rvsl}</RvslInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2026-12-01T10:00:00+01:00</DtTm></BookgDt><AcctSvcrRef>R1</AcctSvcrRef></Ntry>
    </Stmt></BkToCstmrStmt></Document>`;
  const dbit = parseCamt053(doc('DBIT', 'true'));
  assert.equal(dbit.entries[0]!.kind, 'reversal');
  assert.equal(dbit.entries[0]!.amountCents, 550);
  assert.equal(dbit.entries[0]!.bookedOn, '2026-12-01');
  assert.equal(dbit.entries[0]!.returnReason, 'RVSL');
  const crdt = parseCamt053(doc('CRDT', 'true'));
  assert.equal(crdt.entries.length, 0);
  assert.equal(crdt.ignored.length, 1);
});

test('a file fed in pieces of any size reads the same as whole', async () => {
  const text = read('camt053-day1-several-entries-and-a-batch.xml');
  const whole = parseCamt053(text).entries;
  const { Camt053Parser } = await import('../../src/payments/camt053.ts');
  for (const size of [1, 7, 64, 1000]) {
    const got: unknown[] = [];
    const p = new Camt053Parser({ entry: (e) => got.push(e), reject: () => {}, ignore: () => {} });
    for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
    p.end();
    assert.deepEqual(got, whole, `chunks of ${size}`);
  }
});

test('a DOCTYPE is refused before any entity could be read (XXE, billion laughs)', () => {
  assert.throws(() => parseCamt053(read('camt053-with-doctype-xxe.xml')), (err: Error) => err instanceof XmlError && /line 2: a DOCTYPE is not accepted/.test(err.message) && /XXE/.test(err.message));
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Document/>`;
  assert.throws(() => parseCamt053(laughs), /DOCTYPE is not accepted/);
});

test('an entity other than the five predefined is refused, never expanded', () => {
  const doc = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&ext;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>`;
  assert.throws(() => parseCamt053(doc), /entity &ext; is not allowed/);
});

test('not a CAMT.053, cut off, or mis-nested: a clear error with the line', () => {
  assert.throws(() => parseCamt053('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><x/></Document>'), /not a CAMT\.053 bank statement.*pain\.001/);
  const text = read('camt053-day1-several-entries-and-a-batch.xml');
  assert.throws(() => parseCamt053(text.slice(0, text.length / 2)), /the file ends inside|ends in the middle/);
  assert.throws(() => parseCamt053('<Document>\n<BkToCstmrStmt>\n</Stmt></BkToCstmrStmt></Document>'), /line 3: <\/Stmt> closes <BkToCstmrStmt>/);
});

test('amounts: decimals with a dot, at most two significant decimals', () => {
  assert.equal(decimalToCents('150.00'), 15000);
  assert.equal(decimalToCents('0.5'), 50);
  assert.equal(decimalToCents('12'), 1200);
  assert.equal(decimalToCents('1.2300'), 123);
  assert.equal(decimalToCents('1.234'), null);
  assert.equal(decimalToCents('1,50'), null);
  assert.equal(decimalToCents('-3.00'), null);
});
