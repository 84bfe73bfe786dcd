/**
 * A campaign's stored settings JSON → full CampaignSettings: the one way every reader (the
 * dialer, caller recognition, the campaigns API) turns the stored text into settings.
 * Defaults fill whatever the campaign did not set, nested objects key by key (a campaign
 * that set only retryDelayMinutes.busy keeps the default for the other outcomes). Keys this
 * version does not know (written by an older Bereik) are left out. Unreadable JSON or a
 * value that is not an object falls back to the strict defaults: the API validates on
 * write, so only a damaged row gets here, and the dialer pauses a campaign whose settings
 * still fail (src/dialer/runtime/failing.ts).
 * Parsed once per distinct text: a dialer tick asks for every running campaign's settings.
 */
import { Value } from '@sinclair/typebox/value';
import { CampaignSettingsSchema, DEFAULT_SETTINGS, type CampaignSettings } from './settings.ts';

const cache = new Map<string, CampaignSettings>();
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseStoredSettings(raw: unknown): CampaignSettings {
  if (typeof raw !== 'string') return DEFAULT_SETTINGS;
  let s = cache.get(raw);
  if (!s) {
    s = fromJson(raw);
    if (cache.size > 1000) cache.clear();
    cache.set(raw, s);
  }
  return s;
}

function fromJson(raw: string): CampaignSettings {
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return DEFAULT_SETTINGS;
  }
  if (!isObj(stored)) return DEFAULT_SETTINGS;
  const known = Value.Clean(CampaignSettingsSchema, structuredClone(stored)) as Partial<CampaignSettings>;
  const retry = isObj(known.retryDelayMinutes) ? known.retryDelayMinutes : {};
  return Object.freeze({
    ...DEFAULT_SETTINGS,
    ...known,
    retryDelayMinutes: { ...DEFAULT_SETTINGS.retryDelayMinutes, ...retry },
  });
}
