import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answeredCall, withSim } from './sim-harness.ts';

test('PJSIP/<number>@trunk resolves by number; unknown trunks fail allocation', async () => {
  await withSim(async (ari) => {
    ari.sim.asterisk.setBehaviour('+31611112222', { outcome: 'busy' });
    const o = await ari.req('POST', '/channels', { endpoint: 'PJSIP/+31611112222@trunk', app: 'bereik', callerId: '+31201234567' });
    assert.equal(o.status, 200);
    assert.match(o.body.name, /^PJSIP\/trunk-/);
    const d = await ari.waitType('ChannelDestroyed');
    assert.equal(d.cause, 17);
    assert.equal((ari.events.find((e) => e.type === 'Dial') as any).dialstring, '+31611112222@trunk');
    assert.equal(ari.sim.asterisk.phone('+31611112222').calls[0]?.result, 'busy');
    assert.equal(ari.sim.asterisk.phone('PJSIP/+31611112222@trunk').calls.length, 1);
    assert.deepEqual(await ari.req('POST', '/channels', { endpoint: 'PJSIP/+31611112222@nowhere', app: 'bereik' }), { status: 500, body: { error: 'Allocation failed' } });
  });
});

test('a phone presses keys after the n-th prompt and hangs up after the last one', async () => {
  await withSim(async (ari) => {
    ari.sim.asterisk.setBehaviour('+31633334444', {
      ringMs: 500,
      keys: [
        { afterPrompt: 1, on: 'end', delayMs: 500, keys: '1' },
        { afterPrompt: 2, delayMs: 200, keys: '12' },
      ],
      hangup: { afterPrompt: 3, delayMs: 100 },
    });
    const id = await answeredCall(ari, 'PJSIP/+31633334444@trunk');
    await ari.req('POST', `/channels/${id}/play`, { media: 'sound:hello-world' });
    const first = await ari.waitType('ChannelDtmfReceived');
    assert.equal(first.digit, '1');
    await ari.req('POST', `/channels/${id}/play`, { media: 'sound:demo-congrats' });
    await ari.waitFor((e) => e.type === 'ChannelDtmfReceived' && e.digit === '2');
    await ari.req('POST', `/channels/${id}/play`, { media: 'sound:goodbye' });
    const d = await ari.waitType('ChannelDestroyed');
    assert.equal(d.cause, 16);
    const rec = ari.sim.asterisk.phone('+31633334444').calls[0]!;
    assert.deepEqual(rec.keys.map((k) => k.digit), ['1', '1', '2']);
    assert.deepEqual(rec.heard.map((h) => h.end), ['done', 'done', 'done']);
    assert.equal(rec.hungUpBy, 'phone');
  });
});

test('numbers without their own behaviour are drawn from the population, the same way every run', async () => {
  const population = { seed: 3, weights: { answer: 1, busy: 1, noanswer: 1, invalid: 1 }, ringMs: { min: 500, max: 1000 } };
  const run = async (): Promise<string[]> => {
    const results: string[] = [];
    await withSim(
      async (ari) => {
        const ended = new Promise<void>((resolve) => {
          ari.sim.asterisk.on('callEnded', () => {
            const calls = ari.sim.asterisk.calls();
            if (calls.length === 12 && calls.every((c) => c.result !== 'live')) resolve();
          });
        });
        for (let i = 0; i < 12; i++) {
          await ari.req('POST', '/channels', { endpoint: `PJSIP/+316000000${String(i).padStart(2, '0')}@trunk`, app: 'bereik', timeout: '3' });
        }
        // Answered calls are hung up by the app as soon as they reach Stasis.
        const done = new Set<string>();
        const hangAnswered = setInterval(() => {
          for (const e of ari.events) {
            const id = (e.channel as any)?.id as string;
            if (e.type === 'StasisStart' && !done.has(id)) done.add(id), void ari.req('DELETE', `/channels/${id}`);
          }
        }, 5);
        await ended;
        clearInterval(hangAnswered);
        for (const c of ari.sim.asterisk.calls()) results.push(`${c.phone}:${c.result}`);
      },
      { scenario: { population } },
    );
    return results.sort();
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a, b);
  const kinds = new Set(a.map((r) => r.split(':')[1]));
  assert.ok(kinds.size >= 3, `several outcomes drawn: ${[...kinds].join(', ')}`);
});

test('a wildcard phone stands for every matching endpoint: any agent phone answers', async () => {
  await withSim(async (ari) => {
    const id = await answeredCall(ari, 'PJSIP/agent1001', 'agent,x');
    assert.equal((await ari.req('GET', `/channels/${id}`)).body.dialplan.context, 'bereik-agents');
    assert.equal(ari.sim.asterisk.phone('PJSIP/agent1001').calls.length, 1);
    ari.sim.asterisk.setBehaviour('+3120*', { outcome: 'busy' });
    await ari.req('POST', '/channels', { endpoint: 'PJSIP/+31201112222@trunk', app: 'bereik' });
    const d = await ari.waitType('ChannelDestroyed', (e) => e.cause === 17);
    assert.equal((d.channel as any).name.startsWith('PJSIP/trunk-'), true);
    assert.deepEqual(await ari.req('POST', '/channels', { endpoint: 'PJSIP/nobody', app: 'bereik' }), { status: 500, body: { error: 'Allocation failed' } });
    await ari.req('DELETE', `/channels/${id}`);
  });
});
