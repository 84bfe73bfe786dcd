import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskEmail } from '../../src/lib/log.ts';

const cases: Array<[string | null | undefined, string]> = [
  ['jan.jansen@voorbeeld.nl', 'j***@v***.nl'],
  ['J.DE.VRIES@Familie-De-Vries.com', 'J***@F***.com'],
  ['a@b.co.uk', 'a***@b***.uk'],
  ['user@localhost', 'u***@l***'],
  ['not-an-address', 'n***'],
  ['', ''],
  [null, ''],
  [undefined, ''],
];
for (const [input, masked] of cases) {
  test(`${JSON.stringify(input)} is logged as ${JSON.stringify(masked)}: neither the name nor a personal domain shows`, () => {
    assert.equal(maskEmail(input), masked);
  });
}
