import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { contactsOf, createCampaign, uploadRaw } from '../helpers/imports.ts';

const FILE =
  'debiteurnummer;naam;telefoon;bedrag;factuurnummer\r\n' +
  'D1;Goed Eén;06-12345678;10,00;F1\r\n' +
  'D2;"=HYPERLINK(""http://x"";""y"")";06-1;5,00;F2\r\n' +
  'D3;Goed Drie;06-12345679;-3;F3\r\n' +
  'D4;"Goed; Vier";06-12345670;4,00;F4\r\n';

test('with skipInvalid the good rows are imported and the bad ones come back as a formula-safe rejects CSV', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const res = await uploadRaw(app, campaignId, FILE, '?skipInvalid=true');
  const body = (await res.json()) as { id: number; status: string; rowsImported: number; rowsRejected: number; errors: unknown[]; rejectsUrl: string };
  assert.equal(res.status, 201);
  assert.equal(body.status, 'partial');
  assert.equal(body.rowsImported, 2);
  assert.equal(body.rowsRejected, 2);
  assert.deepEqual(body.errors, [
    { line: 3, column: 'telefoon', value: '06-1', reason: 'phone number is too short' },
    { line: 4, column: 'bedrag', value: '-3', reason: 'amount is negative' },
  ]);
  assert.deepEqual((await contactsOf(app, campaignId)).map((c) => c.debtorRef), ['D1', 'D4']);

  const csv = await app.api(body.rejectsUrl);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  // Buffer keeps the byte-order mark (Response.text() would drop it); Excel needs it to read UTF-8.
  const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
  assert.equal(
    text,
    '\ufeffdebiteurnummer;naam;telefoon;bedrag;factuurnummer;reason\r\n' +
      `D2;"'=HYPERLINK(""http://x"";""y"")";06-1;5,00;F2;line 3: telefoon: phone number is too short\r\n` +
      `D3;Goed Drie;06-12345679;'-3;F3;line 4: bedrag: amount is negative\r\n`,
  );
});

test('without skipInvalid the same file imports nothing and lists every bad row', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const res = await uploadRaw(app, campaignId, FILE);
  const body = (await res.json()) as { error: { code: string; details: { errors: { line: number }[]; rowsRejected: number } } };
  assert.equal(res.status, 422);
  assert.equal(body.error.code, 'IMPORT_BAD_ROW');
  assert.deepEqual(body.error.details.errors.map((e) => e.line), [3, 4]);
  assert.deepEqual(await contactsOf(app, campaignId), []);
});

test('with skipInvalid a repeated (debtor, invoice) pair keeps its first line; the repeat is rejected in line order and is in the rejects CSV', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const campaignId = await createCampaign(app);
  const file =
    'debiteurnummer;naam;telefoon;bedrag;factuurnummer\r\n' +
    'D1;Eerste;06-12345678;10,00;F1\r\n' +
    'D1;Herhaling;06-12345678;99,00;F1\r\n' +
    'D2;Twee;06-1;5,00;F2\r\n' +
    'D3;Drie;06-12345679;3,00;F3\r\n';
  const res = await uploadRaw(app, campaignId, file, '?skipInvalid=true');
  const body = (await res.json()) as { status: string; rowsImported: number; rowsRejected: number; errors: unknown[]; rejectsUrl: string };
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.deepEqual([body.status, body.rowsImported, body.rowsRejected], ['partial', 2, 2]);
  assert.deepEqual(body.errors, [
    { line: 3, column: 'factuurnummer', value: 'F1', reason: 'duplicate: debtor D1 with invoice F1 is already on line 2' },
    { line: 4, column: 'telefoon', value: '06-1', reason: 'phone number is too short' },
  ]);
  const contacts = await contactsOf(app, campaignId);
  assert.deepEqual(contacts.map((c) => [c.debtorRef, c.debtorName, c.amountCents]), [['D1', 'Eerste', 1000], ['D3', 'Drie', 300]], 'the first line is written, the repeat is not');
  const text = Buffer.from(await (await app.api(body.rejectsUrl)).arrayBuffer()).toString('utf8');
  assert.equal(
    text,
    '\ufeffdebiteurnummer;naam;telefoon;bedrag;factuurnummer;reason\r\n' +
      'D1;Herhaling;06-12345678;99,00;F1;line 3: factuurnummer: duplicate: debtor D1 with invoice F1 is already on line 2\r\n' +
      'D2;Twee;06-1;5,00;F2;line 4: telefoon: phone number is too short\r\n',
  );
});
