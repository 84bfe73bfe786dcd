/**
 * Turns a partial settings object from the API into full campaign settings: merged onto
 * the campaign's current settings (or DEFAULT_SETTINGS), validated with the TypeBox
 * schema, and checked against LEGAL_LIMITS. Loosening a legal limit needs
 * allowLooserThanLegal: true; the caller logs that choice.
 */
import { Value } from '@sinclair/typebox/value';
import { BereikError } from '../lib/errors.ts';
import { CampaignSettingsSchema, DEFAULT_SETTINGS, LEGAL_LIMITS, type CampaignSettings } from './settings.ts';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key (retryDelayMinutes); arrays and scalars replace (callingWindows). */
function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isObj(v) && isObj(base[k]) ? merge(base[k] as Json, v) : v;
  }
  return out;
}

export function mergeSettings(patch: unknown, base: CampaignSettings = DEFAULT_SETTINGS): CampaignSettings {
  if (patch !== undefined && !isObj(patch)) throw new BereikError('VALIDATION', 'settings must be an object');
  const merged = merge(structuredClone(base) as unknown as Json, (patch ?? {}) as Json);
  const errors = [...Value.Errors(CampaignSettingsSchema, merged)];
  if (errors.length > 0) {
    const details = errors.slice(0, 20).map((e) => ({ field: `settings${e.path}`, message: `settings${e.path} ${e.message}` }));
    throw new BereikError('VALIDATION', details.map((d) => d.message).join('; '), details);
  }
  const settings = merged as unknown as CampaignSettings;
  const looser = looserThanLegal(settings);
  if (looser.length > 0 && !settings.allowLooserThanLegal) {
    throw new BereikError(
      'VALIDATION',
      `settings are looser than the legal defaults (${looser.join('; ')}); set settings.allowLooserThanLegal = true to do this on purpose`,
      looser.map((l) => ({ field: 'settings', message: l })),
    );
  }
  return settings;
}

/** Every respect in which these settings are looser than LEGAL_LIMITS, in words. */
export function looserThanLegal(s: CampaignSettings): string[] {
  const out: string[] = [];
  for (const w of s.callingWindows) {
    if (w.start < LEGAL_LIMITS.earliestStart) out.push(`callingWindows start ${w.start} is before ${LEGAL_LIMITS.earliestStart}`);
    if (w.end > LEGAL_LIMITS.latestEnd) out.push(`callingWindows end ${w.end} is after ${LEGAL_LIMITS.latestEnd}`);
    if (LEGAL_LIMITS.noSundays && w.days.includes(7)) out.push('callingWindows include Sunday');
  }
  if (!s.skipPublicHolidays) out.push('skipPublicHolidays is false');
  if (s.maxAttemptsPer7Days > LEGAL_LIMITS.maxAttemptsPer7Days) out.push(`maxAttemptsPer7Days ${s.maxAttemptsPer7Days} > ${LEGAL_LIMITS.maxAttemptsPer7Days}`);
  if (s.quietDaysAfterConversation < LEGAL_LIMITS.minQuietDaysAfterConversation) {
    out.push(`quietDaysAfterConversation ${s.quietDaysAfterConversation} < ${LEGAL_LIMITS.minQuietDaysAfterConversation}`);
  }
  if (s.ringTimeoutSec < LEGAL_LIMITS.minRingTimeoutSec) out.push(`ringTimeoutSec ${s.ringTimeoutSec} < ${LEGAL_LIMITS.minRingTimeoutSec}`);
  if (s.abandonRateCap > LEGAL_LIMITS.maxAbandonRateCap) out.push(`abandonRateCap ${s.abandonRateCap} > ${LEGAL_LIMITS.maxAbandonRateCap}`);
  if (s.abandonQuietHours < LEGAL_LIMITS.minAbandonQuietHours) out.push(`abandonQuietHours ${s.abandonQuietHours} < ${LEGAL_LIMITS.minAbandonQuietHours}`);
  return out;
}
