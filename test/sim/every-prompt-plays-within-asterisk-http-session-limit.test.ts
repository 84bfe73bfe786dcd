/**
 * Issue 10 §2.8: under load a real Asterisk 22 closed connections over its HTTP
 * sessionlimit and 62 debtors missed a prompt. The simulator enforces a sessionlimit the
 * same way (closes the connection unread); the client keeps a bounded pool, reuses it,
 * and sends a request again only when Asterisk cannot have acted on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/load.ts';
import { ScaledClock } from '../../src/lib/clock.ts';
import { isBereikError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startSim, type RunningSim, type Scenario } from '../../src/sim/index.ts';
import { AriTelephony, type Call } from '../../src/telephony/index.ts';

/** Every number answers at once and listens for a minute. */
const LISTENERS: Scenario = { endpoints: ['trunk'], default: { outcome: 'answer', ringMs: 50, hangup: { idleMs: 60_000 } } };

function client(url: string, sim: RunningSim, clock: ScaledClock, maxConnections: number): AriTelephony {
  return new AriTelephony({
    url, user: sim.user, password: sim.password, app: sim.app, clock, log: silentLogger(), simulated: true,
    sweepIntervalMs: 0, reconnectMinMs: 50, reconnectMaxMs: 500, requestTimeoutMs: 10_000, maxConnections,
  });
}

async function answered(tel: AriTelephony, n: number): Promise<Call> {
  const call = await tel.originate({ endpoint: `PJSIP/+3161000${String(n).padStart(4, '0')}@trunk`, route: { kind: 'app', args: ['outbound', `c${n}`] }, timeoutSec: 30 });
  assert.ok(await call.whenInStasis(), `call ${n} reached the app`);
  return call;
}

function heardBy(sim: RunningSim, call: Call): number {
  return sim.asterisk.calls().find((r) => r.channelId === call.id)?.heard.length ?? -1;
}

test('120 debtors each hear their prompt while Asterisk serves 20 HTTP sessions and the pool holds 10', async () => {
  const clock = new ScaledClock(10);
  const sim = await startSim({ clock, scenario: LISTENERS, sessionLimit: 20 });
  const tel = client(sim.url, sim, clock, 10);
  try {
    await tel.start();
    const calls = await Promise.all(Array.from({ length: 120 }, (_, i) => answered(tel, i)));
    const prompts = await Promise.all(calls.map((c) => c.play('sound:hello-world')));
    assert.equal(prompts.length, 120);
    for (const c of calls) assert.equal(heardBy(sim, c), 1, `call ${c.id} heard its prompt once`);
    assert.equal(sim.sessions.refused, 0, 'Asterisk never had to turn a connection away');
    // The pool's 10 plus the events WebSocket.
    assert.ok(sim.sessions.peak <= 11, `at most 11 sessions at Asterisk, saw ${sim.sessions.peak}`);
    assert.ok(tel.rest.openConnections <= 10);
    await Promise.all(calls.map((c) => c.hangup()));
  } finally {
    await tel.stop();
    await sim.close();
  }
});

const PLAY = /^POST \/ari\/channels\/[^/]+\/play/;

test('calls one after another reuse one kept-alive connection instead of opening one per request', async () => {
  const clock = new ScaledClock(10);
  const sim = await startSim({ clock, scenario: LISTENERS });
  const tel = client(sim.url, sim, clock, 10);
  try {
    await tel.start();
    const before = sim.sessions.accepted;
    for (let i = 0; i < 20; i++) {
      const call = await answered(tel, 500 + i);
      await (await call.play('sound:hello-world')).finished;
      await call.hangup();
      assert.equal(heardBy(sim, call), 1);
    }
    // 20 calls made 60+ requests; one connection carried them (two if an idle one timed out meanwhile).
    assert.ok(sim.sessions.accepted - before <= 2, `new connections: ${sim.sessions.accepted - before}`);
  } finally {
    await tel.stop();
    await sim.close();
  }
});

/**
 * A TCP relay in front of the simulator that spoils the next request matching a pattern:
 * 'reset' drops the connection before passing the request on (Asterisk over its
 * sessionlimit, or a keep-alive session it timed out); 'cut' passes it on and resets the
 * connection after the first bytes of the answer (the request was executed).
 */
class Relay {
  private server: Server;
  private armed: { pattern: RegExp; how: 'reset' | 'cut' } | undefined;
  /** Requests matching the armed pattern that reached the simulator. */
  passed = 0;
  url = '';

  constructor(private readonly upstreamPort: number) {
    this.server = createServer((down) => this.relay(down));
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  arm(pattern: RegExp, how: 'reset' | 'cut'): void {
    this.armed = { pattern, how };
    this.passed = 0;
  }

  private relay(down: Socket): void {
    const up = connect(this.upstreamPort, '127.0.0.1');
    let cutAfter = -1;
    down.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const a = this.armed;
      if (a?.pattern.test(text)) {
        this.armed = undefined;
        if (a.how === 'reset') {
          up.destroy();
          down.resetAndDestroy();
          return;
        }
        cutAfter = 20;
      }
      if (PLAY.test(text)) this.passed++;
      up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => {
      if (cutAfter >= 0) {
        down.write(chunk.subarray(0, cutAfter));
        up.destroy();
        setTimeout(() => down.resetAndDestroy(), 20);
        return;
      }
      down.write(chunk);
    });
    up.on('error', () => down.destroy());
    down.on('error', () => up.destroy());
    up.on('close', () => down.destroy());
    down.on('close', () => up.destroy());
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function withRelay(fn: (tel: AriTelephony, sim: RunningSim, relay: Relay) => Promise<void>): Promise<void> {
  const clock = new ScaledClock(10);
  const sim = await startSim({ clock, scenario: LISTENERS });
  const relay = new Relay(Number(new URL(sim.url).port));
  await relay.listen();
  const tel = client(relay.url, sim, clock, 4);
  try {
    await tel.start();
    await fn(tel, sim, relay);
  } finally {
    await tel.stop();
    await relay.close();
    await sim.close();
  }
}

test('a play whose connection is reset before Asterisk read it is sent again and heard exactly once', async () => {
  await withRelay(async (tel, sim, relay) => {
    const call = await answered(tel, 1);
    relay.arm(PLAY, 'reset');
    const prompt = await tel.getCall(call.id)!.play('sound:hello-world');
    assert.equal(await prompt.finished, 'done');
    assert.equal(heardBy(sim, call), 1, 'the debtor heard the prompt once');
    assert.equal(relay.passed, 1, 'one play request reached Asterisk');
    await call.hangup();
  });
});

test('a play whose answer is cut off after Asterisk acted is not sent again: one prompt, and the caller is told', async () => {
  await withRelay(async (tel, sim, relay) => {
    const call = await answered(tel, 2);
    relay.arm(PLAY, 'cut');
    await assert.rejects(call.play('sound:hello-world'), (err) => isBereikError(err, 'ARI_UNREACHABLE') && /cut short|hang up|reset/i.test(err.message));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(heardBy(sim, call), 1, 'Asterisk played it once and no second copy was asked for');
    assert.equal(relay.passed, 1);
    await call.hangup();
  });
});

test('the pool size comes from ari.maxConnections (BEREIK_ARI_MAX_CONNECTIONS); a size of 0 is refused naming the key', () => {
  assert.equal(loadConfig({}).ari.maxConnections, 50, 'default: half of Asterisk\'s default sessionlimit');
  assert.equal(loadConfig({ BEREIK_ARI_MAX_CONNECTIONS: '30' }).ari.maxConnections, 30);
  assert.throws(() => loadConfig({ BEREIK_ARI_MAX_CONNECTIONS: '0' }), (err) => isBereikError(err, 'CONFIG_INVALID') && /ari\.maxConnections/.test(err.message));
});
