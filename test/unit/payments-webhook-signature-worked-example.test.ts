import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWebhook, verifyWebhook } from '../../src/payments/webhook.ts';

const DOC = readFileSync(join(import.meta.dirname, '../../docs/payments.md'), 'utf8');

test('the shell example in docs/payments.md (openssl) signs exactly as Bereik verifies', () => {
  const body = /^BODY='(.*)'$/m.exec(DOC)![1]!;
  const sig = /SIG=([0-9a-f]{64})/.exec(DOC)![1]!;
  assert.equal(signWebhook('whsec_example', '1796119200', body), `sha256=${sig}`);
  verifyWebhook({ secret: 'whsec_example', timestamp: '1796119200', signature: `sha256=${sig}`, body: Buffer.from(body), nowMs: 1796119200_000 + 299_000 });
  assert.throws(() => verifyWebhook({ secret: 'whsec_example', timestamp: '1796119200', signature: `sha256=${sig}`, body: Buffer.from(body), nowMs: 1796119200_000 + 301_000 }), { code: 'PAYMENT_WEBHOOK_STALE' });
});
