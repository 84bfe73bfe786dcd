import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/lib/log.ts';
import { runCall } from '../helpers/fake-call.ts';

test('info logs of a whole call name the call but never the debtor, the full number, the creditor or the amount', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level: 'info', destination: sink });
  const r = await runCall({
    args: ['inbound', '0201234567'],
    callerNumber: '0612345678',
    script: { keys: [{ afterPrompt: 2, keys: '1' }, { afterPrompt: 4, keys: '1' }] },
    seeds: [{ name: 'Jan Jansen', amountCents: 123_45, creditor: 'Energie Noord', invoiceRef: 'F2026-0042' }],
    deps: { log },
  });
  assert.equal(r.summary.result, 'paylink_requested');
  const text = lines.join('\n');
  assert.ok(lines.some((l) => l.includes(r.summary.callId)), 'lines carry the call id');
  assert.match(text, /"phone":"[0-9+]+\*{4}"/, 'the phone appears masked');
  for (const secret of ['Jan Jansen', 'Jansen', '+31612345678', '0612345678', 'Energie Noord', 'F2026-0042', '12345', '123.45', 'pay.example']) {
    assert.ok(!text.includes(secret), `"${secret}" must not appear in info logs`);
  }
});
