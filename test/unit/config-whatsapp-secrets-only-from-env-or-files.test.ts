import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { resolveWhatsAppTarget } from '../../src/messaging/whatsapp/config.ts';

function dir(t: { after(fn: () => void): void }) {
  const d = mkdtempSync(join(tmpdir(), 'bereik-cfg-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('the access token, app secret and verify token come from BEREIK_WHATSAPP_* or the files they name', (t) => {
  const empty = loadConfig({}).whatsapp!;
  assert.deepEqual([empty.graphUrl, empty.accessToken, empty.appSecret, empty.verifyToken, empty.templateName], ['', '', '', '', 'betaallink'], 'the simulated Graph endpoint by default');
  const env = loadConfig({ BEREIK_WHATSAPP_ACCESS_TOKEN: 'tok', BEREIK_WHATSAPP_APP_SECRET: 'sec', BEREIK_WHATSAPP_VERIFY_TOKEN: 'ver' }).whatsapp!;
  assert.deepEqual([env.accessToken, env.appSecret, env.verifyToken], ['tok', 'sec', 'ver']);
  const file = join(dir(t), 'token');
  writeFileSync(file, 'from-file\n');
  assert.equal(loadConfig({ BEREIK_WHATSAPP_ACCESS_TOKEN_FILE: file }).whatsapp!.accessToken, 'from-file');
  assert.throws(() => loadConfig({ BEREIK_WHATSAPP_APP_SECRET_FILE: join(dir(t), 'missing') }), /whatsapp\.appSecretFile = .* does not exist/);
  assert.throws(() => loadConfig({ BEREIK_WHATSAPP_APP_SECRET_FILE: file, BEREIK_WHATSAPP_APP_SECRET: 'x' }), /both set/);
});

test('a config file holding a WhatsApp secret is refused, naming the variable to use instead', (t) => {
  for (const [key, variable] of [['accessToken', 'BEREIK_WHATSAPP_ACCESS_TOKEN'], ['appSecret', 'BEREIK_WHATSAPP_APP_SECRET'], ['verifyToken', 'BEREIK_WHATSAPP_VERIFY_TOKEN']] as const) {
    const file = join(dir(t), 'bereik.json');
    writeFileSync(file, JSON.stringify({ whatsapp: { [key]: 'leaked' } }));
    assert.throws(() => loadConfig({ BEREIK_CONFIG: file }), (err: Error & { code?: string }) => err.code === 'CONFIG_INVALID' && err.message.includes(`whatsapp.${key} must not be in a config file`) && err.message.includes(variable), key);
  }
});

test('a real Graph endpoint needs its id and secrets, named with where to set them; a bad version is named too', () => {
  const c = loadConfig({ BEREIK_WHATSAPP_GRAPH_URL: 'https://graph.facebook.com', BEREIK_WHATSAPP_ACCESS_TOKEN: 'tok' }).whatsapp!;
  assert.throws(() => resolveWhatsAppTarget(c), (err: Error) => /whatsapp\.phoneNumberId is required/.test(err.message) && /BEREIK_WHATSAPP_APP_SECRET/.test(err.message) && !/whatsapp\.accessToken is required/.test(err.message));
  assert.throws(() => resolveWhatsAppTarget({ ...c, graphUrl: 'http://graph.example.com' }), /whatsapp\.graphUrl .* expected https/);
  assert.throws(() => loadConfig({ BEREIK_WHATSAPP_VERSION: '21' }), /whatsapp\.version = "21"/);
  assert.throws(() => loadConfig({ BEREIK_WHATSAPP_ACCESS_TOKEN: 'secret-value', BEREIK_WHATSAPP_REQUEST_TIMEOUT_MS: 'x' }), (err: Error) => !err.message.includes('secret-value'));
});
