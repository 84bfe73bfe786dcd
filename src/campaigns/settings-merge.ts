/**
 * Turns a partial settings object from the API into full campaign settings: merged onto
 * the campaign's current settings (or DEFAULT_SETTINGS), checked field by field
 * (settings-check.ts), and checked against LEGAL_LIMITS. Loosening a legal limit needs
 * allowLooserThanLegal: true; the caller logs that choice.
 */
import { Value } from '@sinclair/typebox/value';
import { BereikError } from '../lib/errors.ts';
import { looserProblems, settingProblems, type SettingProblem } from './settings-check.ts';
import { CampaignSettingsSchema, DEFAULT_SETTINGS, type CampaignSettings } from './settings.ts';

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key (retryDelayMinutes); arrays and scalars replace (callingWindows). */
function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const value = isObj(v) && isObj(base[k]) ? merge(base[k] as Json, v) : v;
    // An own "__proto__" key (JSON.parse makes one) stays a plain field, refused as unknown, instead of replacing the prototype.
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function refuse(problems: SettingProblem[], summary: string): never {
  throw new BereikError('VALIDATION', summary, problems);
}

export function mergeSettings(patch: unknown, base: CampaignSettings = DEFAULT_SETTINGS): CampaignSettings {
  if (patch !== undefined && !isObj(patch)) refuse([{ field: 'settings', rule: 'type', message: 'settings must be an object' }], 'settings must be an object');
  // Stored keys this version does not know (written by an older Bereik) do nothing and could
  // never be removed by a merge: they are dropped, while unknown keys in the patch are refused.
  const known = Value.Clean(CampaignSettingsSchema, structuredClone(base)) as Json;
  const merged = merge(known, (patch ?? {}) as Json);
  const problems = settingProblems(merged);
  if (problems.length > 0) refuse(problems, problems.map((p) => p.message).join('; '));
  const settings = merged as unknown as CampaignSettings;
  const looser = looserProblems(settings);
  if (looser.length > 0 && !settings.allowLooserThanLegal) {
    refuse(looser, `settings are looser than the legal defaults (${looser.map((l) => l.message).join('; ')}); set settings.allowLooserThanLegal = true to do this on purpose`);
  }
  return settings;
}

/** Every respect in which these settings are looser than LEGAL_LIMITS, in words. */
export function looserThanLegal(s: CampaignSettings): string[] {
  return looserProblems(s).map((p) => p.message);
}
