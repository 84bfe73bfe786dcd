/**
 * A campaign's stored settings JSON → CampaignSettings, with the defaults filled in for
 * anything the campaign did not set. Parsed once per distinct JSON text: a tick asks
 * for every running campaign's settings and they rarely change.
 */
import { DEFAULT_SETTINGS, type CampaignSettings } from '../../campaigns/settings.ts';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const cache = new Map<string, CampaignSettings>();

export function campaignSettings(raw: string): CampaignSettings {
  let s = cache.get(raw);
  if (!s) {
    let stored: Partial<CampaignSettings> = {};
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) stored = parsed as Partial<CampaignSettings>;
    } catch {
      // The campaigns API validates settings on write; a damaged row falls back to the strict defaults.
    }
    s = { ...DEFAULT_SETTINGS, ...stored, retryDelayMinutes: { ...DEFAULT_SETTINGS.retryDelayMinutes, ...stored.retryDelayMinutes } };
    if (cache.size > 1000) cache.clear();
    cache.set(raw, s);
  }
  return s;
}

/** The debtor's country for the legal calling hours: the phone number's country, else the campaign's default. */
export function countryOf(e164: string | null, fallback: string): string {
  if (!e164) return fallback;
  return parsePhoneNumberFromString(e164)?.country ?? fallback;
}
