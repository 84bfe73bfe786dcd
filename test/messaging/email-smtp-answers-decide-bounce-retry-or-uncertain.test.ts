import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySmtpError, isTransportDown, type SmtpErrorLike } from '../../src/messaging/email/smtp-outcome.ts';

const rcpt550: SmtpErrorLike = { message: "Can't send mail - all recipients were rejected: 550 5.1.1 <a@b.nl>: User unknown", code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <a@b.nl>: User unknown', command: 'RCPT TO' };

// [what happened, error, whole message sent?, kind, code, transport down?]
const cases: Array<[string, SmtpErrorLike, boolean, string, string, boolean]> = [
  ['recipient unknown', rcpt550, false, 'permanent', 'SMTP_550', false],
  ['content refused after DATA', { message: 'Message failed: 554 5.7.1 spam', code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 spam', command: 'DATA' }, true, 'permanent', 'SMTP_554', false],
  ['sender refused', { message: 'Mail command failed: 553 5.7.1 not owned', code: 'EENVELOPE', responseCode: 553, response: '553 5.7.1 not owned', command: 'MAIL FROM' }, false, 'permanent', 'SMTP_553', false],
  ['mailbox full for now', { ...rcpt550, responseCode: 452, response: '452 4.2.2 Mailbox full' }, false, 'retry', 'SMTP_452', false],
  ['greylisted', { ...rcpt550, responseCode: 451, response: '451 4.7.1 Greylisted' }, false, 'retry', 'SMTP_451', false],
  ['service closing', { message: 'Server closed the connection: 421 4.3.2 shutting down', code: 'ECONNECTION', responseCode: 421, response: '421 4.3.2 shutting down', command: 'CONN' }, false, 'retry', 'SMTP_421', true],
  ['greeting refused', { message: 'Invalid greeting: 554 no service', code: 'EPROTOCOL', responseCode: 554, response: '554 no service', command: 'CONN' }, false, 'retry', 'SMTP_554', true],
  ['login refused', { message: 'Invalid login: 535 5.7.8 bad credentials', code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials', command: 'AUTH PLAIN' }, false, 'retry', 'SMTP_535', true],
  ['connection refused', { message: 'connect ECONNREFUSED 127.0.0.1:25', code: 'ESOCKET', command: 'CONN' }, false, 'retry', 'SMTP_ESOCKET', true],
  ['dropped before the last byte', { message: 'Connection closed unexpectedly', code: 'ECONNECTION', command: 'CONN' }, false, 'retry', 'SMTP_ECONNECTION', true],
  ['dropped after the last byte', { message: 'Connection closed unexpectedly', code: 'ECONNECTION', command: 'CONN' }, true, 'uncertain', 'SMTP_NO_ANSWER_AFTER_DATA', true],
  ['no answer in time after the last byte', { message: 'Timeout', code: 'ETIMEDOUT', command: 'CONN' }, true, 'uncertain', 'SMTP_NO_ANSWER_AFTER_DATA', true],
  ['an address nodemailer cannot use', { message: 'Invalid recipient "x"', code: 'EENVELOPE', command: 'API' }, false, 'permanent', 'SMTP_BAD_ADDRESS', false],
  ['larger than the relay allows', { message: 'Message size larger than allowed 1000', code: 'EMESSAGE', command: 'MAIL FROM' }, false, 'permanent', 'SMTP_MESSAGE_REFUSED', false],
];

for (const [what, err, sent, kind, code, down] of cases) {
  test(`${what}: ${kind} ${code}${down ? ', health down' : ''}`, () => {
    const result = classifySmtpError(err, sent);
    assert.deepEqual({ kind: result.kind, code: result.code }, { kind, code });
    assert.equal(isTransportDown(err), down);
  });
}

test('the reason keeps the relay\'s words, not the client\'s preamble', () => {
  assert.equal(classifySmtpError(rcpt550, false).reason, 'RCPT TO: 550 5.1.1 <a@b.nl>: User unknown');
});
