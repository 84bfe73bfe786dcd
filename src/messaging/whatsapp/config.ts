/**
 * whatsapp.* → what the channel needs. A real Graph endpoint needs the phone number id, the
 * access token and the app secret (without it no webhook can be trusted): a missing one is
 * CONFIG_INVALID naming the key and where to set it, at start rather than at the first send.
 */
import type { WhatsAppConfig } from '../../config/schema.ts';
import { BereikError } from '../../lib/errors.ts';
import type { WhatsAppTarget } from './cloud-channel.ts';

/** The simulated endpoint's phone number id when whatsapp.phoneNumberId is empty. */
export const SIM_PHONE_NUMBER_ID = '100000000000001';

export function resolveWhatsAppTarget(c: WhatsAppConfig): WhatsAppTarget {
  if (!/^https:\/\//.test(c.graphUrl) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(c.graphUrl)) {
    throw new BereikError('CONFIG_INVALID', `config: whatsapp.graphUrl = ${JSON.stringify(c.graphUrl)} is not allowed: expected https://… (e.g. https://graph.facebook.com), or empty for the simulated endpoint`);
  }
  const missing: Array<[string, string]> = [];
  if (!c.phoneNumberId) missing.push(['whatsapp.phoneNumberId', 'the number id in WhatsApp Manager → API setup']);
  if (!c.accessToken) missing.push(['whatsapp.accessToken', 'BEREIK_WHATSAPP_ACCESS_TOKEN or BEREIK_WHATSAPP_ACCESS_TOKEN_FILE']);
  if (!c.appSecret) missing.push(['whatsapp.appSecret', 'BEREIK_WHATSAPP_APP_SECRET or BEREIK_WHATSAPP_APP_SECRET_FILE']);
  if (!c.verifyToken) missing.push(['whatsapp.verifyToken', 'BEREIK_WHATSAPP_VERIFY_TOKEN or BEREIK_WHATSAPP_VERIFY_TOKEN_FILE']);
  if (missing.length) {
    throw new BereikError('CONFIG_INVALID', missing.map(([key, where]) => `config: ${key} is required when whatsapp.graphUrl is set (${where})`).join('\n'));
  }
  return {
    graphUrl: c.graphUrl,
    version: c.version,
    phoneNumberId: c.phoneNumberId,
    accessToken: c.accessToken,
    appSecret: c.appSecret,
    verifyToken: c.verifyToken,
    requestTimeoutMs: c.requestTimeoutMs,
    simulated: false,
  };
}
