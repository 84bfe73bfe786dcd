/**
 * The pay-link e-mail, in Dutch (default) and English: subject, plain text and HTML, and the
 * List-Unsubscribe headers (RFC 8058 one-click). Pure: values in, strings out.
 *
 * What the debtor must be able to read in it, in this order (plain language, DESIGN.md):
 * who writes on whose behalf, which invoices, how much in total, how to pay (the tracked
 * link), what to do if already paid (reply or call), and how to stop these e-mails.
 * The amount stays out of the subject: a subject line shows on lock screens.
 *
 * Every value is HTML-escaped in the HTML part (a name like `<script>` arrives as text);
 * links must be http(s) so that a value cannot become a javascript: link.
 */

export type EmailLanguage = 'nl' | 'en';

export interface PayLinkEmailInput {
  language?: EmailLanguage;
  debtorName: string;
  creditorName: string;
  /** Who sends it (the agency), for the signature. */
  senderName: string;
  invoiceRefs: readonly string[];
  /** Total of the open claims, integer cents. */
  totalCents: number;
  /** The tracked short link ({publicUrl}/p/<token>). */
  payUrl: string;
  /** The one-click opt-out link ({publicUrl}/u/<token>). */
  unsubscribeUrl: string;
  /** The number to call, as it should be shown (e.g. 020 123 45 67). */
  phone: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** More invoice numbers than this are summarised ("en 7 andere"): the e-mail stays readable. */
const MAX_REFS_SHOWN = 10;

/** 123456 → "€ 1.234,56" (nl) / "€1,234.56" (en). Integer cents only: money is never a float here. */
export function formatEuros(cents: number, language: EmailLanguage = 'nl'): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`formatEuros: amount must be whole cents, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100).toString();
  const rest = (abs % 100).toString().padStart(2, '0');
  const group = language === 'nl' ? '.' : ',';
  const grouped = euros.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return language === 'nl' ? `${sign}€ ${grouped},${rest}` : `${sign}€${grouped}.${rest}`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function checkedUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`pay-link e-mail: ${field} is not a URL: ${JSON.stringify(value.slice(0, 100))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`pay-link e-mail: ${field} must be an http(s) link, got ${url.protocol}`);
  return url.href;
}

interface Words {
  subject: (creditor: string) => string;
  greeting: (name: string) => string;
  intro: (creditor: string, refs: string, count: number) => string;
  more: (n: number) => string;
  total: string;
  payLead: string;
  button: string;
  paidAlready: (phone: string) => string;
  cannotPay: string;
  closing: string;
  onBehalf: (creditor: string) => string;
  unsubscribe: string;
  unsubscribeLink: string;
}

const WORDS: Record<EmailLanguage, Words> = {
  nl: {
    subject: (c) => `Betaalverzoek namens ${c}`,
    greeting: (n) => `Beste ${n},`,
    intro: (c, refs, count) => `Wij schrijven u namens ${c}. ${count === 1 ? 'Factuur' : 'De facturen'} ${refs} ${count === 1 ? 'is' : 'zijn'} nog niet betaald.`,
    more: (n) => `en ${n} andere`,
    total: 'Openstaand bedrag',
    payLead: 'U kunt dit bedrag online betalen via deze link:',
    button: 'Nu betalen',
    paidAlready: (p) => `Heeft u al betaald? Beantwoord dan deze e-mail of bel ons op ${p}.`,
    cannotPay: 'Kunt u niet in één keer betalen? Bel ons, dan zoeken we samen een oplossing.',
    closing: 'Met vriendelijke groet,',
    onBehalf: (c) => `namens ${c}`,
    unsubscribe: 'Wilt u deze e-mails niet meer ontvangen? Meld u hier af:',
    unsubscribeLink: 'Afmelden',
  },
  en: {
    subject: (c) => `Payment request on behalf of ${c}`,
    greeting: (n) => `Dear ${n},`,
    intro: (c, refs, count) => `We are writing to you on behalf of ${c}. ${count === 1 ? 'Invoice' : 'Invoices'} ${refs} ${count === 1 ? 'has' : 'have'} not been paid yet.`,
    more: (n) => `and ${n} more`,
    total: 'Amount due',
    payLead: 'You can pay this amount online with this link:',
    button: 'Pay now',
    paidAlready: (p) => `Already paid? Please reply to this e-mail or call us on ${p}.`,
    cannotPay: 'Cannot pay it all at once? Call us and we will find a solution together.',
    closing: 'Kind regards,',
    onBehalf: (c) => `on behalf of ${c}`,
    unsubscribe: 'No longer want these e-mails? Unsubscribe here:',
    unsubscribeLink: 'Unsubscribe',
  },
};

function refList(refs: readonly string[], w: Words, language: EmailLanguage): string {
  const shown = refs.slice(0, MAX_REFS_SHOWN);
  const and = language === 'nl' ? 'en' : 'and';
  if (refs.length > MAX_REFS_SHOWN) return `${shown.join(', ')} ${w.more(refs.length - MAX_REFS_SHOWN)}`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${and} ${shown[shown.length - 1]}`;
}

export function renderPayLinkEmail(input: PayLinkEmailInput): RenderedEmail {
  const language = input.language ?? 'nl';
  const w = WORDS[language];
  if (input.invoiceRefs.length === 0) throw new TypeError('pay-link e-mail: invoiceRefs is empty: name at least one invoice');
  if (!Number.isSafeInteger(input.totalCents) || input.totalCents <= 0) throw new RangeError(`pay-link e-mail: totalCents must be a positive whole number of cents, got ${input.totalCents}`);
  const payUrl = checkedUrl(input.payUrl, 'payUrl');
  const unsubscribeUrl = checkedUrl(input.unsubscribeUrl, 'unsubscribeUrl');
  const amount = formatEuros(input.totalCents, language);
  const refs = refList(input.invoiceRefs, w, language);
  const count = input.invoiceRefs.length;
  const subject = w.subject(input.creditorName);

  const text = [
    w.greeting(input.debtorName),
    '',
    w.intro(input.creditorName, refs, count),
    `${w.total}: ${amount}`,
    '',
    w.payLead,
    payUrl,
    '',
    w.paidAlready(input.phone),
    w.cannotPay,
    '',
    w.closing,
    input.senderName,
    w.onBehalf(input.creditorName),
    '',
    '--',
    w.unsubscribe,
    unsubscribeUrl,
    '',
  ].join('\n');

  const e = escapeHtml;
  const p = 'margin:0 0 16px 0;';
  const html = `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f4;">
<div style="max-width:600px;margin:0 auto;padding:24px;background-color:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;">
<p style="${p}">${e(w.greeting(input.debtorName))}</p>
<p style="${p}">${e(w.intro(input.creditorName, refs, count))}</p>
<p style="${p}font-size:18px;"><strong>${e(w.total)}: ${e(amount).replace(' ', '&nbsp;')}</strong></p>
<p style="${p}">${e(w.payLead)}</p>
<p style="${p}"><a href="${e(payUrl)}" style="display:inline-block;padding:12px 24px;background-color:#0b5cab;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">${e(w.button)}</a></p>
<p style="${p}font-size:14px;word-break:break-all;"><a href="${e(payUrl)}" style="color:#0b5cab;">${e(payUrl)}</a></p>
<p style="${p}">${e(w.paidAlready(input.phone))}<br>${e(w.cannotPay)}</p>
<p style="${p}">${e(w.closing)}<br>${e(input.senderName)}<br>${e(w.onBehalf(input.creditorName))}</p>
<hr style="border:none;border-top:1px solid #dddddd;margin:24px 0 16px 0;">
<p style="margin:0;font-size:13px;color:#555555;">${e(w.unsubscribe)} <a href="${e(unsubscribeUrl)}" style="color:#555555;">${e(w.unsubscribeLink)}</a></p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}

/**
 * RFC 2369 List-Unsubscribe with RFC 8058 one-click: a mail client offers "unsubscribe" and
 * POSTs `List-Unsubscribe=One-Click` to the URL; the mailto is for clients that only mail.
 */
export function listUnsubscribeHeaders(opts: { url: string; mailto?: string }): Record<string, string> {
  const url = checkedUrl(opts.url, 'unsubscribe url');
  if (/[\s<>,]/.test(url)) throw new TypeError(`List-Unsubscribe: the URL must not contain spaces, <, > or commas: ${JSON.stringify(url)}`);
  const targets = [`<${url}>`];
  if (opts.mailto) {
    if (!/^[^@\s<>,?]+@[^@\s<>,?]+$/.test(opts.mailto)) throw new TypeError(`List-Unsubscribe: mailto is not an address: ${JSON.stringify(opts.mailto)}`);
    targets.push(`<mailto:${opts.mailto}?subject=unsubscribe>`);
  }
  return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
