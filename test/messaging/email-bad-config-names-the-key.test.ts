import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/config/load.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { SystemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createEmailChannel } from '../../src/messaging/email/smtp-channel.ts';
import type { EmailConfig } from '../../src/config/schema.ts';
import { EMAIL_CONFIG } from '../helpers/email-rig.ts';

const deps = { clock: new SystemClock(), log: silentLogger() };
const target = { host: '127.0.0.1', port: 2525 };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isBereikError(err, 'CONFIG_INVALID'), `expected CONFIG_INVALID, got ${String(err)}`);
    return err.message;
  }
  assert.fail('the configuration was accepted');
}

test('the defaults load, with the e-mail section, and an empty host means the test mail server', () => {
  const config = loadConfig({});
  assert.equal(config.email?.host, '');
  assert.match(refusal(() => createEmailChannel(config.email!, deps)), /email\.host is empty .*BEREIK_EMAIL_HOST/);
  assert.equal(createEmailChannel(config.email!, { ...deps, target }).health().links[0]!.detail, 'test mail server');
});

const envCases: Array<[string, Record<string, string>, RegExp]> = [
  ['a port that is not a number', { BEREIK_EMAIL_PORT: 'smtp' }, /email\.port = "smtp" \(from BEREIK_EMAIL_PORT\) is not allowed: expected a whole number/],
  ['a pool of zero connections', { BEREIK_EMAIL_POOL_SIZE: '0' }, /email\.poolSize = "0" \(from BEREIK_EMAIL_POOL_SIZE\) .*>= 1/],
  ['an unknown security mode', { BEREIK_EMAIL_SECURITY: 'ssl' }, /email\.security = "ssl" .*expected one of "tls", "starttls", "none"/],
];
for (const [what, env, expected] of envCases) {
  test(`${what} is refused at load, naming the key, the value and where it came from`, () => {
    assert.match(refusal(() => loadConfig(env)), expected);
  });
}

test('a password in a config file is refused: secrets come from the environment or a file', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bereik-cfg-')), 'extra.json');
  writeFileSync(file, JSON.stringify({ email: { password: 'hunter2' } }));
  const message = refusal(() => loadConfig({ BEREIK_CONFIG: file }));
  assert.match(message, /email\.password must not be in a config file/);
  assert.ok(!message.includes('hunter2'));
});

const channelCases: Array<[string, Partial<EmailConfig>, RegExp]> = [
  ['a From that is not an address', { from: 'Incasso Noord' }, /email\.from = "Incasso Noord" is not one e-mail address/],
  ['a From with two addresses', { from: 'a@example.nl, b@example.nl' }, /email\.from .* is not one e-mail address/],
  ['a bounce address that is not an address', { bounceAddress: 'bounces' }, /email\.bounceAddress = "bounces"/],
  ['a relay host with port 0', { host: 'smtp.example.nl', port: 0 }, /email\.port = 0 is not allowed with a relay host/],
  ['a user without a password', { user: 'bereik' }, /email\.password is empty while email\.user is set/],
  ['a password file that is not there', { user: 'bereik', passwordFile: '/nonexistent/smtp-password' }, /email\.passwordFile = "\/nonexistent\/smtp-password" cannot be read \(ENOENT\)/],
  ['a password sent in clear to a remote relay', { host: 'smtp.example.nl', security: 'none', user: 'bereik', password: 'x' }, /email\.security = "none" would send the password to smtp\.example\.nl in clear/],
  ['a value the schema refuses, in a hand-built section', { ratePerSecond: -1 }, /email\.ratePerSecond = -1 is not allowed/],
];
for (const [what, over, expected] of channelCases) {
  test(`${what} is refused when the channel is made, naming the key`, () => {
    const message = refusal(() => createEmailChannel({ ...EMAIL_CONFIG, ...over }, { ...deps, target }));
    assert.match(message, expected);
    assert.ok(!message.includes('"x"'), 'a password never appears in the message');
  });
}

test('the relay settings come from BEREIK_EMAIL_* variables, the password from a file named by BEREIK_EMAIL_PASSWORD_FILE', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bereik-cfg-')), 'smtp-password');
  writeFileSync(file, 's3cret\n');
  const config = loadConfig({ BEREIK_EMAIL_HOST: 'smtp.example.nl', BEREIK_EMAIL_PORT: '465', BEREIK_EMAIL_SECURITY: 'tls', BEREIK_EMAIL_USER: 'bereik', BEREIK_EMAIL_PASSWORD_FILE: file });
  assert.deepEqual({ host: config.email?.host, port: config.email?.port, security: config.email?.security, passwordFile: config.email?.passwordFile }, { host: 'smtp.example.nl', port: 465, security: 'tls', passwordFile: file });
  const channel = createEmailChannel(config.email!, deps);
  assert.deepEqual(channel.health().links.map((l) => [l.name, l.state]), [['smtp smtp.example.nl:465', 'stopped']]);
});
