import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listUnsubscribeHeaders, renderPayLinkEmail } from '../../src/messaging/email/templates.ts';
import { email, startEmailRig } from '../helpers/email-rig.ts';

test('a pay-link e-mail submitted through the channel arrives with its subject, text, HTML and unsubscribe headers intact', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());
  const rendered = renderPayLinkEmail({
    language: 'nl',
    debtorName: 'Jan de Vries-Öztürk',
    creditorName: 'Energie & Co',
    senderName: 'Incasso Noord',
    invoiceRefs: ['F-2026-001', 'F-2026-017'],
    totalCents: 123456,
    payUrl: 'http://127.0.0.1:3000/p/Xq3v9KpL2mN8rT4w',
    unsubscribeUrl: 'http://127.0.0.1:3000/u/Zr8kQ2pW7nB4xY1c',
    phone: '020 123 45 67',
  });
  const headers = listUnsubscribeHeaders({ url: 'http://127.0.0.1:3000/u/Zr8kQ2pW7nB4xY1c', mailto: 'unsubscribe@incasso-noord.example' });

  const result = await rig.channel.submit(email('jan.devries@example.nl', { messageId: 42, ...rendered, headers }));

  assert.equal(result.ok, true, JSON.stringify(result));
  const inbox = rig.server.inbox('jan.devries@example.nl');
  assert.equal(inbox.length, 1, 'exactly one copy arrives');
  const mail = inbox[0]!;
  assert.equal(mail.subject, 'Betaalverzoek namens Energie & Co');
  assert.equal(mail.text, rendered.text);
  assert.equal(mail.html, rendered.html);
  assert.match(mail.text, /€ 1\.234,56/);
  assert.match(mail.text, /http:\/\/127\.0\.0\.1:3000\/p\/Xq3v9KpL2mN8rT4w/);
  assert.equal(mail.headers['list-unsubscribe'], '<http://127.0.0.1:3000/u/Zr8kQ2pW7nB4xY1c>, <mailto:unsubscribe@incasso-noord.example?subject=unsubscribe>');
  assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  assert.equal(mail.headers.from, 'Incasso Noord <noreply@incasso-noord.example>');
  assert.equal(mail.envelopeFrom, 'bounces@incasso-noord.example', 'bounces go to the bounce address');
  if (result.ok) {
    assert.equal(`<${result.providerId}>`, mail.headers['message-id'], 'the provider id is the Message-ID a bounce report quotes back');
    assert.match(result.providerId, /^bereik\.42\./);
  }
  assert.equal(rig.channel.health().state, 'up');
});

test('an English e-mail keeps its accents and euro sign through quoted-printable', async (t) => {
  const rig = await startEmailRig();
  t.after(() => rig.close());
  const rendered = renderPayLinkEmail({
    language: 'en',
    debtorName: 'Zoë Ångström',
    creditorName: 'Café Noël',
    senderName: 'Incasso Noord',
    invoiceRefs: ['INV-9'],
    totalCents: 99,
    payUrl: 'https://pay.example/p/abc',
    unsubscribeUrl: 'https://pay.example/u/def',
    phone: '+31 20 123 4567',
  });
  const result = await rig.channel.submit(email('zoe@example.com', rendered));
  assert.equal(result.ok, true);
  const mail = rig.server.inbox('ZOE@example.com')[0]!;
  assert.equal(mail.subject, 'Payment request on behalf of Café Noël');
  assert.match(mail.text, /^Dear Zoë Ångström,$/m);
  assert.match(mail.text, /Amount due: €0\.99/);
  assert.equal(mail.html, rendered.html);
});
