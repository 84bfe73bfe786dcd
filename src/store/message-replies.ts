/**
 * What debtors send back and what they ask for: inbound messages (the agents' inbox),
 * opt-outs per channel and address, tracked short links (pay, unsubscribe), and the
 * effects a reply has on claims, contacts and phones.
 *
 * Opt-outs live in their own table keyed by channel and address, not on the debtor row:
 * an import that re-creates or updates the debtor cannot undo them.
 */
import { statement, type Db } from './db.ts';
import { appendEvent } from './events.ts';
import { messageInScope } from './messages.ts';
import { creditorsParam } from './scope-sql.ts';
import type { InboundStatus, MessageChannelName, ReplyIntent } from './types.ts';

export interface NewInbound {
  channel: MessageChannelName;
  from: string;
  to: string;
  body: string;
  debtorId: number | null;
  messageId: number | null;
  intent: ReplyIntent;
  optionDigit?: string | null;
  /** open: a person must read it (free text, requests); handled: answered automatically. */
  status: 'open' | 'handled';
}

export interface InboundRow extends Omit<NewInbound, 'optionDigit' | 'status'> {
  id: number;
  optionDigit: string | null;
  status: InboundStatus;
  agentId: number | null;
  receivedAt: string;
  closedAt: string | null;
}

export interface NewLink {
  token: string;
  kind: 'pay' | 'unsubscribe';
  messageId: number | null;
  debtorId: number;
  claimId?: number | null;
  channel?: MessageChannelName | null;
  address?: string | null;
  targetUrl?: string | null;
  expiresAt: string;
}

export interface LinkRow {
  token: string;
  kind: 'pay' | 'unsubscribe';
  messageId: number | null;
  debtorId: number;
  claimId: number | null;
  channel: MessageChannelName | null;
  address: string | null;
  targetUrl: string | null;
  createdAt: string;
  expiresAt: string;
  opens: number;
  firstOpenedAt: string | null;
  lastOpenedAt: string | null;
}

const INBOUND_COLUMNS = `id, channel, from_addr AS "from", to_addr AS "to", body, debtor_id AS debtorId, message_id AS messageId, intent,
  option_digit AS optionDigit, status, agent_id AS agentId, received_at AS receivedAt, closed_at AS closedAt`;
const LINK_COLUMNS = `token, kind, message_id AS messageId, debtor_id AS debtorId, claim_id AS claimId, channel, address,
  target_url AS targetUrl, created_at AS createdAt, expires_at AS expiresAt, opens, first_opened_at AS firstOpenedAt, last_opened_at AS lastOpenedAt`;

const INSERT_INBOUND = `INSERT INTO inbound_messages (channel, from_addr, to_addr, body, debtor_id, message_id, intent, option_digit, status, received_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const LAST_INBOUND = `SELECT max(received_at) AS at FROM inbound_messages WHERE channel = ? AND from_addr = ?`;
const GET_INBOUND = `SELECT ${INBOUND_COLUMNS} FROM inbound_messages WHERE id = ?`;
const REPLIES_TO = `SELECT ${INBOUND_COLUMNS} FROM inbound_messages WHERE message_id = ? ORDER BY id`;
const LINKS_OF = `SELECT kind, opens, first_opened_at AS firstOpenedAt, last_opened_at AS lastOpenedAt, expires_at AS expiresAt
  FROM message_links WHERE message_id = ? ORDER BY kind`;
const ASSIGN = `UPDATE inbound_messages SET status = 'assigned', agent_id = ? WHERE id = ? AND status IN ('open', 'assigned')`;
/**
 * What an agent may see of the inbox: replies given to them, and open (unassigned) ones
 * from debtors whose call was put through to them (the agent leg in calls, as hadDebtor).
 */
const AGENT_MAY_SEE = `(agent_id = :agent OR (status = 'open' AND debtor_id IN (SELECT debtor_id FROM calls WHERE agent_id = :agent AND direction = 'agent')))`;
/** Taking is conditional, so two agents pressing "take" at once cannot both have it. */
const TAKE = `UPDATE inbound_messages SET status = 'assigned', agent_id = ? WHERE id = ? AND (status = 'open' OR (status = 'assigned' AND agent_id = ?))`;
const CLOSE = `UPDATE inbound_messages SET status = 'closed', closed_at = ? WHERE id = ? AND status IN ('open', 'assigned')`;
const OPT_OUT = `INSERT INTO opt_outs (channel, address, source, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const IS_OPTED_OUT = `SELECT 1 AS yes FROM opt_outs WHERE channel = ? AND address = ?`;
const CANCEL_QUEUED_TO = `UPDATE messages SET status = 'cancelled', error_code = 'OPTED_OUT', error = 'the recipient opted out of this channel',
  done_at = ?, updated_at = ? WHERE channel = ? AND to_addr = ? AND status = 'queued'`;
const INSERT_LINK = `INSERT INTO message_links (token, kind, message_id, debtor_id, claim_id, channel, address, target_url, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const GET_LINK = `SELECT ${LINK_COLUMNS} FROM message_links WHERE token = ?`;
const OPEN_LINK = `UPDATE message_links SET opens = opens + 1, first_opened_at = coalesce(first_opened_at, ?), last_opened_at = ?
  WHERE token = ? AND expires_at > ?`;
const REVIEW_CLAIMS = `UPDATE claims SET review_reason = ?, review_at = ?, updated_at = ?
  WHERE debtor_id = ? AND status IN ('open', 'promised', 'arranged') AND review_at IS NULL`;
const PAUSE_CONTACTS = `UPDATE contacts SET paused_reason = ?, updated_at = ? WHERE debtor_id = ? AND status = 'pending' AND paused_reason IS NULL`;
const RESUME_CONTACTS = `UPDATE contacts SET paused_reason = NULL, updated_at = ? WHERE debtor_id = ? AND paused_reason IS NOT NULL`;
const CLEAR_REVIEW = `UPDATE claims SET review_reason = NULL, review_at = NULL, updated_at = ? WHERE debtor_id = ? AND review_at IS NOT NULL`;
const CALLBACK = `INSERT INTO callback_requests (debtor_id, claim_id, call_id, reason, status, created_at) VALUES (?, ?, NULL, ?, 'open', ?)`;
const SMS_DEAD = `UPDATE phones SET sms_undeliverable_at = ?, status = CASE WHEN status = 'dead' THEN 'invalid' ELSE status END, updated_at = ?
  WHERE e164 = ?`;

/**
 * A reply a token limited to :creditors may see: from a debtor who owes one of them (a
 * reply from an unknown number belongs to nobody), answering no message or one of theirs
 * (messageInScope). :creditors NULL: every reply.
 */
const REPLY_IN_SCOPE = `(:creditors IS NULL OR (
    EXISTS (SELECT 1 FROM claims s WHERE s.debtor_id = inbound_messages.debtor_id AND s.creditor IN (SELECT value FROM json_each(:creditors)))
    AND (inbound_messages.message_id IS NULL OR EXISTS (SELECT 1 FROM messages m WHERE m.id = inbound_messages.message_id AND ${messageInScope('m')}))))`;

// An agent limited to creditors (src/http/scope.ts) sees, of what AGENT_MAY_SEE gives, the replies REPLY_IN_SCOPE lets them.
const AGENT_INBOX = `SELECT ${INBOUND_COLUMNS} FROM inbound_messages WHERE status IN ('open', 'assigned') AND ${AGENT_MAY_SEE} AND ${REPLY_IN_SCOPE} ORDER BY id DESC LIMIT :limit`;
const AGENT_INBOX_COUNT = `SELECT COUNT(*) AS n FROM inbound_messages WHERE status IN ('open', 'assigned') AND ${AGENT_MAY_SEE} AND ${REPLY_IN_SCOPE}`;
const AGENT_SEES = `SELECT 1 AS yes FROM inbound_messages WHERE id = :id AND ${AGENT_MAY_SEE} AND ${REPLY_IN_SCOPE}`;

export class MessageReplyStore {
  constructor(private readonly db: Db) {}

  recordInbound(m: NewInbound, at: string): InboundRow {
    return this.db.transaction(() => {
      const info = statement(this.db, INSERT_INBOUND).run(m.channel, m.from, m.to, m.body, m.debtorId, m.messageId, m.intent, m.optionDigit ?? null, m.status, at);
      const id = Number(info.lastInsertRowid);
      appendEvent(this.db, { at, kind: 'message_reply', data: { inboundId: id, channel: m.channel, intent: m.intent, messageId: m.messageId } });
      return this.inbound(id)!;
    })();
  }

  /** When this address last wrote to us on this channel (UTC ISO): WhatsApp's 24-hour window. */
  lastInboundAt(channel: MessageChannelName, from: string): string | undefined {
    return (statement(this.db, LAST_INBOUND).get(channel, from) as { at: string | null }).at ?? undefined;
  }

  inbound(id: number): InboundRow | undefined {
    return statement(this.db, GET_INBOUND).get(id) as InboundRow | undefined;
  }

  /** The inbox: newest first, by default what still needs a person; creditors: only replies a token limited to them may see (REPLY_IN_SCOPE). */
  inbox(f: { status?: InboundStatus | 'waiting'; debtorId?: number; agentId?: number; limit?: number; creditors?: readonly string[] | null } = {}): InboundRow[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: Math.min(Math.max(f.limit ?? 100, 1), 1000), creditors: creditorsParam(f.creditors) };
    if (f.status === 'waiting' || f.status === undefined) where.push(`status IN ('open', 'assigned')`);
    else (where.push('status = :status'), (args.status = f.status));
    if (f.debtorId !== undefined) (where.push('debtor_id = :debtorId'), (args.debtorId = f.debtorId));
    if (f.agentId !== undefined) (where.push('agent_id = :agentId'), (args.agentId = f.agentId));
    if (args.creditors !== null) where.push(REPLY_IN_SCOPE);
    const sql = `SELECT ${INBOUND_COLUMNS} FROM inbound_messages WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT :limit`;
    return this.db.prepare(sql).all(args) as InboundRow[];
  }

  /** True when a token limited to `creditors` may see this reply (see REPLY_IN_SCOPE). */
  visibleTo(id: number, creditors: readonly string[] | null): boolean {
    if (!creditors || !creditors.length) return true;
    return statement(this.db, `SELECT 1 FROM inbound_messages WHERE id = :id AND ${REPLY_IN_SCOPE}`).get({ id, creditors: creditorsParam(creditors) }) !== undefined;
  }

  /** Every reply to this message, oldest first. */
  repliesTo(messageId: number): InboundRow[] {
    return statement(this.db, REPLIES_TO).all(messageId) as InboundRow[];
  }

  /** The message's short links and how often each was opened (never the token: it is the key). */
  linksOf(messageId: number): Array<Pick<LinkRow, 'kind' | 'opens' | 'firstOpenedAt' | 'lastOpenedAt' | 'expiresAt'>> {
    return statement(this.db, LINKS_OF).all(messageId) as Array<Pick<LinkRow, 'kind' | 'opens' | 'firstOpenedAt' | 'lastOpenedAt' | 'expiresAt'>>;
  }

  assign(id: number, agentId: number): boolean {
    return statement(this.db, ASSIGN).run(agentId, id).changes === 1;
  }

  /** An agent's inbox: what is given to them and the open replies of their debtors, newest first; creditors: of those, the replies about theirs. */
  agentInbox(agentId: number, limit = 200, creditors: readonly string[] | null = null): InboundRow[] {
    return statement(this.db, AGENT_INBOX).all({ agent: agentId, limit: Math.min(Math.max(limit, 1), 1000), creditors: creditorsParam(creditors) }) as InboundRow[];
  }

  agentInboxCount(agentId: number, creditors: readonly string[] | null = null): number {
    return (statement(this.db, AGENT_INBOX_COUNT).get({ agent: agentId, creditors: creditorsParam(creditors) }) as { n: number }).n;
  }

  /** Whether this agent may see (and act on) this reply: theirs, or open from one of their debtors (and about their creditors, when limited). */
  agentMaySee(id: number, agentId: number, creditors: readonly string[] | null = null): boolean {
    return statement(this.db, AGENT_SEES).get({ id, agent: agentId, creditors: creditorsParam(creditors) }) !== undefined;
  }

  /** The agent takes an open reply (or keeps one already theirs); false when it is someone else's or done. */
  take(id: number, agentId: number): boolean {
    return statement(this.db, TAKE).run(agentId, id, agentId).changes === 1;
  }

  close(id: number, at: string): boolean {
    return statement(this.db, CLOSE).run(at, id).changes === 1;
  }

  /** Opts the address out of the channel and cancels what is still queued to it. True when it is new. */
  optOut(channel: MessageChannelName, address: string, source: string, at: string): boolean {
    return this.db.transaction(() => {
      const added = statement(this.db, OPT_OUT).run(channel, address, source, at).changes === 1;
      statement(this.db, CANCEL_QUEUED_TO).run(at, at, channel, address);
      if (added) appendEvent(this.db, { at, kind: 'opt_out', data: { channel, source } });
      return added;
    })();
  }

  isOptedOut(channel: MessageChannelName, address: string): boolean {
    return statement(this.db, IS_OPTED_OUT).get(channel, address) !== undefined;
  }

  createLink(l: NewLink, at: string): void {
    statement(this.db, INSERT_LINK).run(l.token, l.kind, l.messageId, l.debtorId, l.claimId ?? null, l.channel ?? null, l.address ?? null, l.targetUrl ?? null, at, l.expiresAt);
  }

  link(token: string): LinkRow | undefined {
    return statement(this.db, GET_LINK).get(token) as LinkRow | undefined;
  }

  /** Counts an open of a link that has not expired; returns it, or undefined (unknown or expired). */
  openLink(token: string, at: string): LinkRow | undefined {
    return this.db.transaction(() => {
      if (statement(this.db, OPEN_LINK).run(at, at, token, at).changes === 0) return undefined;
      const link = this.link(token)!;
      if (link.opens === 1) appendEvent(this.db, { at, kind: `link_opened`, data: { kind: link.kind, messageId: link.messageId } });
      return link;
    })();
  }

  /** "Already paid": the debtor's open claims wait for review and their pending contacts pause. */
  debtorSaysPaid(debtorId: number, at: string): { claims: number; contacts: number } {
    return this.db.transaction(() => {
      const claims = statement(this.db, REVIEW_CLAIMS).run('debtor_says_paid', at, at, debtorId).changes;
      const contacts = statement(this.db, PAUSE_CONTACTS).run('debtor_says_paid', at, debtorId).changes;
      appendEvent(this.db, { at, kind: 'claim_review', data: { debtorId, reason: 'debtor_says_paid', claims, contacts } });
      return { claims, contacts };
    })();
  }

  /** An operator reviewed the debtor's claim(s): contacts resume. */
  reviewDone(debtorId: number, at: string): void {
    this.db.transaction(() => {
      statement(this.db, CLEAR_REVIEW).run(at, debtorId);
      statement(this.db, RESUME_CONTACTS).run(at, debtorId);
      appendEvent(this.db, { at, kind: 'claim_review_done', data: { debtorId } });
    })();
  }

  /** A task for an agent: call the debtor back (reason: arrangement, callback). */
  callbackTask(debtorId: number, claimId: number | null, reason: string, at: string): void {
    this.db.transaction(() => {
      statement(this.db, CALLBACK).run(debtorId, claimId, reason, at);
      appendEvent(this.db, { at, kind: 'callback_requested', data: { claimId, reason, via: 'message' } });
    })();
  }

  /** The SMSC could not deliver to this number; one that calls could not reach either becomes invalid. */
  smsUndeliverable(e164: string, at: string): void {
    statement(this.db, SMS_DEAD).run(at, at, e164);
  }
}
