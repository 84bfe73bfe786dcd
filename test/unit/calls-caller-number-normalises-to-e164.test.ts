import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseCallerNumber } from '../../src/calls/caller-number.ts';

const CASES: [string | undefined, string | null][] = [
  ['0612345678', '+31612345678'],
  ['06-12345678', '+31612345678'],
  ['0031612345678', '+31612345678'],
  ['+31612345678', '+31612345678'],
  ['+31 (0)6 1234 5678', '+31612345678'],
  ['+31(0)201234567', '+31201234567'],
  ['020 123 4567', '+31201234567'],
  ['+32470123456', '+32470123456'],
  ['', null],
  [undefined, null],
  ['anonymous', null],
  ['Anonymous', null],
  ['unknown', null],
  ['restricted', null],
  ['123', null],
  ['abc', null],
];

for (const [raw, want] of CASES) {
  test(`caller number ${JSON.stringify(raw)} is matched as ${want ?? 'unknown'}`, () => {
    assert.equal(normaliseCallerNumber(raw, 'NL'), want);
  });
}
