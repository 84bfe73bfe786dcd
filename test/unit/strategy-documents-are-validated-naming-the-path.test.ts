import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseStrategy, strategyProblems } from '../../src/strategy/schema.ts';
import { shippedDefault } from './strategy-fixture.ts';

const base = (steps: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'test', name: 'Test', segments: [{ name: 'all', steps }], ...extra });

test('the shipped default strategy validates, and follows the field: small amounts never reach an agent, high ones do early', () => {
  const parsed = parseStrategy(shippedDefault());
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  const seg = (name: string) => parsed.strategy.segments.find((s) => s.name === name)!;
  assert.ok(seg('small').steps.every((s) => s.action !== 'call_agent'), 'small amounts: digital and automated only');
  assert.deepEqual(seg('small').steps.filter((s) => s.day !== undefined).map((s) => [s.day, s.action, s.kind ?? null]), [
    [0, 'sms', null], [0, 'email', null], [3, 'call_ivr', null], [7, 'sms', null], [10, 'email', null], [14, 'external', 'letter'],
  ]);
  for (const name of ['high_risk', 'high_amount']) {
    const agent = seg(name).steps.find((s) => s.action === 'call_agent' && s.day !== undefined)!;
    assert.equal(agent.day, 1, `${name}: an agent on day 1`);
  }
  assert.equal(parsed.strategy.segments.at(-1)!.match, undefined, 'the last segment catches everyone else');
});

test('bad strategies: each problem names its path, a stable rule and why', () => {
  const cases: Array<[string, unknown, Array<[string, string, RegExp]>]> = [
    ['unknown action', base([{ day: 0, action: 'fax' }]), [['strategy.segments[0].steps[0].action', 'not_allowed', /must be one of "sms", "email"/]]],
    ['neither day nor on', base([{ action: 'sms' }]), [['strategy.segments[0].steps[0]', 'step_trigger', /exactly one of "day".*"on"/]]],
    ['both day and on', base([{ day: 1, on: 'no_answer', action: 'sms' }]), [['strategy.segments[0].steps[0]', 'step_trigger', /exactly one/]]],
    ['unknown event', base([{ on: 'rain', action: 'sms' }]), [['strategy.segments[0].steps[0].on', 'not_allowed', /no_answer/]]],
    ['external without kind', base([{ day: 14, action: 'external' }]), [['strategy.segments[0].steps[0].kind', 'kind_needed', /letter/]]],
    ['mode on an SMS', base([{ day: 0, action: 'sms', mode: 'predictive' }]), [['strategy.segments[0].steps[0].mode', 'mode_not_agent', /only for call_agent/]]],
    ['day past a year', base([{ day: 400, action: 'sms' }]), [['strategy.segments[0].steps[0].day', 'too_large', /at most 365, got 400/]]],
    ['typo in a field', base([{ day: 0, action: 'sms', sameday: true }]), [['strategy.segments[0].steps[0].sameday', 'unknown_field', /not a known field/]]],
    [
      'min above max',
      { id: 'x', name: 'X', segments: [{ name: 'a', match: { amountCents: { min: 500, max: 100 } }, steps: [{ day: 0, action: 'sms' }] }] },
      [['strategy.segments[0].match.amountCents', 'range_order', /min \(500\) must not be above its max \(100\)/]],
    ],
    [
      'two segments with one name',
      { id: 'x', name: 'X', segments: [{ name: 'a', steps: [{ day: 0, action: 'sms' }] }, { name: 'a', steps: [{ day: 0, action: 'sms' }] }] },
      [['strategy.segments[1].name', 'duplicate_segment', /earlier segment/]],
    ],
    ['unknown stop condition', base([{ day: 0, action: 'sms' }], { stopConditions: { rain: false } }), [['strategy.stopConditions.rain', 'unknown_field', /not a known field/]]],
    ['no segments', { id: 'x', name: 'X', segments: [] }, [['strategy.segments', 'too_small', /at least 1 entries/]]],
    ['not an object', [1, 2], [['strategy', 'type', /JSON object/]]],
  ];
  for (const [what, doc, expected] of cases) {
    const got = strategyProblems(doc);
    assert.deepEqual(got.map((p) => [p.field, p.rule]), expected.map(([f, r]) => [f, r]), what);
    expected.forEach(([, , re], i) => assert.match(got[i]!.message, re, what));
  }
});

test('the example in docs/strategy.md is a valid strategy', () => {
  const text = readFileSync(join(import.meta.dirname, '../../docs/strategy.md'), 'utf8');
  const example = /```json\n([\s\S]*?)```/.exec(text)![1]!;
  assert.deepEqual(strategyProblems(JSON.parse(example)), []);
});
