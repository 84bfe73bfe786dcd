import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/clock.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createTelephony } from '../../src/telephony/index.ts';

const ari = { url: '', user: 'bereik', password: '', app: 'bereik', reconnectMinMs: 250, reconnectMaxMs: 15000, requestTimeoutMs: 5000, maxConnections: 50, sweepIntervalMs: 60000 };

test('without an ARI URL and without a simulator target the factory says what to set', () => {
  assert.throws(
    () => createTelephony({ config: { ari }, clock: new FakeClock(), log: silentLogger() }),
    (err) => isBereikError(err, 'CONFIG_INVALID') && /BEREIK_ARI_URL/.test(err.message),
  );
});

test('a simulator target is labelled as simulated in the health report, a real one is not', () => {
  const sim = createTelephony({ config: { ari }, clock: new FakeClock(), log: silentLogger(), target: { url: 'http://127.0.0.1:1', user: 'u', password: 'p', simulated: true } });
  assert.deepEqual(
    { simulated: sim.simulated, state: sim.health().state, url: sim.health().url, reconnects: sim.health().reconnects },
    { simulated: true, state: 'stopped', url: 'http://127.0.0.1:1/ari', reconnects: 0 },
  );
  const real = createTelephony({ config: { ari: { ...ari, url: 'http://asterisk.example:8088' } }, clock: new FakeClock(), log: silentLogger() });
  assert.equal(real.health().simulated, false);
  assert.equal(real.health().url, 'http://asterisk.example:8088/ari');
});
