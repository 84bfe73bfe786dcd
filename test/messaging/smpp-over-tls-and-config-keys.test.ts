import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load.ts';
import { SystemClock } from '../../src/lib/clock.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { createLogger, silentLogger } from '../../src/lib/log.ts';
import { createSmsChannel } from '../../src/messaging/sms/index.ts';
import { startSimSmsc } from '../../src/sim/smsc.ts';
import { sms, until } from './helpers/smsc-pair.ts';

const clock = new SystemClock();

test('SMPP over TLS: the channel binds to an SMSC whose certificate the configured CA signed; with another CA it stays down, saying why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-smpp-tls-'));
  const key = join(dir, 'key.pem'), cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const sim = await startSimSmsc({ tls: { key: readFileSync(key), cert: readFileSync(cert) } });
  const good = createSmsChannel({ binds: [{ host: '127.0.0.1', port: sim.port, systemId: 'bereik', password: 'secret', tls: true, tlsCaFile: cert }] }, { clock, log: silentLogger() });
  const untrusted = createSmsChannel({ binds: [{ host: '127.0.0.1', port: sim.port, systemId: 'bereik', password: 'secret', tls: true }], reconnectMinMs: 1000 }, { clock, log: silentLogger() });
  try {
    await good.start();
    assert.equal(good.health().state, 'up');
    assert.ok((await good.submit(sms('+31612345678', 'versleuteld €'))).ok);
    assert.deepEqual(sim.inbox('+31612345678').map((m) => m.text), ['versleuteld €']);
    await untrusted.start();
    assert.equal(untrusted.health().state, 'down');
    assert.match(untrusted.health().links[0]!.detail!, /certificate/i);
  } finally {
    await good.stop();
    await untrusted.stop();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the password is never logged, not even when the bind is refused', async () => {
  const sim = await startSimSmsc();
  let logged = '';
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (c, _e, cb) => ((logged += c), cb()) }) });
  const channel = createSmsChannel({ binds: [{ host: '127.0.0.1', port: sim.port, systemId: 'bereik', password: 'Geh3im!x' }], reconnectMinMs: 20, reconnectMaxMs: 50 }, { clock, log });
  try {
    await channel.start();
    await until('two refusals', () => sim.stats.bindsRefused >= 2);
    assert.match(logged, /ESME_RINVPASWD/);
    assert.doesNotMatch(logged, /Geh3im/);
  } finally {
    await channel.stop();
    await sim.close();
  }
});

test('config: the sms section is optional, validated with the key named, and passwords come from a file', () => {
  assert.equal(loadConfig({}).sms, undefined);
  const bind = { host: 'smpp.example.nl', port: 2775, systemId: 'bereik' };
  const cfg = loadConfig({}, { sms: { binds: [{ ...bind, windowSize: 20 }] } });
  assert.equal(cfg.sms!.binds[0]!.windowSize, 20);
  assert.throws(() => loadConfig({}, { sms: { binds: [{ ...bind, windowSize: 0 }] } }), (e: unknown) => isBereikError(e, 'CONFIG_INVALID') && /sms\.binds\.0\.windowSize/.test(e.message));
  assert.throws(() => loadConfig({}, { sms: { binds: [{ ...bind, password: 'way-too-long-for-smpp' }] } }), (e: unknown) => isBereikError(e, 'CONFIG_INVALID') && /sms\.binds\.0\.password = \[hidden\]/.test(e.message));
  // A variable for the optional section, without the section in a file: a named error, not a TypeError.
  assert.equal(loadConfig({ BEREIK_SMS_RECONNECT_MIN_MS: '100' }, { sms: { binds: [bind] } }).sms!.reconnectMinMs, 100);
  assert.throws(() => loadConfig({ BEREIK_SMS_RECONNECT_MIN_MS: '100' }), (e: unknown) => isBereikError(e, 'CONFIG_INVALID') && /sms\.binds/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'bereik-smpp-pw-'));
  try {
    writeFileSync(join(dir, 'pw'), 'geheim\n');
    const channel = createSmsChannel({ binds: [{ ...bind, passwordFile: join(dir, 'pw') }] }, { clock, log: silentLogger() });
    assert.equal(channel.binds[0]!.opts.password, 'geheim');
    assert.equal(channel.binds[0]!.opts.windowSize, 10);
    assert.equal(channel.binds[0]!.opts.maxPerSecond, 50);
    assert.equal(channel.binds[0]!.opts.enquireLinkSec, 30);
    assert.throws(() => createSmsChannel({ binds: [{ ...bind, passwordFile: join(dir, 'missing') }] }, { clock, log: silentLogger() }), /sms\.binds\.0\.passwordFile .* cannot be read: ENOENT/);
    assert.throws(() => createSmsChannel({ binds: [{ ...bind, password: 'a', passwordFile: join(dir, 'pw') }] }, { clock, log: silentLogger() }), /both password and passwordFile/);
    assert.throws(() => createSmsChannel({ binds: [] }, { clock, log: silentLogger() }), /sms\.binds is empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
