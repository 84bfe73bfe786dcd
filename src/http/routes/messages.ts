/**
 * Messages over the API: send one to a debtor (the pay link, or a text), list them with
 * their status, cancel a queued one, resend one that ended uncertain or failed, measure a
 * text before sending it, per-campaign figures, and the replies inbox.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../route-module.ts';
import { OPERATORS } from '../auth.ts';
import { IdParams, Literals, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { isoUtc } from '../../lib/clock.ts';
import { INBOUND_STATUSES, MESSAGE_STATUSES } from '../../store/types.ts';
import { measure } from '../../messaging/sms/gsm.ts';
import { parseStoredSettings } from '../../campaigns/stored-settings.ts';
import type { ComposeResult, MessageComposer, Origin } from '../../messaging/compose.ts';
import type { MessageRow } from '../../store/messages.ts';
import type { InboundRow } from '../../store/message-replies.ts';
import { recordAccess } from '../audit.ts';

const Channel = Literals(['sms', 'email', 'whatsapp'] as const);
export const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const Message = Type.Object({
  id: Type.Integer(),
  channel: Type.String(),
  source: Type.String(),
  debtorId: Type.Integer(),
  claimId: Nullable(Type.Integer()),
  campaignId: Nullable(Type.Integer()),
  callId: Nullable(Type.String()),
  to: Type.String(),
  sender: Type.String(),
  language: Type.String(),
  subject: Nullable(Type.String()),
  body: Type.String(),
  template: Type.Union([Type.Object({ name: Type.String(), language: Type.String(), params: Type.Array(Type.String()) }, { description: 'WhatsApp: the approved template sent, with its body parameters' }), Type.Null()]),
  parts: Nullable(Type.Integer()),
  status: Literals(MESSAGE_STATUSES),
  providerId: Nullable(Type.String()),
  errorCode: Nullable(Type.String()),
  error: Nullable(Type.String()),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  createdAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  doneAt: Nullable(Type.String()),
});

const Inbound = Type.Object({
  id: Type.Integer(),
  channel: Type.String(),
  from: Type.String(),
  to: Type.String(),
  body: Type.String(),
  debtorId: Nullable(Type.Integer()),
  messageId: Nullable(Type.Integer()),
  intent: Type.String(),
  optionDigit: Nullable(Type.String()),
  status: Literals(INBOUND_STATUSES),
  agentId: Nullable(Type.Integer()),
  receivedAt: Type.String(),
  closedAt: Nullable(Type.String()),
});

export const SendBody = Type.Object(
  {
    channel: Channel,
    kind: Literals(['paylink', 'text'] as const, { description: 'paylink: the tracked pay link in the debtor\'s language (SMS, e-mail, or a WhatsApp template); text: your own words (SMS, or WhatsApp within 24 hours of the debtor\'s last WhatsApp message)' }),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 1600 })),
    claimId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const MeasureBody = Type.Object({ text: Type.String({ maxLength: 10_000 }) }, { additionalProperties: false });
export const Measured = Type.Object({ encoding: Type.String(), units: Type.Integer(), parts: Type.Integer(), perPart: Type.Integer() });

/**
 * A token limited to creditors sends to a debtor who owes them (else 404), about a claim of
 * theirs (another's is a 404); a pay link names that claim, since without one it asks for
 * every open claim of the debtor, other creditors' too.
 */
export function checkSendScope(store: Parameters<RouteModule>[1]['store'], debtorId: number, b: Static<typeof SendBody>, creditors: string[] | null): void {
  if (!creditors) return;
  if (!store.debtorLookup.profile(debtorId, creditors)) throw notFoundFor('debtor', debtorId);
  if (b.claimId !== undefined && !store.payments.claimVisibleTo(b.claimId, creditors)) throw notFoundFor('claim', b.claimId);
  if (b.kind === 'paylink' && b.claimId === undefined) {
    throw new BereikError('MESSAGE_NOT_SENDABLE', 'message: this token is limited to some creditors; name the claimId the pay link is for', { reason: 'CLAIM_REQUIRED' }, 422);
  }
}

/** One message to a debtor as a POST body asks (the pay link, or a text by SMS), queued or refused. */
export function sendTo(composer: MessageComposer, debtorId: number, b: Static<typeof SendBody>, origin: Pick<Origin, 'source' | 'agentId'>): MessageRow {
  if (b.kind === 'text' && (b.channel === 'email' || !b.text)) throw new BereikError('VALIDATION', 'body/text is required for kind "text", and texts go by SMS or WhatsApp (channel "sms" or "whatsapp")', undefined, 400);
  const r = b.kind === 'text'
    ? composer.text({ ...origin, debtorId, text: b.text!, channel: b.channel === 'whatsapp' ? 'whatsapp' : 'sms' })
    : composer.payLink({ ...origin, debtorId, channel: b.channel, ...(b.claimId ? { claimId: b.claimId } : {}) });
  return composed(r);
}

/**
 * A person's answer to a reply: by SMS (or WhatsApp, for a WhatsApp reply) to the number it came from, from the number it was
 * sent to (the debtor may have several; the one that wrote gets the answer, in the same thread).
 */
export function answerReply(composer: MessageComposer, row: InboundRow, text: string, origin: Pick<Origin, 'source' | 'agentId'>): MessageRow {
  if (row.debtorId === null) throw new BereikError('CONFLICT', `reply ${row.id} is from a number no debtor has; it cannot be answered from here`);
  // A WhatsApp reply is answered on WhatsApp (a free text: the debtor's message opened the 24-hour window).
  const channel = row.channel === 'whatsapp' ? 'whatsapp' : 'sms';
  return composed(composer.text({ ...origin, debtorId: row.debtorId, text, to: row.from, replyId: row.id, channel, ...(channel === 'sms' ? { sender: `number:${row.to}` } : {}) }));
}

/** A message that could not be composed: 422 with the reason, nothing queued. */
export function composed(r: ComposeResult): MessageRow {
  if (r.ok) return r.message;
  throw new BereikError('MESSAGE_NOT_SENDABLE', `message: ${r.reason} (${r.code})`, { reason: r.code }, r.code === 'NO_DEBTOR' ? 404 : 422);
}

const routes: RouteModule = async (app, { store, composer, clock, messaging, inboxFeed }) => {
  const now = () => isoUtc(clock.now());
  const poke = () => messaging?.outbox.poke();
  /** A reply changed hands or closed: the agent desktops follow (routes/desktop.ts). */
  const told = (id: number, formerAgentId: number | null) => {
    const row = store.replies.inbound(id)!;
    inboxFeed?.emit('reply', row, formerAgentId);
    return row;
  };

  /** The message named in the URL, or 404 when it does not exist or is not about the token's creditors. */
  const visibleMessage = (req: FastifyRequest<{ Params: { id: number } }>): MessageRow => {
    const m = store.messages.get(req.params.id);
    if (!m || !store.messages.visibleTo(m.id, creditorsOf(req))) throw notFoundFor('message', req.params.id);
    return m;
  };

  app.post('/debtors/:id/messages', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: { tags: ['messages'], summary: 'Send one message to a debtor (queued in the outbox; the rules decide when it goes)', params: IdParams, body: SendBody, response: { 201: Message, ...errors(400, 404, 422) } },
  }, async (req, reply) => {
    checkSendScope(store, req.params.id, req.body, creditorsOf(req));
    const m = sendTo(composer, req.params.id, req.body, { source: 'api' });
    poke();
    return reply.code(201).send(m);
  });

  app.get('/messages', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['messages'],
      summary: 'Messages, newest first, with their status',
      querystring: Type.Object({
        debtorId: Type.Optional(Type.Integer({ minimum: 1 })),
        campaignId: Type.Optional(Type.Integer({ minimum: 1 })),
        status: Type.Optional(Literals(MESSAGE_STATUSES)),
        channel: Type.Optional(Channel),
        beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Message) }), ...errors(400) },
    },
  }, async (req) => {
    const items = store.messages.list({ ...req.query, creditors: creditorsOf(req) });
    if (items.length) recordAccess({ store, clock }, req, 'message_list', items.map((m) => m.debtorId));
    return { items };
  });

  app.get('/messages/:id', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['messages'],
      summary: 'One message, its short links with how often each was opened, and the replies to it',
      params: IdParams,
      response: {
        200: Type.Object({
          message: Message,
          links: Type.Array(Type.Object({ kind: Type.String(), opens: Type.Integer(), firstOpenedAt: Nullable(Type.String()), lastOpenedAt: Nullable(Type.String()), expiresAt: Type.String() })),
          replies: Type.Array(Inbound),
        }),
        ...errors(404),
      },
    },
  }, async (req) => {
    const message = visibleMessage(req);
    recordAccess({ store, clock }, req, 'message_list', [message.debtorId], { messageId: message.id });
    return { message, links: store.replies.linksOf(message.id), replies: store.replies.repliesTo(message.id) };
  });

  app.post('/messages/:id/cancel', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: { tags: ['messages'], summary: 'Cancel a message that is still queued', params: IdParams, response: { 200: Message, ...errors(404, 409) } },
  }, async (req) => {
    const m = visibleMessage(req);
    if (!store.messages.cancel(m.id, 'OPERATOR', 'cancelled by an operator', now())) throw new BereikError('CONFLICT', `message ${m.id} is ${m.status}; only a queued message can be cancelled`);
    return store.messages.get(m.id)!;
  });

  app.post('/messages/:id/resend', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['messages'],
      summary: 'Queue a copy of an uncertain or failed message (an operator decided it did not arrive)',
      params: IdParams,
      response: { 201: Message, ...errors(404, 409) },
    },
  }, async (req, reply) => {
    const m = visibleMessage(req);
    if (m.status !== 'uncertain' && m.status !== 'failed') throw new BereikError('CONFLICT', `message ${m.id} is ${m.status}; only an uncertain or failed message can be sent again`);
    const copy = store.messages.queue(
      { channel: m.channel, source: m.source, debtorId: m.debtorId, claimId: m.claimId, campaignId: m.campaignId, contactId: m.contactId, callId: m.callId, to: m.to, sender: m.sender, language: m.language, subject: m.subject, body: m.body, html: m.html, options: m.options, template: m.template },
      now(),
    );
    poke();
    return reply.code(201).send(copy);
  });

  const Preview = Type.Object({
    channel: Type.String(),
    to: Type.String(),
    sender: Type.String(),
    language: Type.String(),
    subject: Type.Union([Type.String(), Type.Null()]),
    body: Type.String(),
    sms: Type.Optional(Type.Object({ encoding: Type.String(), units: Type.Integer(), parts: Type.Integer(), perPart: Type.Integer() })),
  });
  const previewed = (r: ReturnType<typeof composer.previewPayLink>) => {
    if (r.ok) return r;
    throw new BereikError('MESSAGE_NOT_SENDABLE', `message: ${r.reason} (${r.code})`, { reason: r.code }, r.code === 'NO_DEBTOR' ? 404 : 422);
  };

  app.get('/debtors/:id/messages/preview', {
    config: { roles: OPERATORS, scope: 'all-creditors' },
    schema: {
      tags: ['messages'],
      summary: "The pay-link message this debtor would get, with its length and parts; nothing is queued",
      params: IdParams,
      querystring: Type.Object({ channel: Channel }),
      response: { 200: Preview, ...errors(404, 422) },
    },
  }, async (req) => previewed(composer.previewPayLink({ source: 'api', debtorId: req.params.id, channel: req.query.channel })));

  app.get('/campaigns/:id/messages/preview', {
    config: { roles: OPERATORS, scope: 'all-creditors' },
    schema: {
      tags: ['messages'],
      summary: "A message campaign's text for its first pending debtor, with its length and parts; nothing is queued",
      params: IdParams,
      response: { 200: Preview, ...errors(404, 409, 422) },
    },
  }, async (req) => {
    const c = store.campaigns.get(req.params.id);
    if (!c) throw new BereikError('NOT_FOUND', `campaign ${req.params.id} does not exist`);
    if (c.mode !== 'sms' && c.mode !== 'email') throw new BereikError('CONFLICT', `campaign ${c.id} calls (mode ${c.mode}); only sms and email campaigns send messages`);
    const first = store.dialer.dueContacts(c.id, '9999-12-31T00:00:00.000Z', 1)[0];
    if (!first) throw new BereikError('CONFLICT', `campaign ${c.id} has no pending contact to show a message for`);
    const settings = parseStoredSettings(c.settings);
    const sender = c.mode === 'sms' ? settings.smsSender : settings.emailFrom;
    return previewed(composer.previewPayLink({ source: 'campaign', campaignId: c.id, debtorId: first.debtorId, claimId: first.claimId, channel: c.mode, ...(sender ? { sender } : {}), ...(settings.smsReplyOptions ? { options: settings.smsReplyOptions } : {}) }));
  });

  app.post('/messages/measure', {
    config: { roles: OPERATORS, scope: 'none' },
    schema: {
      tags: ['messages'],
      summary: 'How an SMS text will be sent: encoding, length and parts',
      body: MeasureBody,
      response: { 200: Measured, ...errors(400) },
    },
  }, async (req) => measure(req.body.text));

  app.get('/campaigns/:id/messages/stats', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['messages'],
      summary: "A campaign's messages: sent, delivered, failed, opened, replied, opted out",
      params: IdParams,
      response: { 200: Type.Record(Type.String(), Type.Integer()), ...errors(404) },
    },
  }, async (req) => {
    const creditors = creditorsOf(req);
    if (!store.campaigns.get(req.params.id) || (creditors && !store.contacts.holdsClaimOf(req.params.id, creditors))) throw notFoundFor('campaign', req.params.id);
    return { ...store.messages.campaignStats(req.params.id, creditors) };
  });

  app.get('/inbox', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['messages'],
      summary: 'Replies waiting for a person (free text, requests), or by status',
      querystring: Type.Object({
        status: Type.Optional(Literals([...INBOUND_STATUSES, 'waiting'] as const)),
        debtorId: Type.Optional(Type.Integer({ minimum: 1 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Inbound) }), ...errors(400) },
    },
  }, async (req) => {
    const items = store.replies.inbox({ ...req.query, creditors: creditorsOf(req) });
    if (items.length) recordAccess({ store, clock }, req, 'message_list', items.map((r) => r.debtorId));
    return { items };
  });

  app.post('/inbox/:id/assign', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: { tags: ['messages'], summary: 'Give a reply to an agent', params: IdParams, body: Type.Object({ agentId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), response: { 200: Inbound, ...errors(404, 409) } },
  }, async (req) => {
    if (!store.agents.get(req.body.agentId)) throw new BereikError('NOT_FOUND', `agent ${req.body.agentId} does not exist`);
    const row = inboundOr404(store, req.params.id, creditorsOf(req));
    if (!store.replies.assign(row.id, req.body.agentId)) throw new BereikError('CONFLICT', `reply ${row.id} is ${row.status}`);
    return told(row.id, row.agentId);
  });

  app.post('/inbox/:id/answer', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: {
      tags: ['messages'],
      summary: 'Answer a reply by SMS to the number it came from, and close it',
      params: IdParams,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 1600 }) }, { additionalProperties: false }),
      response: { 201: Message, ...errors(404, 409, 422) },
    },
  }, async (req, reply) => {
    const row = inboundOr404(store, req.params.id, creditorsOf(req));
    const m = answerReply(composer, row, req.body.text, { source: 'api' });
    store.replies.close(row.id, now());
    told(row.id, row.agentId);
    poke();
    return reply.code(201).send(m);
  });

  app.post('/inbox/:id/close', {
    config: { roles: OPERATORS, scope: 'creditor' },
    schema: { tags: ['messages'], summary: 'Close a reply (handled elsewhere)', params: IdParams, response: { 200: Inbound, ...errors(404, 409) } },
  }, async (req) => {
    const row = inboundOr404(store, req.params.id, creditorsOf(req));
    if (!store.replies.close(row.id, now())) throw new BereikError('CONFLICT', `reply ${row.id} is ${row.status}`);
    return told(row.id, row.agentId);
  });
};

/** The reply, or 404 when it does not exist or is not about the token's creditors. */
function inboundOr404(store: Parameters<RouteModule>[1]['store'], id: number, creditors: string[] | null) {
  const row = store.replies.inbound(id);
  if (!row || !store.replies.visibleTo(row.id, creditors)) throw notFoundFor('reply', id);
  return row;
}

export default routes;
