/** Campaign settings for the dialer: the one stored-settings parser (src/campaigns/stored-settings.ts). */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
export { parseStoredSettings as campaignSettings } from '../../campaigns/stored-settings.ts';

/** The debtor's country for the legal calling hours: the phone number's country, else the campaign's default. */
export function countryOf(e164: string | null, fallback: string): string {
  if (!e164) return fallback;
  return parsePhoneNumberFromString(e164)?.country ?? fallback;
}
