import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

test('every registered route answers 401 without a token and 403 to a role it does not allow', async (t) => {
  // Many deliberate failures from one address: lift the rate limit for this table.
  const app = await startTestApp({ config: { auth: { maxFailedPerMinute: 10000 } } });
  t.after(() => app.close());
  const routes = app.app.http.bereikRoutes.filter((r) => r.roles !== 'public');
  assert.ok(routes.length >= 13, `${routes.length} protected routes`);
  for (const r of routes) {
    const path = r.url.replace(/:id\b/g, '1');
    await t.test(`${r.method} ${r.url}`, async () => {
      const none = await app.api(path, { method: r.method, role: null });
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'AUTH_MISSING');
      const unknown = await app.api(path, { method: r.method, role: null, headers: { authorization: 'Bearer brk_not-a-real-token' } });
      assert.equal(unknown.status, 401);
      assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'AUTH_INVALID');
      const roles = r.roles as string[];
      // A supervisor reaches the live calls and the API description, nothing of the book.
      for (const role of ['operator', 'agent', 'supervisor'] as const) {
        if (roles.includes(role)) continue;
        const res = await app.api(path, { method: r.method, role });
        assert.equal(res.status, 403, `${role} on ${r.method} ${r.url}`);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'AUTH_FORBIDDEN');
      }
    });
  }
});

test('/healthz needs no token, nor the pages without data; the API description needs one of any role; admin may do what an operator may', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  assert.equal((await app.api('/healthz', { role: null })).status, 200);
  for (const path of ['/openapi.json', '/docs/json', '/docs/yaml']) {
    assert.equal((await app.api(path, { role: null })).status, 401, `${path} without a token`);
    for (const role of ['agent', 'operator', 'admin', 'supervisor'] as const) assert.equal((await app.api(path, { role })).status, 200, `${path} as ${role}`);
  }
  const spec = (await (await app.api('/openapi.json', { role: 'agent' })).json()) as { paths: Record<string, unknown> };
  assert.ok(spec.paths['/campaigns/{id}/imports']);
  const page = await app.api('/docs/', { role: null });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /swagger-ui/);
  const init = await (await app.api('/docs/static/swagger-initializer.js', { role: null })).text();
  assert.match(init, /"requestInterceptor":function anonymous\(req\n?\) \{/, 'the page sends the token it asked for');
  assert.match(init, /Authorization = 'Bearer ' \+ token/);
  const res = await app.api('/campaigns', { method: 'POST', role: 'admin', json: { name: 'by admin', mode: 'preview', callerId: '+31201234567' } });
  assert.equal(res.status, 201);
});

test('a revoked token is refused', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const { TokenStore } = await import('../../src/store/tokens.ts');
  const store = new TokenStore(sqliteHandle(app.app.deps.store));
  const op = store.list().find((x) => x.role === 'operator')!;
  assert.equal((await app.api('/campaigns')).status, 200);
  store.revoke(op.id, new Date().toISOString());
  assert.equal((await app.api('/campaigns')).status, 401);
});

test('too many failed attempts from one address → 429 with Retry-After, even with a valid token, until the minute is over', async (t) => {
  const clock = new FakeClock(Date.parse('2026-11-23T10:00:00Z'));
  const app = await startTestApp({ clock, config: { auth: { maxFailedPerMinute: 3 } } });
  t.after(() => app.close());
  for (let i = 0; i < 3; i++) assert.equal((await app.api('/campaigns', { role: null })).status, 401);
  const blocked = await app.api('/campaigns');
  assert.equal(blocked.status, 429);
  assert.equal(blocked.headers.get('retry-after'), '60');
  assert.equal(((await blocked.json()) as { error: { code: string } }).error.code, 'AUTH_RATE_LIMITED');
  await clock.advance(45_000);
  assert.equal((await app.api('/campaigns')).headers.get('retry-after'), '15');
  await clock.advance(15_000);
  assert.equal((await app.api('/campaigns')).status, 200);
});
