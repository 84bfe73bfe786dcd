import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/bereik.mjs', import.meta.url));

test('bereik sim prints its ARI address, serves ARI with the given credentials, and stops on SIGINT', async () => {
  const child = spawn(process.execPath, [bin, 'sim', '--port', '0', '--scale', '10', '--user', 'u1', '--password', 'p1', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /simulated Asterisk: ARI at (http:\/\/[^\s]+)\/ari/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before printing its address: ${out}`)));
    });
    const auth = { authorization: 'Basic ' + Buffer.from('u1:p1').toString('base64') };
    const info = await (await fetch(`${url}/ari/asterisk/info`, { headers: auth })).json();
    assert.equal(info.config.name, 'bereik simulated Asterisk');
    const eps = (await (await fetch(`${url}/ari/endpoints`, { headers: auth })).json()) as { resource: string }[];
    assert.ok(eps.some((e) => e.resource === 'debtor'), 'the default scenario phones are there');
    const wrong = await fetch(`${url}/ari/channels`, { headers: { authorization: 'Basic ' + Buffer.from('bereik:bereik').toString('base64') } });
    assert.equal(wrong.status, 401);
    await wrong.text();
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
