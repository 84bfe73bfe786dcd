/**
 * Every campaign setting is checked with its bounds on create (POST) and on change (PATCH):
 * a bad value is answered 400 VALIDATION naming the field path, a stable rule and why, and
 * nothing is stored. The bounds are listed in docs/campaign-settings.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { startTestApp } from '../helpers/app.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

type Json = any;
const BASE = { name: 'Energie Q4', mode: 'agentless', callerId: '+31201234567' };
const window = (start: string, end: string) => [{ days: [1, 2, 3, 4, 5], start, end }];

/** [settings patch, field path named, rule] */
const BAD: [Json, string, string][] = [
  [{ defaultTimeZone: 'Mars/Olympus' }, 'settings.defaultTimeZone', 'time_zone'],
  [{ defaultTimeZone: '+01:00' }, 'settings.defaultTimeZone', 'time_zone'],
  [{ defaultTimeZone: 'x'.repeat(65) }, 'settings.defaultTimeZone', 'too_large'],
  [{ retryDelayMinutes: { busy: 1e20 } }, 'settings.retryDelayMinutes.busy', 'too_large'],
  [{ retryDelayMinutes: { no_answer: 90 * 24 * 60 + 1 } }, 'settings.retryDelayMinutes.no_answer', 'too_large'],
  [{ retryDelayMinutes: { machine: 0 } }, 'settings.retryDelayMinutes.machine', 'too_small'],
  [{ retryDelayMinutes: { busy: 1.5 } }, 'settings.retryDelayMinutes.busy', 'type'],
  [{ retryDelayMinutes: { ringing: 5 } }, 'settings.retryDelayMinutes.ringing', 'unknown_field'],
  [{ callingWindows: window('20:00', '08:00') }, 'settings.callingWindows[0]', 'window_order'],
  [{ callingWindows: window('09:00', '09:00') }, 'settings.callingWindows[0]', 'window_order'],
  [{ callingWindows: window('9:00', '17:00') }, 'settings.callingWindows[0].start', 'format'],
  [{ callingWindows: [{ days: [1, 8], start: '09:00', end: '17:00' }] }, 'settings.callingWindows[0].days[1]', 'too_large'],
  [{ callingWindows: [{ days: [1, 1], start: '09:00', end: '17:00' }] }, 'settings.callingWindows[0].days', 'duplicate'],
  [{ callingWindows: [] }, 'settings.callingWindows', 'too_small'],
  [{ lowAmountCents: 500_000, highAmountCents: 100_000 }, 'settings.lowAmountCents', 'amount_order'],
  [{ highAmountCents: 1e20 }, 'settings.highAmountCents', 'too_large'],
  [{ lowAmountCents: -1 }, 'settings.lowAmountCents', 'too_small'],
  [{ callerName: 'x'.repeat(61) }, 'settings.callerName', 'too_large'],
  [{ callerName: 'Bereik\r\nX-Injected: 1' }, 'settings.callerName', 'format'],
  [{ callerName: '   ' }, 'settings.callerName', 'format'],
  [{ callerName: '' }, 'settings.callerName', 'too_small'],
  [{ agentSkill: 's'.repeat(41) }, 'settings.agentSkill', 'too_large'],
  [{ maxAttemptsPerDay: 0 }, 'settings.maxAttemptsPerDay', 'too_small'],
  [{ maxAttemptsTotal: 201 }, 'settings.maxAttemptsTotal', 'too_large'],
  [{ maxConcurrentChannels: 5001 }, 'settings.maxConcurrentChannels', 'too_large'],
  [{ maxCallsPerSecond: 0 }, 'settings.maxCallsPerSecond', 'too_small'],
  [{ ringTimeoutSec: 121 }, 'settings.ringTimeoutSec', 'too_large'],
  [{ menuTimeoutSec: 31 }, 'settings.menuTimeoutSec', 'too_large'],
  [{ maxPromptRetries: 6 }, 'settings.maxPromptRetries', 'too_large'],
  [{ abandonRateCap: 0.6 }, 'settings.abandonRateCap', 'too_large'],
  [{ abandonQuietHours: 721 }, 'settings.abandonQuietHours', 'too_large'],
  [{ quietDaysAfterConversation: 61 }, 'settings.quietDaysAfterConversation', 'too_large'],
  [{ amd: 'yes' }, 'settings.amd', 'type'],
  [{ voicemail: 'beep' }, 'settings.voicemail', 'not_allowed'],
  [{ answeredBy: 'robot' }, 'settings.answeredBy', 'not_allowed'],
  [{ skipPublicHolidays: false }, 'settings.skipPublicHolidays', 'looser_than_legal'],
  [{ callingWindows: window('06:00', '12:00') }, 'settings.callingWindows[0].start', 'looser_than_legal'],
];

async function refused(res: Response, field: string, rule: string, what: string): Promise<void> {
  const body = (await res.json()) as Json;
  assert.equal(res.status, 400, `${what}: ${JSON.stringify(body)}`);
  assert.equal(body.error.code, 'VALIDATION', what);
  const named = (body.error.details as Json[]).find((d) => d.field === field);
  assert.ok(named, `${what}: the answer names ${field}: ${JSON.stringify(body.error.details)}`);
  assert.equal(named.rule, rule, `${what}: rule`);
  assert.ok(named.message.startsWith(field) || rule === 'looser_than_legal', `${what}: the message names the field: ${named.message}`);
  assert.match(body.error.message, new RegExp(rule === 'looser_than_legal' ? 'looser than the legal' : field.replace(/[.[\]]/g, '\\$&')), what);
}

test('POST /campaigns refuses every out-of-bounds setting with 400 naming the field, and stores nothing', async (t) => {
  const app = await startTestApp({ telephony: false });
  t.after(() => app.close());
  for (const [settings, field, rule] of BAD) {
    await refused(await app.api('/campaigns', { method: 'POST', json: { ...BASE, settings } }), field, rule, `POST ${JSON.stringify(settings).slice(0, 80)}`);
  }
  const list = (await (await app.api('/campaigns')).json()) as Json;
  assert.equal(list.total, 0, 'no campaign was stored');
});

test('PATCH /campaigns/:id refuses the same settings and keeps the stored ones', async (t) => {
  const app = await startTestApp({ telephony: false });
  t.after(() => app.close());
  const created = (await (await app.api('/campaigns', { method: 'POST', json: BASE })).json()) as Json;
  for (const [settings, field, rule] of BAD) {
    await refused(await app.api(`/campaigns/${created.id}`, { method: 'PATCH', json: { settings } }), field, rule, `PATCH ${JSON.stringify(settings).slice(0, 80)}`);
  }
  const shown = (await (await app.api(`/campaigns/${created.id}`)).json()) as Json;
  assert.deepEqual(shown.settings, created.settings, 'the stored settings did not change');
});

test('several bad settings are all named in one answer', async (t) => {
  const app = await startTestApp({ telephony: false });
  t.after(() => app.close());
  const res = await app.api('/campaigns', { method: 'POST', json: { ...BASE, settings: { defaultTimeZone: 'Mars/Olympus', retryDelayMinutes: { busy: 1e20 }, callerName: 'x'.repeat(61) } } });
  const body = (await res.json()) as Json;
  assert.equal(res.status, 400);
  assert.deepEqual((body.error.details as Json[]).map((d) => d.field).sort(), ['settings.callerName', 'settings.defaultTimeZone', 'settings.retryDelayMinutes.busy']);
});

test('values at the bounds are accepted', async (t) => {
  const app = await startTestApp({ telephony: false });
  t.after(() => app.close());
  const settings = {
    defaultTimeZone: 'America/Argentina/Buenos_Aires',
    retryDelayMinutes: { busy: 90 * 24 * 60, no_answer: 1 },
    callerName: 'x'.repeat(60),
    agentSkill: 's'.repeat(40),
    lowAmountCents: 250_00,
    highAmountCents: 250_00,
    callingWindows: [{ days: [1, 2, 3, 4, 5, 6], start: '07:00', end: '20:00' }],
  };
  const res = await app.api('/campaigns', { method: 'POST', json: { ...BASE, settings } });
  const body = (await res.json()) as Json;
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.equal(body.settings.retryDelayMinutes.busy, 90 * 24 * 60);
  assert.equal(body.settings.retryDelayMinutes.machine, (DEFAULT_SETTINGS.retryDelayMinutes as Record<string, number>).machine);
  assert.equal(body.settings.callerName.length, 60);
  assert.equal(body.pausedReason, null);
  const patched = await app.api(`/campaigns/${body.id}`, { method: 'PATCH', json: { settings: { defaultTimeZone: 'UTC', lowAmountCents: 0 } } });
  assert.equal(patched.status, 200, await patched.clone().text());
});

test('a stored setting this version does not know (an old Bereik wrote it) does not block the next change, and is dropped', async (t) => {
  const app = await startTestApp({ telephony: false });
  t.after(() => app.close());
  const created = (await (await app.api('/campaigns', { method: 'POST', json: BASE })).json()) as Json;
  const stored = { ...created.settings, nightMode: true, retryDelayMinutes: { ...created.settings.retryDelayMinutes, ringing: 5 } };
  sqliteHandle(app.app.deps.store).prepare(`UPDATE campaigns SET settings = ? WHERE id = ?`).run(JSON.stringify(stored), created.id);
  const res = await app.api(`/campaigns/${created.id}`, { method: 'PATCH', json: { settings: { ringTimeoutSec: 30 } } });
  assert.equal(res.status, 200, await res.clone().text());
  const row = sqliteHandle(app.app.deps.store).prepare(`SELECT settings FROM campaigns WHERE id = ?`).get(created.id) as { settings: string };
  const now = JSON.parse(row.settings);
  assert.equal(now.ringTimeoutSec, 30);
  assert.equal('nightMode' in now, false);
  assert.equal('ringing' in now.retryDelayMinutes, false);
});
