/**
 * The WhatsApp Cloud API webhook (docs/messaging-whatsapp.md), public: Meta has no token of ours.
 *   GET  /webhooks/whatsapp   Meta's subscription check: hub.mode=subscribe and our verify
 *                             token → the hub.challenge echoed as text; else 403.
 *   POST /webhooks/whatsapp   statuses and replies, signed (X-Hub-Signature-256, HMAC-SHA256
 *                             of the raw body with the app secret): 200 once read; 401 when
 *                             the signature is missing or wrong; 400 when the body is not the
 *                             documented shape. A duplicate delivery is harmless (a second
 *                             receipt changes nothing).
 * The JSON parser of this scope keeps the raw bytes: the signature covers them as sent.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../route-module.ts';
import { errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';

const raw = new WeakMap<FastifyRequest, Buffer>();

const routes: RouteModule = async (app, { messaging, log }) => {
  const channel = () => {
    const c = messaging?.channels.whatsapp;
    if (!c) throw new BereikError('WA_DISABLED', 'no WhatsApp channel runs here (no whatsapp section in the config, or messaging is off)');
    return c;
  };
  app.removeContentTypeParser('application/json');
  // The body is read as bytes and parsed by the channel after the signature check: a body
  // that is not JSON is then a 400 (signed) or a 401 (not), never a parser error first.
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (req, body, done) => {
    raw.set(req, body as Buffer);
    done(null, undefined);
  });

  app.get('/webhooks/whatsapp', {
    config: { public: true },
    schema: {
      tags: ['messages'],
      summary: "Meta's webhook verification (WhatsApp Cloud API)",
      querystring: Type.Object({
        'hub.mode': Type.Optional(Type.String({ maxLength: 40 })),
        'hub.verify_token': Type.Optional(Type.String({ maxLength: 500 })),
        'hub.challenge': Type.Optional(Type.String({ maxLength: 500 })),
      }),
      security: [],
      response: { 200: Type.String(), ...errors(403, 503) },
    },
  }, async (req, reply) => {
    const q = req.query;
    const challenge = channel().verifySubscription({ mode: q['hub.mode'], token: q['hub.verify_token'], challenge: q['hub.challenge'] });
    if (challenge === undefined) throw new BereikError('WA_WEBHOOK_VERIFY_FAILED', 'hub.mode must be "subscribe" and hub.verify_token the configured whatsapp.verifyToken (BEREIK_WHATSAPP_VERIFY_TOKEN)');
    log.info({ mod: 'whatsapp' }, 'whatsapp: webhook subscription verified');
    return reply.type('text/plain').send(challenge);
  });

  app.post('/webhooks/whatsapp', {
    config: { public: true },
    schema: {
      tags: ['messages'],
      summary: 'WhatsApp statuses and replies (webhook, signed with the app secret)',
      description: 'Public; authenticated by X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>.',
      security: [],
      response: { 200: Type.Object({ receipts: Type.Integer(), inbound: Type.Integer() }), ...errors(400, 401, 503) },
    },
  }, async (req) => {
    const header = req.headers['x-hub-signature-256'];
    return channel().acceptWebhook(raw.get(req) ?? Buffer.alloc(0), typeof header === 'string' ? header : undefined);
  });
};

export default routes;
