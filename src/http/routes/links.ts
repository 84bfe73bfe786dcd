/**
 * The short links in messages, public (a debtor has no token):
 *   GET  /p/<token>  counts the open and redirects (302) to the creditor's pay page;
 *   GET  /u/<token>  a page with one button to stop these messages (mail scanners fetch
 *                    links: a GET never opts anyone out);
 *   POST /u/<token>  opts the address out of that channel: the button, and RFC 8058
 *                    one-click (List-Unsubscribe-Post: List-Unsubscribe=One-Click).
 * An unknown or expired token gets the same plain 404 page: nothing about the debtor, and
 * no way to tell an expired link from one that never existed.
 */
import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../route-module.ts';
import { isoUtc } from '../../lib/clock.ts';

const Token = Type.Object({ token: Type.String({ minLength: 1, maxLength: 64 }) });
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`);
}

const notFound = (reply: FastifyReply) => page(reply, 404, 'Niet gevonden', '<h1>Deze link werkt niet (meer)</h1><p>This link does not work (any more).</p>');

const routes: RouteModule = async (app, { store, clock }) => {
  // RFC 8058's POST is a form body; nothing in it matters beyond its arrival.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => done(null, body));

  app.get('/p/:token', { config: { public: true }, schema: { hide: true, params: Token } }, async (req, reply) => {
    if (!TOKEN.test(req.params.token)) return notFound(reply);
    const link = store.replies.link(req.params.token);
    if (!link || link.kind !== 'pay' || !link.targetUrl) return notFound(reply);
    const opened = store.replies.openLink(link.token, isoUtc(clock.now()));
    if (!opened) return notFound(reply);
    return reply.code(302).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(link.targetUrl, 302);
  });

  app.get('/u/:token', { config: { public: true }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const link = TOKEN.test(req.params.token) ? store.replies.link(req.params.token) : undefined;
    if (!link || link.kind !== 'unsubscribe' || link.expiresAt <= isoUtc(clock.now())) return notFound(reply);
    const what = link.channel === 'email' ? 'e-mails' : 'sms-berichten';
    return page(reply, 200, 'Afmelden', `<h1>Afmelden</h1><p>Wilt u geen ${what} meer over deze vordering ontvangen?</p><form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Afmelden / Unsubscribe</button></form>`);
  });

  app.post('/u/:token', { config: { public: true }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const link = TOKEN.test(req.params.token) ? store.replies.link(req.params.token) : undefined;
    const at = isoUtc(clock.now());
    if (!link || link.kind !== 'unsubscribe' || !link.channel || !link.address || link.expiresAt <= at) return notFound(reply);
    store.replies.optOut(link.channel, link.address, 'unsubscribe_link', at);
    return page(reply, 200, 'Afgemeld', '<h1>U bent afgemeld</h1><p>U ontvangt deze berichten niet meer. You are unsubscribed.</p>');
  });
};

export default routes;
