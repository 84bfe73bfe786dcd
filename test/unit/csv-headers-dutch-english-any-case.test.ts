import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldOf, mapHeader } from '../../src/campaigns/import/headers.ts';
import { isBereikError } from '../../src/lib/errors.ts';

test('Dutch and English column names in any case map to the same fields', () => {
  const cases: [string, string | null][] = [
    ['Debiteurnummer', 'debtor_ref'], ['debtor_ref', 'debtor_ref'], ['Debtor Ref', 'debtor_ref'], ['NAAM', 'name'], ['name', 'name'],
    ['telefoon', 'phone'], ['Telefoon2', 'phone'], ['telefoon_2', 'phone'], ['mobiel', 'phone'], ['phone_2', 'phone'], ['Mobile', 'phone'],
    ['e-mail', 'email'], ['taal', 'language'], ['Bedrag', 'amount'], ['factuurnummer', 'invoice_ref'], ['Vervaldatum', 'due_date'],
    ['risico', 'risk'], ['opdrachtgever', 'creditor'], ['betaallink', 'pay_url'], ['\ufeffdebiteurnummer', 'debtor_ref'], ['opmerking', null],
  ];
  for (const [name, field] of cases) assert.equal(fieldOf(name), field, name);
});

test('several phone columns are kept in file order; unknown columns are listed as ignored', () => {
  const h = mapHeader(['Bedrag', 'mobiel', 'factuurnummer', 'opmerking', 'telefoon', 'naam', 'debiteurnummer', '']);
  assert.deepEqual(h.phones, [1, 4]);
  assert.deepEqual(h.index, { amount: 0, invoice_ref: 2, name: 5, debtor_ref: 6 });
  assert.deepEqual(h.ignored, ['opmerking']);
  assert.deepEqual(h.unnamed, [7]);
});

test('missing required columns and unrecognisable headers are file errors naming the problem', () => {
  const message = (names: string[]) => {
    try {
      mapHeader(names);
      return 'no error';
    } catch (e) {
      assert.ok(isBereikError(e, 'IMPORT_BAD_FILE'));
      return e.message;
    }
  };
  assert.equal(message(['naam', 'telefoon', 'bedrag']), 'missing required columns: debtor_ref, invoice_ref');
  assert.match(message(['D1', 'Jan', '0612345678']), /^no recognisable header on line 1/);
  assert.match(message(['naam', 'name', 'telefoon']), /appears twice/);
});
