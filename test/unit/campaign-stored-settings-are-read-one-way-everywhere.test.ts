import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStoredSettings } from '../../src/campaigns/stored-settings.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { startTestApp } from '../helpers/app.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

const DEFAULT_RETRY = DEFAULT_SETTINGS.retryDelayMinutes as Record<string, number>;

// One parser for the stored settings JSON: the dialer, caller recognition and the
// campaigns API used to read it three ways (nested defaults, a shallow merge, no defaults),
// so a campaign stored with only retryDelayMinutes.busy showed no other retry delays in
// the API while recognition lost them altogether.

test('stored settings get every default, nested objects key by key, and lose keys this version does not know', () => {
  const s = parseStoredSettings(JSON.stringify({ maxAttemptsPerDay: 1, retryDelayMinutes: { busy: 45 }, olderBereikKey: true }));
  assert.equal(s.maxAttemptsPerDay, 1);
  const retry = s.retryDelayMinutes as Record<string, number>;
  assert.equal(retry.busy, 45);
  assert.equal(retry.no_answer, DEFAULT_RETRY.no_answer, 'other outcomes keep their default');
  assert.deepEqual(s.callingWindows, DEFAULT_SETTINGS.callingWindows);
  assert.equal('olderBereikKey' in s, false);
});

test('a damaged row falls back to the strict defaults', () => {
  for (const raw of ['{not json', 'null', '[]', '42', '"text"', null, undefined]) {
    assert.deepEqual(parseStoredSettings(raw), DEFAULT_SETTINGS, `stored ${String(raw)}`);
  }
});

test('the campaigns API shows the same settings the dialer works with', async (t) => {
  const h = await startTestApp({ telephony: {} });
  t.after(() => h.close());
  const created = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'Q4', mode: 'agentless', callerId: '+31201234567' } })).json()) as { id: number };
  // As an older Bereik would have stored it: a partial object with a key since removed.
  const raw = JSON.stringify({ retryDelayMinutes: { busy: 45 }, olderBereikKey: true });
  sqliteHandle(h.app.deps.store).prepare('UPDATE campaigns SET settings = ? WHERE id = ?').run(raw, created.id);
  const shown = (await (await h.api(`/campaigns/${created.id}`)).json()) as { settings: Record<string, unknown> };
  assert.deepEqual(shown.settings, JSON.parse(JSON.stringify(parseStoredSettings(raw))));
  assert.equal((shown.settings.retryDelayMinutes as Record<string, number>).no_answer, DEFAULT_RETRY.no_answer);
});
