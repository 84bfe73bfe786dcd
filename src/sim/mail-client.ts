/**
 * What a debtor's mail client does with a received e-mail, for end-to-end tests: find the
 * pay link, and press "unsubscribe" the way Gmail and Outlook do for RFC 8058 one-click
 * (a POST with body `List-Unsubscribe=One-Click` to the https URL in List-Unsubscribe, no
 * cookies, no redirects followed).
 */
import type { ReceivedMail } from './mail-server.ts';

/** The http(s) URL in List-Unsubscribe (the mailto is for clients that only mail). */
export function unsubscribeUrl(mail: ReceivedMail): string | undefined {
  const value = mail.headers['list-unsubscribe'] ?? '';
  for (const m of value.matchAll(/<([^>]+)>/g)) if (/^https?:\/\//i.test(m[1]!)) return m[1];
  return undefined;
}

/** Whether the mail offers one-click: both headers, as RFC 8058 §3.1 requires. */
export function offersOneClick(mail: ReceivedMail): boolean {
  return unsubscribeUrl(mail) !== undefined && mail.headers['list-unsubscribe-post'] === 'List-Unsubscribe=One-Click';
}

export async function clickOneClickUnsubscribe(mail: ReceivedMail): Promise<{ status: number; body: string }> {
  const url = unsubscribeUrl(mail);
  if (!url || !offersOneClick(mail)) throw new Error(`the mail to ${mail.to} offers no one-click unsubscribe (List-Unsubscribe: ${mail.headers['list-unsubscribe'] ?? 'absent'})`);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
    redirect: 'manual',
  });
  return { status: res.status, body: await res.text() };
}

/** The links in the plain-text part whose path starts with `pathPrefix` (e.g. '/p/' for pay links). */
export function linksIn(mail: ReceivedMail, pathPrefix: string): string[] {
  return [...mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]).filter((u) => new URL(u).pathname.startsWith(pathPrefix));
}
