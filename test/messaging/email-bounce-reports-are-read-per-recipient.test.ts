import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBounce, type BounceReport } from '../../src/messaging/email/inbound-bounce.ts';

const crlf = (lines: string[]) => lines.join('\r\n');

/** Postfix, the relay most agencies run: original attached as message/rfc822. */
const postfix = crlf([
  'From: MAILER-DAEMON@mx.incasso-noord.example (Mail Delivery System)',
  'Subject: Undelivered Mail Returned to Sender',
  'To: bounces@incasso-noord.example',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status;',
  '\tboundary="3F1A2C0123.1733480000/mx.incasso-noord.example"',
  '',
  '--3F1A2C0123.1733480000/mx.incasso-noord.example',
  'Content-Description: Notification',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'This is the mail system at host mx.incasso-noord.example.',
  "I'm sorry to have to inform you that your message could not",
  'be delivered to one or more recipients.',
  '',
  '--3F1A2C0123.1733480000/mx.incasso-noord.example',
  'Content-Description: Delivery report',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.incasso-noord.example',
  'X-Postfix-Queue-ID: 3F1A2C0123',
  'X-Postfix-Sender: rfc822; bounces@incasso-noord.example',
  'Arrival-Date: Sun,  6 Dec 2026 10:14:58 +0100 (CET)',
  '',
  'Final-Recipient: rfc822; jan.jansen@example.nl',
  'Original-Recipient: rfc822;jan.jansen@example.nl',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mx1.example.nl',
  'Diagnostic-Code: smtp; 550 5.1.1 <jan.jansen@example.nl>: Recipient address',
  '    rejected: User unknown in virtual mailbox table',
  '',
  '--3F1A2C0123.1733480000/mx.incasso-noord.example',
  'Content-Description: Undelivered Message',
  'Content-Type: message/rfc822',
  '',
  'From: Incasso Noord <noreply@incasso-noord.example>',
  'To: jan.jansen@example.nl',
  'Subject: Betaalverzoek namens Energie Noord',
  'Message-ID: <bereik.42.a1b2c3d4e5f6@incasso-noord.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Beste Jan,',
  '',
  '--3F1A2C0123.1733480000/mx.incasso-noord.example--',
  '',
]);

/** Microsoft 365 style: only the headers come back (text/rfc822-headers), folded Message-ID line. */
const headersOnly = crlf([
  'From: postmaster@outlook.example',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/html; charset=us-ascii',
  '',
  '<p>Delivery has failed to these recipients or groups</p>',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.outlook.example',
  'Received-From-MTA: dns;smtp.incasso-noord.example',
  '',
  'Final-Recipient: rfc822;Piet@Bedrijf.example',
  'Action: failed',
  'Status: 5.2.2',
  'Diagnostic-Code: smtp;552 5.2.2 Mailbox full',
  '',
  '--b1',
  'Content-Type: text/rfc822-headers',
  '',
  'From: Incasso Noord <noreply@incasso-noord.example>',
  'Message-ID:',
  ' <bereik.7.0011223344ff@incasso-noord.example>',
  'Subject: Payment request',
  '--b1--',
]);

/** A relay still trying: a delay, not a bounce. Delivery status base64-encoded, two recipients. */
const delayedStatus = Buffer.from(crlf([
  'Reporting-MTA: dns; relay.example',
  '',
  'Final-Recipient: rfc822; a@slow.example',
  'Action: delayed',
  'Status: 4.4.1',
  'Diagnostic-Code: smtp; 451 4.4.1 Connection timed out',
  'Will-Retry-Until: Tue, 8 Dec 2026 10:00:00 +0100',
  '',
  'Final-Recipient: rfc822; b@gone.example',
  'Action: failed',
  'Status: 5.4.4',
  '',
])).toString('base64');
const delayed = crlf([
  'Content-Type: multipart/report; report-type=delivery-status; boundary=zz',
  '',
  '--zz',
  'Content-Type: text/plain',
  '',
  'Delayed.',
  '--zz',
  'Content-Type: message/delivery-status',
  'Content-Transfer-Encoding: base64',
  '',
  delayedStatus.slice(0, 60),
  delayedStatus.slice(60),
  '--zz--',
]);

/** RFC 6533 (UTF-8 address), original left out. */
const global = crlf([
  'Content-Type: multipart/report; report-type=global-delivery-status; boundary=g',
  '',
  '--g',
  'Content-Type: message/global-delivery-status',
  '',
  'Reporting-MTA: dns; mx.example',
  '',
  'Final-Recipient: utf-8; zoë@voorbeeld.example',
  'Action: failed',
  'Status: 5.1.10',
  '',
  '--g--',
]);

/** A debtor's reply: not a DSN. */
const reply = crlf([
  'From: Jan <jan.jansen@example.nl>',
  'Subject: Re: Betaalverzoek namens Energie Noord',
  'In-Reply-To: <bereik.42.a1b2c3d4e5f6@incasso-noord.example>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Ik heb al betaald, Status: 5.1.1',
]);

const cases: Array<[string, string, Array<Partial<BounceReport>>]> = [
  ['a Postfix bounce with the original attached', postfix, [{
    originalMessageId: 'bereik.42.a1b2c3d4e5f6@incasso-noord.example', recipient: 'jan.jansen@example.nl', action: 'failed', status: '5.1.1', permanent: true,
    diagnostic: '550 5.1.1 <jan.jansen@example.nl>: Recipient address rejected: User unknown in virtual mailbox table', reportingMta: 'mx.incasso-noord.example',
  }]],
  ['an Outlook-style bounce with only the original headers', headersOnly, [{
    originalMessageId: 'bereik.7.0011223344ff@incasso-noord.example', recipient: 'Piet@Bedrijf.example', status: '5.2.2', permanent: true, diagnostic: '552 5.2.2 Mailbox full',
  }]],
  ['a base64 report with a delay and a failure', delayed, [
    { recipient: 'a@slow.example', action: 'delayed', status: '4.4.1', permanent: false, diagnostic: '451 4.4.1 Connection timed out', originalMessageId: undefined },
    { recipient: 'b@gone.example', action: 'failed', status: '5.4.4', permanent: true, diagnostic: undefined },
  ]],
  ['a UTF-8 (RFC 6533) report without the original', global, [{ recipient: 'zoë@voorbeeld.example', status: '5.1.10', permanent: true, originalMessageId: undefined }]],
  ['a debtor\'s reply, which is not a bounce', reply, []],
];

for (const [what, raw, expected] of cases) {
  test(`bounce report: ${what}`, () => {
    const reports = parseBounce(raw);
    assert.equal(reports.length, expected.length, JSON.stringify(reports));
    expected.forEach((want, i) => {
      const got = reports[i]!;
      for (const [key, value] of Object.entries(want)) assert.deepEqual(got[key as keyof BounceReport], value, `${key} of report ${i}`);
    });
  });
}

test('bounce report read from bytes: the same as from text', () => {
  assert.deepEqual(parseBounce(Buffer.from(postfix, 'utf8')), parseBounce(postfix));
});
