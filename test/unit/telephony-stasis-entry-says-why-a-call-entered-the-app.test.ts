/**
 * The Stasis() arguments are read once, at the seam, into a typed entry: every shape the
 * dialplan (dialplans/extensions.conf) and Bereik's originates produce, and what happens
 * to arguments Bereik never produces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseStasisEntry, type StasisEntry } from '../../src/telephony/stasis-entry.ts';

const NOTCHECKED = { status: 'NOTCHECKED', cause: '' } as const;

const GOOD: [string, string[], StasisEntry][] = [
  ['bereik-outbound after AMD heard a person', ['outbound', 'c-1', 'HUMAN', 'HUMAN-800-800'], { kind: 'outbound', callId: 'c-1', amd: { status: 'HUMAN', cause: 'HUMAN-800-800' } }],
  ['bereik-outbound after AMD heard a machine', ['outbound', 'c-1', 'MACHINE', 'LONGGREETING-1600-1500'], { kind: 'outbound', callId: 'c-1', amd: { status: 'MACHINE', cause: 'LONGGREETING-1600-1500' } }],
  ['bereik-outbound, AMD unsure', ['outbound', 'c-5', 'NOTSURE', 'TOOLONG-4921'], { kind: 'outbound', callId: 'c-5', amd: { status: 'NOTSURE', cause: 'TOOLONG-4921' } }],
  ['bereik-outbound, hung up while AMD listened', ['outbound', 'c-1', 'HANGUP', ''], { kind: 'outbound', callId: 'c-1', amd: { status: 'HANGUP', cause: '' } }],
  ['bereik-outbound-noamd', ['outbound', 'c-1', 'NOTCHECKED', ''], { kind: 'outbound', callId: 'c-1', amd: NOTCHECKED }],
  ['bereik-outbound with AMD() missing (empty AMDSTATUS)', ['outbound', 'c-1', '', ''], { kind: 'outbound', callId: 'c-1', amd: NOTCHECKED }],
  ["the dialer's originate straight into the app", ['outbound', 'c-1', '', ''], { kind: 'outbound', callId: 'c-1', amd: NOTCHECKED }],
  ['an originate with only the call id', ['outbound', 'c-1'], { kind: 'outbound', callId: 'c-1', amd: NOTCHECKED }],
  ['a lower-case AMD status (hand-written dialplan) is read as Asterisk writes it', ['outbound', 'c-1', 'machine', 'x'], { kind: 'outbound', callId: 'c-1', amd: { status: 'MACHINE', cause: 'x' } }],
  ['bereik-inbound to a dialled number', ['inbound', '0201234567'], { kind: 'inbound', exten: '0201234567' }],
  ['bereik-inbound to an E.164 number', ['inbound', '+31201234567'], { kind: 'inbound', exten: '+31201234567' }],
  ['bereik-inbound without a dialled number (extension s)', ['inbound', 's'], { kind: 'inbound', exten: 's' }],
  ['inbound with no extension at all', ['inbound'], { kind: 'inbound', exten: '' }],
  ["a transfer's agent leg", ['agent', 'c-1', '7'], { kind: 'agent', callId: 'c-1', agentId: 7 }],
];

for (const [name, args, expected] of GOOD) {
  test(`entry: ${name}`, () => {
    assert.deepEqual(parseStasisEntry(args), expected);
  });
}

const BAD: [string, string[], RegExp][] = [
  ['no arguments', [], /no Stasis arguments/],
  ['an unknown first argument', ['callback', 'c-1'], /unknown entry "callback": expected outbound, inbound or agent/],
  ['a first argument in the wrong case', ['Outbound', 'c-1'], /unknown entry "Outbound"/],
  ['outbound without a call id', ['outbound'], /outbound without a call id/],
  ['outbound with an empty call id (BEREIK_CALL_ID unset)', ['outbound', '', 'HUMAN', 'HUMAN-800-800'], /outbound without a call id \(is BEREIK_CALL_ID set/],
  ['an AMD status AMD() never gives', ['outbound', 'c-1', 'PERSON', ''], /AMD status "PERSON" is not one of HUMAN, MACHINE, NOTSURE, HANGUP, NOTCHECKED/],
  ['outbound with an extra argument', ['outbound', 'c-1', 'HUMAN', 'HUMAN-800-800', 'extra'], /at most a call id, AMDSTATUS and AMDCAUSE, got 4 arguments/],
  ['inbound with an extra argument', ['inbound', '0201234567', 'extra'], /inbound takes only the dialled extension, got 2 arguments/],
  ['an agent leg without its agent id', ['agent', 'c-1'], /agent takes a call id and an agent id, got 1 arguments/],
  ['an agent leg with an extra argument', ['agent', 'c-1', '7', 'x'], /got 3 arguments/],
  ['an agent leg without a call id', ['agent', '', '7'], /agent leg without a call id/],
  ['an agent id that is not a number', ['agent', 'c-1', 'seven'], /agent id "seven" is not a positive whole number/],
  ['an agent id of 0', ['agent', 'c-1', '0'], /agent id "0"/],
];

for (const [name, args, reason] of BAD) {
  test(`unknown entry: ${name}, with the reason and the arguments`, () => {
    const e = parseStasisEntry(args);
    assert.equal(e.kind, 'unknown');
    assert.ok(e.kind === 'unknown');
    assert.match(e.reason, reason);
    assert.deepEqual(e.raw, args);
  });
}

test('every Stasis() in the shipped dialplan parses to a known entry (variables filled in as Asterisk would)', () => {
  const conf = readFileSync(new URL('../../dialplans/extensions.conf', import.meta.url), 'utf8');
  const code = conf.split('\n').filter((l) => !l.trimStart().startsWith(';')).join('\n');
  const calls = [...code.matchAll(/Stasis\(bereik,([^)]*)\)/g)].map((m) => m[1]!);
  assert.ok(calls.length >= 3, 'the dialplan has its Stasis() lines');
  const vars: Record<string, string> = { BEREIK_CALL_ID: 'c-1', AMDSTATUS: 'HUMAN', AMDCAUSE: 'HUMAN-800-800', EXTEN: '0201234567' };
  for (const data of calls) {
    const args = data.replace(/\$\{(\w+)\}/g, (_, v: string) => vars[v] ?? '').split(',');
    const e = parseStasisEntry(args);
    assert.notEqual(e.kind, 'unknown', `Stasis(bereik,${data}) → ${JSON.stringify(e)}`);
  }
});
