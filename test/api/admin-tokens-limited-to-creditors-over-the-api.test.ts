/**
 * An admin hands a creditor's own staff a read-only `client` token over the API (as the
 * CLI can): the token list shows whom it is limited to, and the token sees that creditor only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendAs, startTestApp } from '../helpers/app.ts';

test('an admin creates a client token limited to a creditor over the API; a client token without one is refused', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());

  const refused = await app.api('/tokens', { method: 'POST', role: 'admin', json: { name: 'no creditor', role: 'client' } });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /client token needs at least one creditor/);
  const adminLimited = await app.api('/tokens', { method: 'POST', role: 'admin', json: { name: 'limited admin', role: 'admin', creditors: ['Acme'] } });
  assert.equal(adminLimited.status, 400);
  assert.match(await adminLimited.text(), /admin token cannot be limited/);

  const made = await app.api('/tokens', { method: 'POST', role: 'admin', json: { name: 'Acme staff', role: 'client', creditors: ['Acme', ' Acme '] } });
  assert.equal(made.status, 201);
  const { id, token } = (await made.json()) as { id: number; token: string };
  const list = (await (await app.api('/tokens', { role: 'admin' })).json()) as { id: number; role: string; creditors: string[] }[];
  assert.deepEqual(list.find((x) => x.id === id), { ...list.find((x) => x.id === id), role: 'client', creditors: ['Acme'] });

  // The client reads campaigns, filtered, but may not change anything or reach unfiltered routes.
  assert.equal((await sendAs(app, token, 'GET', '/campaigns')).status, 200);
  assert.equal((await sendAs(app, token, 'POST', '/campaigns', { name: 'x' })).status, 403);
  assert.equal((await sendAs(app, token, 'GET', '/reports/funnel?campaignId=1&from=2026-11-23&to=2026-11-23')).status, 403);
  // Only an admin hands out tokens.
  assert.equal((await app.api('/tokens', { method: 'POST', role: 'operator', json: { name: 'x', role: 'operator' } })).status, 403);
});

test("an admin creates a supervisor token over the API, linked to the agent record that is the supervisor's phone", async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const post = (json: unknown) => app.api('/tokens', { method: 'POST', role: 'admin', json });

  const noPhone = await post({ name: 'Sam', role: 'supervisor' });
  assert.equal(noPhone.status, 400);
  assert.match(await noPhone.text(), /supervisor token needs agentId/);
  const unknown = await post({ name: 'Sam', role: 'supervisor', agentId: 999 });
  assert.equal(unknown.status, 400);
  assert.match(await unknown.text(), /agentId 999: no such agent record/);
  const notSupervisor = await post({ name: 'Olga', role: 'operator', agentId: 1 });
  assert.equal(notSupervisor.status, 400);
  assert.match(await notSupervisor.text(), /agentId applies to a supervisor token only/);

  const phone = await app.api('/agents', { method: 'POST', role: 'admin', json: { name: 'Sam (phone)', endpoint: 'PJSIP/sup1', skills: [] } });
  assert.equal(phone.status, 201);
  const agentId = ((await phone.json()) as { id: number }).id;
  const made = await post({ name: 'Sam', role: 'supervisor', agentId });
  assert.equal(made.status, 201, await made.clone().text());
  const { id, token } = (await made.json()) as { id: number; token: string };
  const list = (await (await app.api('/tokens', { role: 'admin' })).json()) as { id: number; role: string; agentId: number | null }[];
  assert.deepEqual(list.filter((x) => x.id === id).map((x) => [x.role, x.agentId]), [['supervisor', agentId]]);
  // The token lists live conversations (none yet) and cannot change campaigns.
  const calls = await sendAs(app, token, 'GET', '/supervisor/calls');
  assert.equal(calls.status, 200, calls.text);
  assert.deepEqual((JSON.parse(calls.text) as { items: unknown[] }).items, []);
  assert.equal((await sendAs(app, token, 'POST', '/campaigns', { name: 'x' })).status, 403);
});
