/** When a number last wrote on WhatsApp is read from the stored replies (the 24-hour window after a restart). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStore } from '../helpers/messages.ts';

test('the last time a number wrote is per channel and per number', () => {
  const store = memoryStore();
  const from = '+31612345678';
  const row = (channel: 'sms' | 'whatsapp', at: string, who = from) =>
    store.replies.recordInbound({ channel, from: who, to: '+31970105874', body: 'hallo', debtorId: null, messageId: null, intent: 'free_text', status: 'open' }, at);
  assert.equal(store.replies.lastInboundAt('whatsapp', from), undefined);
  row('whatsapp', '2026-11-23T09:00:00.000Z');
  row('whatsapp', '2026-11-23T11:00:00.000Z');
  row('sms', '2026-11-23T12:00:00.000Z');
  row('whatsapp', '2026-11-23T13:00:00.000Z', '+31687654321');
  assert.equal(store.replies.lastInboundAt('whatsapp', from), '2026-11-23T11:00:00.000Z');
  assert.equal(store.replies.lastInboundAt('sms', from), '2026-11-23T12:00:00.000Z');
  store.close();
});
