/**
 * Messages on the agent desktop: the replies inbox and the messages sent to the debtor on
 * screen, as the desktop shows them, and who is told live when either changes.
 *
 * Who sees a reply is one rule, kept in the store (MessageReplyStore.agentMaySee): the agent
 * it was given to, or any agent a call of that debtor was put through to while it is still
 * open. The desktop never needs a full phone number or e-mail address (it answers by reply
 * id), so what it gets is masked, like the logs.
 */
import { EventEmitter } from 'node:events';
import { maskEmail, maskPhone } from '../lib/log.ts';
import type { Store } from '../store/repositories.ts';
import type { InboundRow } from '../store/message-replies.ts';
import type { MessageRow } from '../store/messages.ts';
import type { MessageChannelName, MessageSource, MessageStatus, InboundStatus, ReplyIntent } from '../store/types.ts';

/** A reply as the desktop lists it. */
export interface InboxItem {
  id: number;
  channel: MessageChannelName;
  /** The number it came from, masked. */
  from: string;
  debtorId: number | null;
  debtorName: string | null;
  body: string;
  intent: ReplyIntent;
  status: InboundStatus;
  agentId: number | null;
  receivedAt: string;
}

/** A message to a debtor as the desktop lists it. */
export interface DeskMessage {
  id: number;
  channel: MessageChannelName;
  source: MessageSource;
  debtorId: number;
  agentId: number | null;
  replyId: number | null;
  /** The address it went to, masked. */
  to: string;
  body: string;
  parts: number | null;
  status: MessageStatus;
  errorCode: string | null;
  error: string | null;
  createdAt: string;
  doneAt: string | null;
}

export function inboxItem(store: Pick<Store, 'debtors'>, r: InboundRow): InboxItem {
  return {
    id: r.id,
    channel: r.channel,
    from: r.channel === 'email' ? maskEmail(r.from) : maskPhone(r.from),
    debtorId: r.debtorId,
    debtorName: r.debtorId === null ? null : (store.debtors.get(r.debtorId)?.name ?? null),
    body: r.body,
    intent: r.intent,
    status: r.status,
    agentId: r.agentId,
    receivedAt: r.receivedAt,
  };
}

export function deskMessage(m: MessageRow): DeskMessage {
  return {
    id: m.id,
    channel: m.channel,
    source: m.source,
    debtorId: m.debtorId,
    agentId: m.agentId,
    replyId: m.replyId,
    to: m.channel === 'email' ? maskEmail(m.to) : maskPhone(m.to),
    // An e-mail's body is its plain-text part; the subject says more on a small screen.
    // The tracked links are cut: an agent opening one would count as the debtor's open.
    body: (m.channel === 'email' ? (m.subject ?? m.body) : m.body).replace(/\/([pu])\/[A-Za-z0-9_-]{16,}/g, '/$1/…'),
    parts: m.parts,
    status: m.status,
    errorCode: m.errorCode,
    error: m.error,
    createdAt: m.createdAt,
    doneAt: m.doneAt,
  };
}

/**
 * Replies that need a person as they land (MessagingOptions.onInbox → app.ts) or change
 * (taken, assigned, answered, closed, by an agent or an operator); formerAgentId is who
 * held it before, so their desktop drops it.
 */
export type InboxFeed = EventEmitter<{ reply: [row: InboundRow, formerAgentId?: number | null] }>;

export function createInboxFeed(): InboxFeed {
  return new EventEmitter();
}

/**
 * The inbox changed for this agent: `row` is a reply they may see (new or changed), `gone`
 * one that left their list (taken by someone else, closed); `count` is their badge.
 */
export type DeskInboxMessage = { type: 'inbox'; count: number; row: InboxItem } | { type: 'inbox'; count: number; gone: number };

/** What the desk messages push needs of the hub: who is connected, and a way to tell them. */
export interface DeskPush {
  connectedAgents(): Iterable<number>;
  push(agentId: number, msg: DeskInboxMessage | { type: 'message'; message: DeskMessage }): void;
  /** The debtor on this agent's screen, if any. */
  debtorOnScreen(agentId: number): number | undefined;
}

/** A source of message status changes (the OutboxWorker's 'status' event). */
export interface StatusSource {
  on(e: 'status', f: (s: { message: MessageRow }) => void): unknown;
  off(e: 'status', f: (s: { message: MessageRow }) => void): unknown;
}

/**
 * Tells connected desktops what changed: a reply an agent may see arrived, was taken,
 * answered or closed (the badge and list follow); a message to the debtor on their screen,
 * or one they sent, changed status.
 */
export class DeskMessageFeed {
  private readonly onReply = (row: InboundRow, former?: number | null) => this.replyChanged(row, former);
  private readonly onStatus = (s: { message: MessageRow }) => this.messageChanged(s.message);

  constructor(
    private readonly store: Pick<Store, 'replies' | 'debtors' | 'agents'>,
    private readonly desk: DeskPush,
    private readonly sources: { inbox?: InboxFeed; outbox?: StatusSource },
  ) {
    sources.inbox?.on('reply', this.onReply);
    sources.outbox?.on('status', this.onStatus);
  }

  /**
   * Every connected agent who may see the reply hears of it; one who could see it before
   * (their debtor, or it was theirs) hears only that it is gone, never what another agent holds.
   */
  replyChanged(row: InboundRow, formerAgentId?: number | null): void {
    let item: InboxItem | undefined;
    const waiting = row.status === 'open' || row.status === 'assigned';
    for (const agentId of this.desk.connectedAgents()) {
      const mine = row.agentId === agentId;
      const theirDebtor = row.debtorId !== null && this.store.agents.hadDebtor(agentId, row.debtorId);
      if (!mine && !theirDebtor && formerAgentId !== agentId) continue;
      const count = this.store.replies.agentInboxCount(agentId);
      if (waiting && (mine || (row.status === 'open' && theirDebtor))) {
        item ??= inboxItem(this.store, row);
        this.desk.push(agentId, { type: 'inbox', count, row: item });
      } else this.desk.push(agentId, { type: 'inbox', count, gone: row.id });
    }
  }

  messageChanged(m: MessageRow): void {
    let msg: DeskMessage | undefined;
    for (const agentId of this.desk.connectedAgents()) {
      if (m.agentId !== agentId && this.desk.debtorOnScreen(agentId) !== m.debtorId) continue;
      msg ??= deskMessage(m);
      this.desk.push(agentId, { type: 'message', message: msg });
    }
  }

  close(): void {
    this.sources.inbox?.off('reply', this.onReply);
    this.sources.outbox?.off('status', this.onStatus);
  }
}
