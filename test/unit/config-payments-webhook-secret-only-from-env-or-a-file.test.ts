import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';

function dir(t: { after(fn: () => void): void }) {
  const d = mkdtempSync(join(tmpdir(), 'bereik-cfg-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('the webhook secret comes from BEREIK_PAYMENTS_WEBHOOK_SECRET, or from the file BEREIK_PAYMENTS_WEBHOOK_SECRET_FILE names; off by default', (t) => {
  assert.equal(loadConfig({}).payments?.webhookSecret, '');
  assert.equal(loadConfig({ BEREIK_PAYMENTS_WEBHOOK_SECRET: 'from-env' }).payments?.webhookSecret, 'from-env');
  const file = join(dir(t), 'secret');
  writeFileSync(file, 'from-file\n');
  assert.equal(loadConfig({ BEREIK_PAYMENTS_WEBHOOK_SECRET_FILE: file }).payments?.webhookSecret, 'from-file');
  assert.throws(() => loadConfig({ BEREIK_PAYMENTS_WEBHOOK_SECRET_FILE: join(dir(t), 'missing') }), /payments\.webhookSecretFile = .* does not exist/);
});

test('a config file holding the secret itself is refused, naming the variable to use instead', (t) => {
  const file = join(dir(t), 'bereik.json');
  writeFileSync(file, JSON.stringify({ payments: { webhookSecret: 'leaked' } }));
  assert.throws(() => loadConfig({ BEREIK_CONFIG: file }), (err: Error & { code?: string }) => err.code === 'CONFIG_INVALID' && /payments\.webhookSecret must not be in a config file/.test(err.message) && /BEREIK_PAYMENTS_WEBHOOK_SECRET/.test(err.message));
});
