import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { runBereik } from '../helpers/cli.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import type { StateChange } from '../../src/campaigns/service.ts';

// Response bodies are checked field by field below; a loose type keeps that readable.
type Json = Record<string, any>;

test('a campaign is created as draft with default settings, and partial settings merge onto them', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const res = await app.api('/campaigns', {
    method: 'POST',
    json: { name: 'Energie Q4', mode: 'progressive', callerId: '+31201234567', settings: { maxAttemptsPerDay: 1, retryDelayMinutes: { busy: 45 } } },
  });
  assert.equal(res.status, 201);
  const c = (await res.json()) as Json;
  assert.equal(c.state, 'draft');
  assert.equal(c.language, 'nl');
  assert.equal(c.defaultCountry, 'NL');
  assert.deepEqual(c.actions, ['start', 'finish']);
  assert.equal(c.settings.maxAttemptsPerDay, 1);
  assert.equal(c.settings.retryDelayMinutes.busy, 45);
  assert.equal(c.settings.retryDelayMinutes.no_answer, (DEFAULT_SETTINGS.retryDelayMinutes as Record<string, number>).no_answer);
  assert.deepEqual(c.settings.callingWindows, DEFAULT_SETTINGS.callingWindows);

  const patched = (await (await app.api(`/campaigns/${c.id}`, { method: 'PATCH', json: { name: 'Energie Q4b', settings: { ringTimeoutSec: 30 } } })).json()) as Json;
  assert.equal(patched.name, 'Energie Q4b');
  assert.equal(patched.settings.ringTimeoutSec, 30);
  assert.equal(patched.settings.maxAttemptsPerDay, 1, 'earlier changes are kept');

  const list = (await (await app.api('/campaigns?state=draft')).json()) as Json;
  assert.equal(list.total, 1);
});

test('validation errors name the field', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const cases: [Json, RegExp][] = [
    [{ name: 'x', mode: 'agentless', callerId: '020-1234567' }, /^body\/callerId must match E\.164/],
    [{ name: 'x', mode: 'robocall', callerId: '+31201234567' }, /body\/mode/],
    [{ mode: 'agentless', callerId: '+31201234567' }, /body\/name is required/],
    [{ name: 'x', mode: 'agentless', callerId: '+31201234567', settings: { ringTimeoutSec: 2 } }, /settings\.ringTimeoutSec must be at least 5/],
    [{ name: 'x', mode: 'agentless', callerId: '+31201234567', settings: { nightMode: true } }, /settings\.nightMode is not a known setting/],
    [{ name: 'x', mode: 'agentless', callerId: '+31201234567', defaultCountry: 'XX' }, /defaultCountry XX/],
  ];
  for (const [body, re] of cases) {
    const res = await app.api('/campaigns', { method: 'POST', json: body });
    const err = (await res.json()) as Json;
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(err.error.code, 'VALIDATION');
    assert.match(err.error.message, re);
  }
});

test('settings looser than the legal defaults need allowLooserThanLegal, and are then accepted', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const base = { name: 'US', mode: 'agentless', callerId: '+12125550100', defaultCountry: 'US' };
  const loose = { callingWindows: [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '21:00' }] };
  const refused = await app.api('/campaigns', { method: 'POST', json: { ...base, settings: loose } });
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as Json).error.message, /callingWindows end 21:00 is after 20:00/);
  const allowed = await app.api('/campaigns', { method: 'POST', json: { ...base, settings: { ...loose, allowLooserThanLegal: true } } });
  assert.equal(allowed.status, 201);
  assert.equal(((await allowed.json()) as Json).settings.callingWindows[0].end, '21:00');
});

test('lifecycle draft → running ⇄ paused → finished; other moves are 409 and the dialer hears each change', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const heard: string[] = [];
  app.app.deps.campaigns.events.on('stateChanged', (e: StateChange) => heard.push(`${e.from}→${e.to}`));
  const c = (await (await app.api('/campaigns', { method: 'POST', json: { name: 'L', mode: 'agentless', callerId: '+31201234567' } })).json()) as Json;
  const act = async (action: string) => app.api(`/campaigns/${c.id}/${action}`, { method: 'POST' });

  const bad = await act('pause');
  assert.equal(bad.status, 409);
  const body = (await bad.json()) as Json;
  assert.equal(body.error.code, 'CAMPAIGN_BAD_TRANSITION');
  assert.deepEqual(body.error.details.allowed, ['start', 'finish']);

  for (const [action, state] of [['start', 'running'], ['pause', 'paused'], ['resume', 'running'], ['finish', 'finished']]) {
    const res = await act(action!);
    assert.equal(res.status, 200, action);
    assert.equal(((await res.json()) as Json).state, state);
  }
  assert.deepEqual(heard, ['draft→running', 'running→paused', 'paused→running', 'running→finished']);
  assert.equal((await act('resume')).status, 409);
  const final = (await (await app.api(`/campaigns/${c.id}`)).json()) as Json;
  assert.ok(final.startedAt && final.finishedAt);
  assert.equal((await app.api(`/campaigns/${c.id}`, { method: 'PATCH', json: { name: 'too late' } })).status, 409);
  assert.equal((await app.api('/campaigns/999')).status, 404);
});

test('bereik campaign start|pause|show works on the database with the same rules', async (t) => {
  const app = await startTestApp();
  t.after(() => app.close());
  const c = (await (await app.api('/campaigns', { method: 'POST', json: { name: 'CLI', mode: 'agentless', callerId: '+31201234567' } })).json()) as Json;
  const run = (...args: string[]) => runBereik(['campaign', ...args], { BEREIK_DB_PATH: app.dbPath });
  const start = await run('start', String(c.id));
  assert.equal(start.status, 0, start.stderr);
  assert.match(start.stdout, /draft → running/);
  assert.equal(((await (await app.api(`/campaigns/${c.id}`)).json()) as Json).state, 'running');
  const again = await run('start', String(c.id));
  assert.equal(again.status, 1);
  assert.match(again.stderr, /is running; it cannot start \(possible: pause, finish\)/);
  const show = await run('show', String(c.id));
  assert.equal(JSON.parse(show.stdout).state, 'running');
});
