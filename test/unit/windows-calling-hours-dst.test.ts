import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { isCallable, nextCallableTime } from '../../src/dialer/policy/windows.ts';

const NL = { timeZone: 'Europe/Amsterdam', country: 'NL' };
const US = { timeZone: 'America/New_York', country: 'US' };
const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

test('a Dutch debtor may be called on a weekday morning in the default window', () => {
  const r = isCallable(at('2026-11-23T09:00:00Z'), NL, DEFAULT_SETTINGS);
  assert.equal(r.ok, true);
  assert.equal(r.ok && iso(r.until), '2026-11-23T19:00:00.000Z');
});

test('Saturday 20:00 before the spring DST change: next call is Monday 08:00 CEST (06:00Z), Sunday skipped', () => {
  assert.equal(isCallable(at('2026-03-28T18:59:00Z'), NL, DEFAULT_SETTINGS).ok, true);
  const r = isCallable(at('2026-03-28T19:00:00Z'), NL, DEFAULT_SETTINGS);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'outside_window');
  assert.equal(!r.ok && iso(r.nextAt), '2026-03-30T06:00:00.000Z');
});

test('after the autumn DST change 08:00 local is 07:00Z again', () => {
  assert.equal(iso(nextCallableTime(at('2026-10-24T18:30:00Z'), NL, DEFAULT_SETTINGS)), '2026-10-26T07:00:00.000Z');
  assert.equal(isCallable(at('2026-10-26T06:30:00Z'), NL, DEFAULT_SETTINGS).ok, false);
  assert.equal(isCallable(at('2026-10-26T07:00:00Z'), NL, DEFAULT_SETTINGS).ok, true);
});

test('Sunday is refused with the reason sunday', () => {
  const r = isCallable(at('2026-11-22T11:00:00Z'), NL, DEFAULT_SETTINGS);
  assert.deepEqual(r, { ok: false, reason: 'sunday', nextAt: at('2026-11-23T07:00:00Z') });
});

test('Koningsdag is refused with the holiday named; calls resume the next morning', () => {
  const r = isCallable(at('2026-04-27T08:00:00Z'), NL, DEFAULT_SETTINGS);
  assert.deepEqual(r, { ok: false, reason: 'public_holiday', detail: 'Koningsdag', nextAt: at('2026-04-28T06:00:00Z') });
});

test('Christmas on Friday and Saturday then Sunday: next call Monday 28 December', () => {
  assert.equal(iso(nextCallableTime(at('2026-12-24T19:30:00Z'), NL, DEFAULT_SETTINGS)), '2026-12-28T07:00:00.000Z');
});

test('holidays are called through when the campaign does not skip them', () => {
  const s = { ...DEFAULT_SETTINGS, skipPublicHolidays: false };
  assert.equal(isCallable(at('2026-04-27T08:00:00Z'), NL, s).ok, true);
});

test('a window misconfigured to 06:00–22:00 is still clipped to 07:00–20:00', () => {
  const s = { ...DEFAULT_SETTINGS, callingWindows: [{ days: [1, 2, 3, 4, 5, 6], start: '06:00', end: '22:00' }] };
  const early = isCallable(at('2026-11-23T05:30:00Z'), NL, s); // 06:30 local
  assert.equal(!early.ok && early.reason, 'legal_hours');
  assert.equal(!early.ok && iso(early.nextAt), '2026-11-23T06:00:00.000Z');
  const late = isCallable(at('2026-11-23T19:30:00Z'), NL, s); // 20:30 local
  assert.equal(!late.ok && late.reason, 'legal_hours');
});

test('a Sunday window without allowLooserThanLegal still never calls on Sunday', () => {
  const s = { ...DEFAULT_SETTINGS, callingWindows: [{ days: [7], start: '10:00', end: '12:00' }] };
  assert.equal(isCallable(at('2026-11-22T10:00:00Z'), NL, s).ok, false);
  assert.equal(nextCallableTime(at('2026-11-22T10:00:00Z'), NL, s), null, 'no callable time at all');
  const r = isCallable(at('2026-11-23T10:00:00Z'), NL, s);
  assert.equal(!r.ok && r.reason, 'no_window');
});

test('a US debtor gets the Dutch default 08:00–20:00 in New York time, across the US DST change', () => {
  // US DST starts 8 March 2026: Saturday 7 March 08:00 EST = 13:00Z, Monday 9 March 08:00 EDT = 12:00Z.
  assert.equal(isCallable(at('2026-03-07T13:00:00Z'), US, DEFAULT_SETTINGS).ok, true);
  assert.equal(iso(nextCallableTime(at('2026-03-08T01:30:00Z'), US, DEFAULT_SETTINGS)), '2026-03-09T12:00:00.000Z');
  const evening = isCallable(at('2026-03-10T00:30:00Z'), US, DEFAULT_SETTINGS); // 20:30 EDT
  assert.equal(evening.ok, false);
});

test('a campaign that explicitly loosens may call US debtors until 21:00 and on Sundays, never before 08:00', () => {
  const s = { ...DEFAULT_SETTINGS, allowLooserThanLegal: true, callingWindows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '21:00' }] };
  assert.equal(isCallable(at('2026-03-10T00:30:00Z'), US, s).ok, true); // Monday 20:30 EDT
  assert.equal(isCallable(at('2026-03-15T15:00:00Z'), US, s).ok, true); // Sunday 11:00 EDT
  const early = isCallable(at('2026-03-10T11:30:00Z'), US, s); // 07:30 EDT: Regulation F says 08:00
  assert.equal(!early.ok && early.reason, 'legal_hours');
  // A Dutch debtor of the same campaign still never gets a Sunday call.
  assert.equal(isCallable(at('2026-03-15T10:00:00Z'), NL, s).ok, false);
});

test('US federal holidays block US debtors, including the observed Friday', () => {
  const s = { ...DEFAULT_SETTINGS };
  const r = isCallable(at('2026-07-03T15:00:00Z'), US, s);
  assert.deepEqual(!r.ok && [r.reason, r.detail], ['public_holiday', 'Independence Day (observed)']);
  assert.equal(isCallable(at('2026-11-26T15:00:00Z'), US, s).ok, false); // Thanksgiving
});
