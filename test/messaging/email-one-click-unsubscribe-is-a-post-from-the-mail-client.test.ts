import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listUnsubscribeHeaders, renderPayLinkEmail } from '../../src/messaging/email/templates.ts';
import { clickOneClickUnsubscribe, linksIn, offersOneClick } from '../../src/sim/mail-client.ts';
import { email, startEmailRig } from '../helpers/email-rig.ts';

test('the received e-mail carries a working one-click unsubscribe and the pay link, as a mail client sees them', async (t) => {
  // A stand-in for Bereik's /u/<token> route: records what the mail client sends.
  const seen: Array<{ method: string; url: string; type: string; body: string }> = [];
  const web = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'] ?? '', body });
      res.end('afgemeld');
    });
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  const rig = await startEmailRig();
  t.after(async () => {
    await rig.close();
    web.close();
  });

  const rendered = renderPayLinkEmail({
    debtorName: 'Jan', creditorName: 'Energie Noord', senderName: 'Incasso Noord', invoiceRefs: ['F-1'], totalCents: 5000,
    payUrl: `${base}/p/Xq3v9KpL2mN8rT4w`, unsubscribeUrl: `${base}/u/Zr8kQ2pW7nB4xY1c`, phone: '020 123 45 67',
  });
  const headers = listUnsubscribeHeaders({ url: `${base}/u/Zr8kQ2pW7nB4xY1c`, mailto: 'unsubscribe@incasso-noord.example' });
  assert.equal((await rig.channel.submit(email('jan@example.nl', { ...rendered, headers }))).ok, true);

  const mail = rig.server.inbox('jan@example.nl')[0]!;
  assert.ok(offersOneClick(mail));
  assert.deepEqual(linksIn(mail, '/p/'), [`${base}/p/Xq3v9KpL2mN8rT4w`]);
  const answer = await clickOneClickUnsubscribe(mail);
  assert.deepEqual(answer, { status: 200, body: 'afgemeld' });
  assert.deepEqual(seen, [{ method: 'POST', url: '/u/Zr8kQ2pW7nB4xY1c', type: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' }]);
});
