import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { segment, type SegmentRule } from '../../src/routing/segment.ts';
import { routeCallback } from '../../src/routing/callback.ts';

const S = DEFAULT_SETTINGS; // low < €100, high ≥ €1000

const segTable: Array<[string, number, 'low' | 'medium' | 'high', string, string, string[]]> = [
  ['high risk, small claim', 50_00, 'high', 'agent_now', 'high_risk', ['agent', 'dispute', 'repeat']],
  ['high amount', 1_000_00, 'medium', 'agent_now', 'high_amount', ['agent', 'dispute', 'repeat']],
  ['just below the high threshold', 999_99, 'low', 'menu_both', 'default', ['paylink', 'agent', 'dispute', 'repeat']],
  ['low amount', 99_99, 'medium', 'self_service', 'low_amount', ['paylink', 'dispute', 'repeat']],
  ['exactly the low threshold', 100_00, 'medium', 'menu_both', 'default', ['paylink', 'agent', 'dispute', 'repeat']],
  ['zero amount', 0, 'low', 'self_service', 'low_amount', ['paylink', 'dispute', 'repeat']],
];

for (const [name, amountCents, risk, route, reason, menu] of segTable) {
  test(`segmentation: ${name} → ${route}`, () => {
    assert.deepEqual(segment({ amountCents, risk }, S), { route, reason, menuOptions: menu });
  });
}

test('a campaign may put its own rules in its own order', () => {
  const rules: SegmentRule[] = [{ reason: 'low_amount', route: 'self_service', applies: (i, s) => i.amountCents < s.lowAmountCents }];
  assert.equal(segment({ amountCents: 10_00, risk: 'high' }, S, rules).route, 'self_service');
});

const cbTable: Array<[string, boolean, number, 'low' | 'medium' | 'high', string]> = [
  ['not heard, ordinary claim: play the message', false, 500_00, 'medium', 'play_message'],
  ['heard, ordinary claim: an agent', true, 500_00, 'medium', 'agent'],
  ['heard, small claim: still self-service', true, 20_00, 'medium', 'self_service'],
  ['not heard, small claim: self-service', false, 20_00, 'low', 'self_service'],
  ['not heard, high risk: an agent', false, 500_00, 'high', 'agent'],
  ['not heard, high amount: an agent', false, 5_000_00, 'low', 'agent'],
];

for (const [name, messageHeard, amountCents, risk, action] of cbTable) {
  test(`callback: ${name}`, () => {
    assert.equal(routeCallback({ messageHeard, claim: { amountCents }, debtor: { risk }, settings: S }).action, action);
  });
}
