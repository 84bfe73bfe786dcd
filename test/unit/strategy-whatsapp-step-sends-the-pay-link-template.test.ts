import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { MessageComposer } from '../../src/messaging/compose.ts';
import { StrategyPlanner } from '../../src/strategy/planner.ts';
import { memoryStore, seedDebtor } from '../helpers/messages.ts';

const WA = { id: 'default', name: 'WhatsApp first', segments: [{ name: 'all', steps: [{ day: 0, action: 'whatsapp' }] }] };

async function planWith(whatsapp: boolean) {
  const store = memoryStore();
  const clock = new FakeClock('2026-11-23T07:00:00Z'); // Monday 08:00 in Amsterdam
  const composer = new MessageComposer({
    store, clock, publicUrl: 'https://bereik.example.nl', smsSender: 'number:+3197010587400', emailFrom: 'Incasso <noreply@example.nl>', linkTtlDays: 30,
    ...(whatsapp ? { whatsapp: { sender: 'whatsapp:1234567890', templateName: 'pay_link', templateLanguages: { nl: 'nl', en: 'en_GB' } } } : {}),
  });
  store.strategies.save({ id: 'default', name: WA.name, json: JSON.stringify(WA) }, true, '2026-11-01T00:00:00.000Z');
  const d = seedDebtor(store);
  await new StrategyPlanner({ store, clock, log: silentLogger(), composer }).planDay();
  return { store, action: store.strategies.actionsOf(d.debtorId)[0]!, d };
}

test('a WhatsApp step queues the approved pay-link template to the debtor\'s mobile', async () => {
  const { store, action, d } = await planWith(true);
  assert.deepEqual([action.action, action.status, action.channel], ['whatsapp', 'executed', 'whatsapp']);
  const msg = store.messages.get(action.messageId!)!;
  assert.deepEqual([msg.channel, msg.source, msg.to], ['whatsapp', 'strategy', d.mobile]);
  assert.match(msg.body, /https:\/\/bereik\.example\.nl\/p\//);
});

test('without a WhatsApp channel the step is skipped with the composer\'s reason', async () => {
  const { action } = await planWith(false);
  assert.deepEqual([action.status, action.reason], ['skipped', 'NO_WHATSAPP']);
});
