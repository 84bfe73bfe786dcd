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
