/**
 * Messages from the agent desktop: the replies inbox (take, answer by SMS, close) and
 * sending the pay link or a text to a debtor whose call was put through to this agent.
 * The operator routes (routes/messages.ts) do the same for anyone; here every route acts
 * only on what the agent may see (MessageReplyStore.agentMaySee, AgentStore.hadDebtor), and
 * anything else answers 404 as if it did not exist.
 */
import { Type } from '@sinclair/typebox';
import type { ApiInstance } from '../route-module.ts';
import type { AppDeps } from '../app-deps.ts';
import { AGENT_ONLY, agentOf } from '../auth.ts';
import { creditorsOf, notFoundFor } from '../scope.ts';
import { IdParams, Literals, errors } from '../schemas.ts';
import { BereikError } from '../../lib/errors.ts';
import { isoUtc } from '../../lib/clock.ts';
import { INBOUND_STATUSES, MESSAGE_STATUSES } from '../../store/types.ts';
import { measure } from '../../messaging/sms/gsm.ts';
import { deskMessage, inboxItem } from '../../agents/desk-inbox.ts';
import type { InboundRow } from '../../store/message-replies.ts';
import { MeasureBody, Measured, Nullable, SendBody, answerReply, checkSendScope, sendTo } from './messages.ts';

const InboxItem = Type.Object({
  id: Type.Integer(),
  channel: Type.String(),
  from: Type.String({ description: 'masked: the desktop answers by reply id' }),
  debtorId: Nullable(Type.Integer()),
  debtorName: Nullable(Type.String()),
  body: Type.String(),
  intent: Type.String(),
  status: Literals(INBOUND_STATUSES),
  agentId: Nullable(Type.Integer()),
  receivedAt: Type.String(),
});

const DeskMessage = Type.Object({
  id: Type.Integer(),
  channel: Type.String(),
  source: Type.String(),
  debtorId: Type.Integer(),
  agentId: Nullable(Type.Integer()),
  replyId: Nullable(Type.Integer()),
  to: Type.String({ description: 'masked' }),
  body: Type.String({ description: 'the SMS text, or the subject of an e-mail' }),
  parts: Nullable(Type.Integer()),
  status: Literals(MESSAGE_STATUSES),
  errorCode: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdAt: Type.String(),
  doneAt: Nullable(Type.String()),
});

/** Registered by routes/desktop.ts beside the desktop socket. */
export default async function agentMessageRoutes(app: ApiInstance, deps: AppDeps): Promise<void> {
  const { store, composer, clock } = deps;
  const poke = () => deps.messaging?.outbox.poke();
  /** The other desktops follow (their badge, their list). */
  const changed = (id: number, former?: number | null): InboundRow => {
    const row = store.replies.inbound(id)!;
    deps.inboxFeed?.emit('reply', row, former);
    return row;
  };

  /** A reply this agent may act on (about their creditors, when limited), or 404 whether it exists or not. */
  const replyOf = (agentId: number, id: number, creditors: string[] | null) => {
    const row = store.replies.agentMaySee(id, agentId, creditors) ? store.replies.inbound(id) : undefined;
    if (!row) throw notFoundFor('reply', id);
    return row;
  };
  /** A debtor put through to this agent (who owes their creditors, when limited), or 404. */
  const debtorOf = (agentId: number, id: number, creditors: string[] | null) => {
    if (!store.agents.hadDebtor(agentId, id) || (creditors && !store.debtorLookup.profile(id, creditors))) throw notFoundFor('debtor', id);
    return id;
  };

  app.get('/agent/inbox', {
    config: AGENT_ONLY,
    schema: {
      tags: ['agent'],
      summary: 'Replies waiting for me: given to me, or open ones from debtors put through to me',
      response: { 200: Type.Object({ count: Type.Integer(), items: Type.Array(InboxItem) }), ...errors() },
    },
  }, async (req) => {
    const agentId = agentOf(req);
    const creditors = creditorsOf(req);
    const items = store.replies.agentInbox(agentId, 200, creditors).map((r) => inboxItem(store, r));
    return { count: store.replies.agentInboxCount(agentId, creditors), items };
  });

  app.post('/agent/inbox/:id/take', {
    config: AGENT_ONLY,
    schema: { tags: ['agent'], summary: 'Take a reply (it leaves the other agents’ inboxes)', params: IdParams, response: { 200: InboxItem, ...errors(404, 409) } },
  }, async (req) => {
    const agentId = agentOf(req);
    const row = replyOf(agentId, req.params.id, creditorsOf(req));
    if (!store.replies.take(row.id, agentId)) throw new BereikError('CONFLICT', `reply ${row.id} is ${row.status}`);
    return inboxItem(store, changed(row.id));
  });

  app.post('/agent/inbox/:id/answer', {
    config: AGENT_ONLY,
    schema: {
      tags: ['agent'],
      summary: 'Answer a reply by SMS (to the number it came from, from the number it was sent to), and close it',
      params: IdParams,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 1600 }) }, { additionalProperties: false }),
      response: { 201: DeskMessage, ...errors(400, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const agentId = agentOf(req);
    const row = replyOf(agentId, req.params.id, creditorsOf(req));
    if (row.status !== 'open' && row.status !== 'assigned') throw new BereikError('CONFLICT', `reply ${row.id} is ${row.status}`);
    const m = answerReply(composer, row, req.body.text, { source: 'desktop', agentId });
    // Answered is done: it is this agent's, and closed.
    store.replies.take(row.id, agentId);
    store.replies.close(row.id, isoUtc(clock.now()));
    changed(row.id, agentId);
    poke();
    return reply.code(201).send(deskMessage(m));
  });

  app.post('/agent/inbox/:id/close', {
    config: AGENT_ONLY,
    schema: { tags: ['agent'], summary: 'Close a reply (handled otherwise, or nothing to answer)', params: IdParams, response: { 200: InboxItem, ...errors(404, 409) } },
  }, async (req) => {
    const agentId = agentOf(req);
    const row = replyOf(agentId, req.params.id, creditorsOf(req));
    // Whoever closes it holds it, so the closed reply says who dealt with it.
    if (!store.replies.take(row.id, agentId) || !store.replies.close(row.id, isoUtc(clock.now()))) throw new BereikError('CONFLICT', `reply ${row.id} is ${row.status}`);
    return inboxItem(store, changed(row.id, agentId));
  });

  app.get('/agent/debtors/:id/messages', {
    config: AGENT_ONLY,
    schema: {
      tags: ['agent'],
      summary: 'Messages sent to a debtor put through to me, newest first, with their status',
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(DeskMessage) }), ...errors(404) },
    },
  }, async (req) => {
    const creditors = creditorsOf(req);
    const debtorId = debtorOf(agentOf(req), req.params.id, creditors);
    return { items: store.messages.list({ debtorId, limit: 50, creditors }).map(deskMessage) };
  });

  app.post('/agent/debtors/:id/messages', {
    config: AGENT_ONLY,
    schema: {
      tags: ['agent'],
      summary: 'Send the pay link (SMS or e-mail) or a text (SMS) to a debtor put through to me',
      params: IdParams,
      body: SendBody,
      response: { 201: DeskMessage, ...errors(400, 404, 422) },
    },
  }, async (req, reply) => {
    const agentId = agentOf(req);
    const creditors = creditorsOf(req);
    const debtorId = debtorOf(agentId, req.params.id, creditors);
    checkSendScope(store, debtorId, req.body, creditors);
    const m = sendTo(composer, debtorId, req.body, { source: 'desktop', agentId });
    poke();
    return reply.code(201).send(deskMessage(m));
  });

  app.post('/agent/messages/measure', {
    config: AGENT_ONLY,
    schema: { tags: ['agent'], summary: 'How an SMS text will be sent: encoding, length and parts', body: MeasureBody, response: { 200: Measured, ...errors(400) } },
  }, async (req) => measure(req.body.text));
}
