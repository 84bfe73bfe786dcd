/**
 * The desktop softphone's SIP account on the simulator (docs/agent-softphone.md): issued
 * by Bereik per login over the agent's own API and pushed to Asterisk as an endpoint, auth
 * and AOR; a simulated softphone registers with it; the line rings that endpoint (not the
 * desk phone) and a debtor reaches it without a ring; logout and expiry delete the account.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRig } from './transfer-harness.ts';
import { until } from '../helpers/until.ts';

const WS = 'ws://127.0.0.1:8088/ws';

test('an agent gets a SIP account per login, the line rings that softphone, a debtor arrives without a ring, logout deletes the account', async () => {
  const rig = await openRig({ softphoneWsUrl: WS });
  try {
    const srv = await rig.serve();
    const agentId = rig.agent('Anna', 'PJSIP/agent1', { outcome: 'answer', ringMs: 500 });
    const token = srv.token('agent', agentId);
    const call = (method: string, url: string) => rig.app.http.inject({ method, url, headers: { authorization: `Bearer ${token}` } });

    const issued = await call('POST', '/agent/softphone');
    assert.equal(issued.statusCode, 200, issued.body);
    assert.equal(issued.headers['cache-control'], 'no-store');
    const acct = issued.json() as { endpoint: string; username: string; password: string; uri: string; wsUrl: string; expiresAt: string };
    assert.match(acct.endpoint, new RegExp(`^bereik-sp-${agentId}-[0-9a-f]{8}$`));
    assert.equal(acct.wsUrl, WS);
    assert.equal(acct.uri, `sip:${acct.username}@127.0.0.1`);
    assert.ok(acct.password.length >= 24, 'a long random password');
    // What Asterisk was given: a WebRTC endpoint with its own auth and AOR.
    const pj = rig.sim.asterisk.pjsip;
    assert.deepEqual(pj.get('auth', acct.endpoint), { auth_type: 'userpass', username: acct.username, password: acct.password });
    assert.equal(pj.get('endpoint', acct.endpoint)?.webrtc, 'yes');
    assert.equal(pj.get('endpoint', acct.endpoint)?.allow, 'ulaw,alaw');
    assert.equal(pj.get('aor', acct.endpoint)?.max_contacts, '1');

    // Asking again (a reload, or the half-time renewal) keeps the same account, and puts it
    // back into an Asterisk that lost it (a restart empties sorcery's memory wizard).
    for (const type of ['endpoint', 'aor', 'auth']) pj.handle('DELETE', ['res_pjsip', type, acct.endpoint], undefined);
    const again = (await call('POST', '/agent/softphone')).json() as typeof acct;
    assert.equal(again.password, acct.password);
    assert.deepEqual([pj.ids('endpoint'), pj.ids('aor'), pj.ids('auth')], [[acct.endpoint], [acct.endpoint], [acct.endpoint]]);

    // A wrong password does not register; the right one does, and the line rings the softphone.
    assert.equal(pj.register(acct.username, 'guessed'), undefined);
    assert.equal(pj.register(acct.username, acct.password), acct.endpoint);
    const line = await call('POST', '/agent/line');
    assert.equal(line.statusCode, 200, line.body);
    assert.equal(line.json().state, 'open');
    const softphone = () => rig.sim.asterisk.phone(`PJSIP/${acct.endpoint}`);
    assert.equal(softphone().calls.length, 1, 'the line is one call to the softphone');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 0, 'the desk phone never rang');

    rig.desk.registry.apply(agentId, 'go_available');
    const { call: debtor, callId } = await rig.debtorCall();
    assert.deepEqual(await rig.desk.transfer(rig.request(debtor, callId)), { kind: 'connected', agentId });
    assert.equal(softphone().calls.length, 1, 'no new call to the softphone for the debtor');
    assert.deepEqual(softphone().calls[0]!.bridgedWith.at(-1), '+31612345678');
    rig.sim.asterisk.hangUpPhone(debtor.id, 16);
    await rig.desk.whenFinished(callId);
    assert.equal(rig.desk.lines.info(agentId).state, 'open', 'the agent stays on the line');

    // Without an open line (closed from the desktop) the fallback rings the softphone, not the desk phone.
    assert.equal((await call('DELETE', '/agent/line')).statusCode, 200);
    rig.desk.registry.tryApply(agentId, 'go_available');
    const second = await rig.debtorCall();
    assert.deepEqual(await rig.desk.transfer(rig.request(second.call, second.callId)), { kind: 'connected', agentId });
    assert.equal(softphone().calls.length, 2, 'the debtor rang the softphone');
    assert.equal(rig.sim.asterisk.phone('PJSIP/agent1').calls.length, 0, 'the desk phone still never rang');
    rig.sim.asterisk.hangUpPhone(second.call.id, 16);
    await rig.desk.whenFinished(second.callId);

    // Logout: the desktop closes the line and deletes the account; Asterisk no longer has it.
    assert.equal((await call('DELETE', '/agent/line')).statusCode, 200);
    assert.equal((await call('DELETE', '/agent/softphone')).statusCode, 204);
    assert.deepEqual([pj.ids('endpoint'), pj.ids('auth'), pj.ids('aor')], [[], [], []]);
    assert.equal(pj.register(acct.username, acct.password), undefined, 'the old credentials no longer register');
  } finally {
    await rig.close();
  }
});

test('an account nobody renews is deleted from Asterisk when it expires; without softphoneWsUrl the API says the softphone is off', async () => {
  const rig = await openRig({ softphoneWsUrl: WS, softphoneTtlSec: 60, scale: 60 });
  try {
    const srv = await rig.serve();
    const agentId = rig.agent('Bo', 'PJSIP/agent2', { outcome: 'answer', ringMs: 0 });
    const res = await rig.app.http.inject({ method: 'POST', url: '/agent/softphone', headers: { authorization: `Bearer ${srv.token('agent', agentId)}` } });
    const { endpoint, expiresAt } = res.json() as { endpoint: string; expiresAt: string };
    assert.equal(Date.parse(expiresAt) - rig.clock.now() <= 60_000, true);
    assert.deepEqual(rig.sim.asterisk.pjsip.ids('endpoint'), [endpoint]);
    const pj = rig.sim.asterisk.pjsip;
    // Endpoint, AOR, then auth: all three go.
    await until('the expired account deleted', () => [...pj.ids('endpoint'), ...pj.ids('aor'), ...pj.ids('auth')].length === 0, 10_000);
  } finally {
    await rig.close();
  }
  const off = await openRig();
  try {
    const srv = await off.serve();
    const agentId = off.agent('Cas', 'PJSIP/agent3', { outcome: 'answer', ringMs: 0 });
    const res = await off.app.http.inject({ method: 'POST', url: '/agent/softphone', headers: { authorization: `Bearer ${srv.token('agent', agentId)}` } });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'SOFTPHONE_DISABLED');
  } finally {
    await off.close();
  }
});

test('the desktop loads SIP.js as ES modules from Bereik itself, and only the library\'s .js files', async () => {
  const rig = await openRig();
  try {
    const get = (url: string) => rig.app.http.inject({ method: 'GET', url });
    const index = await get('/desktop/vendor/sip.js/index.js');
    assert.equal(index.statusCode, 200);
    assert.match(String(index.headers['content-type']), /^text\/javascript/);
    // Relative imports only: the browser fetches each from the same folder, no bundler.
    const imports = [...index.body.matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1]!);
    assert.ok(imports.length > 0 && imports.every((i) => i.startsWith('./') && i.endsWith('.js')), JSON.stringify(imports));
    assert.equal((await get('/desktop/vendor/sip.js/api/user-agent.js')).statusCode, 200);
    for (const bad of ['/desktop/vendor/sip.js/../package.json', '/desktop/vendor/sip.js/%2e%2e/%2e%2e/package.json', '/desktop/vendor/sip.js/index.d.ts', '/desktop/vendor/sip.js/nope.js']) {
      // 404, or 401 where the URL is normalised to a path outside the library (no such public route).
      const res = await get(bad);
      assert.ok([401, 404].includes(res.statusCode), `${bad}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /"name": "sip\.js"/);
    }
  } finally {
    await rig.close();
  }
});
