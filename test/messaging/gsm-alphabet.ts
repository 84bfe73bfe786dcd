/**
 * GSM 03.38 for tests: which characters a 7-bit SMS can carry, and how many septets a
 * text takes (extension-table characters such as € take two). A deliberately small copy
 * for checking texts; the channel's own encoder (src/messaging/sms/gsm.ts) is the one
 * that sends.
 */
export const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
export const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

/** The characters of text that GSM 7-bit cannot carry (empty: the text is GSM-7). */
export function nonGsmChars(text: string): string[] {
  return [...new Set([...text].filter((c) => !BASIC.has(c) && !EXTENSION.has(c)))];
}

export function septets(text: string): number {
  let n = 0;
  for (const c of text) n += EXTENSION.has(c) ? 2 : 1;
  return n;
}
