/**
 * Every problem with a full settings object, each naming its field path
 * (`settings.retryDelayMinutes.busy`, `settings.callingWindows[0]`), a stable rule and why.
 * Bounds come from the TypeBox schema; the checks a schema cannot express (a real IANA
 * zone, window start before end, the low amount not above the high one) follow.
 * The API refuses settings with any problem; the dialer quotes them when it pauses a
 * campaign stored before these checks existed. docs/campaign-settings.md lists the rules.
 */
import { parseSmsSender } from '../messaging/sender.ts';
import { fieldPath, MAX_PROBLEMS, schemaProblems, shown, type SchemaProblem, type SchemaRule } from '../lib/schema-problems.ts';
import { isValidTimeZone } from '../dialer/policy/local-time.ts';
import { CampaignSettingsSchema, LEGAL_LIMITS, type CampaignSettings } from './settings.ts';

/** Stable names for why a setting was refused (API clients may branch on them). */
export type SettingRule = SchemaRule | 'time_zone' | 'window_order' | 'amount_order' | 'looser_than_legal';

export type SettingProblem = SchemaProblem<SettingRule>;

/** An IANA name (Area/Location, or UTC): not an offset such as +01:00, which Intl may also accept. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `/callingWindows/0/start` → `settings.callingWindows[0].start`. */
export function settingPath(pointer: string): string {
  return fieldPath(pointer, 'settings');
}

/** The checks between fields and against the outside world; each looks only at fields of the right type. */
function meaningProblems(s: Json): SettingProblem[] {
  const out: SettingProblem[] = [];
  const zone = s.defaultTimeZone;
  if (typeof zone === 'string' && zone !== '' && (!IANA_NAME.test(zone) || !isValidTimeZone(zone))) {
    out.push({ field: 'settings.defaultTimeZone', rule: 'time_zone', message: `settings.defaultTimeZone must be an IANA time zone such as Europe/Amsterdam, got ${shown(zone)}` });
  }
  if (Array.isArray(s.callingWindows)) {
    s.callingWindows.forEach((w: unknown, i) => {
      if (!isObj(w) || typeof w.start !== 'string' || typeof w.end !== 'string' || !/^\d\d:\d\d$/.test(w.start) || !/^\d\d:\d\d$/.test(w.end)) return;
      if (w.start >= w.end) {
        const field = `settings.callingWindows[${i}]`;
        out.push({ field, rule: 'window_order', message: `${field} must start before it ends, got ${w.start}–${w.end} (a window cannot cross midnight: use two)` });
      }
    });
  }
  const { lowAmountCents: low, highAmountCents: high } = s;
  if (typeof low === 'number' && typeof high === 'number' && low > high) {
    out.push({ field: 'settings.lowAmountCents', rule: 'amount_order', message: `settings.lowAmountCents (${low}) must not be above settings.highAmountCents (${high})` });
  }
  if (typeof s.callerName === 'string' && s.callerName !== '' && s.callerName.trim() === '') {
    out.push({ field: 'settings.callerName', rule: 'format', message: 'settings.callerName must not be blank' });
  }
  if (typeof s.smsSender === 'string') {
    const sender = parseSmsSender(s.smsSender);
    if (!sender.ok) out.push({ field: 'settings.smsSender', rule: 'format', message: `settings.smsSender: ${sender.reason}` });
  }
  return out;
}

/** Every problem with these (full, merged) settings; [] when they are fine. Legal limits are separate: looserThanLegal. */
export function settingProblems(value: unknown): SettingProblem[] {
  if (!isObj(value)) return [{ field: 'settings', rule: 'type', message: 'settings must be an object' }];
  return [...schemaProblems(CampaignSettingsSchema, value, 'settings', 'setting'), ...meaningProblems(value)].slice(0, MAX_PROBLEMS);
}

/** Every respect in which these settings are looser than LEGAL_LIMITS, with the field it is about. */
export function looserProblems(s: CampaignSettings): SettingProblem[] {
  const out: SettingProblem[] = [];
  const add = (field: string, text: string) => out.push({ field: `settings.${field}`, rule: 'looser_than_legal', message: text });
  s.callingWindows.forEach((w, i) => {
    if (w.start < LEGAL_LIMITS.earliestStart) add(`callingWindows[${i}].start`, `callingWindows start ${w.start} is before ${LEGAL_LIMITS.earliestStart}`);
    if (w.end > LEGAL_LIMITS.latestEnd) add(`callingWindows[${i}].end`, `callingWindows end ${w.end} is after ${LEGAL_LIMITS.latestEnd}`);
    if (LEGAL_LIMITS.noSundays && w.days.includes(7)) add(`callingWindows[${i}].days`, 'callingWindows include Sunday');
  });
  if (!s.skipPublicHolidays) add('skipPublicHolidays', 'skipPublicHolidays is false');
  if (s.maxAttemptsPer7Days > LEGAL_LIMITS.maxAttemptsPer7Days) add('maxAttemptsPer7Days', `maxAttemptsPer7Days ${s.maxAttemptsPer7Days} > ${LEGAL_LIMITS.maxAttemptsPer7Days}`);
  if (s.quietDaysAfterConversation < LEGAL_LIMITS.minQuietDaysAfterConversation) {
    add('quietDaysAfterConversation', `quietDaysAfterConversation ${s.quietDaysAfterConversation} < ${LEGAL_LIMITS.minQuietDaysAfterConversation}`);
  }
  if (s.ringTimeoutSec < LEGAL_LIMITS.minRingTimeoutSec) add('ringTimeoutSec', `ringTimeoutSec ${s.ringTimeoutSec} < ${LEGAL_LIMITS.minRingTimeoutSec}`);
  if (s.abandonRateCap > LEGAL_LIMITS.maxAbandonRateCap) add('abandonRateCap', `abandonRateCap ${s.abandonRateCap} > ${LEGAL_LIMITS.maxAbandonRateCap}`);
  if (s.abandonQuietHours < LEGAL_LIMITS.minAbandonQuietHours) add('abandonQuietHours', `abandonQuietHours ${s.abandonQuietHours} < ${LEGAL_LIMITS.minAbandonQuietHours}`);
  return out;
}
