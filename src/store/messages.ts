/**
 * The outbox and what comes back: messages and their states, receipts, caps, opt-outs.
 *
 * A message moves queued → submitting → submitted → delivered | failed | expired. The
 * step to `submitting` is written (and committed) before the channel is asked, so a
 * process that dies mid-submit leaves a row that says so: recoverInterrupted() turns
 * those into `uncertain`, never back into `queued` (SMPP has no idempotency key; an
 * operator decides). Every step is a conditional UPDATE on the state it expects, so two
 * workers, a late receipt or a duplicate receipt cannot move a message backwards.
 */
import { statement, type Db } from './db.ts';
import { creditorsParam } from './scope-sql.ts';
import { appendEvent } from './events.ts';
import { OPEN_CLAIM_SQL, type Language, type MessageChannelName, type MessageSource, type MessageStatus } from './types.ts';

/** A WhatsApp template: its approved name, language code and body parameters ({{1}}, {{2}}, …). */
export interface MessageTemplate {
  name: string;
  language: string;
  params: string[];
}

export interface NewMessage {
  channel: MessageChannelName;
  source: MessageSource;
  debtorId: number;
  claimId?: number | null;
  campaignId?: number | null;
  contactId?: number | null;
  callId?: string | null;
  agentId?: number | null;
  replyId?: number | null;
  to: string;
  sender: string;
  language: Language;
  subject?: string | null;
  body: string;
  html?: string | null;
  options?: Array<{ digit: string; intent: string }> | null;
  /** A WhatsApp template and its parameters (the body is the same message as readable text). */
  template?: MessageTemplate | null;
  parts?: number | null;
  /** Not before (UTC ISO); by default at once. */
  notBefore?: string;
}

export interface MessageRow {
  id: number;
  channel: MessageChannelName;
  source: MessageSource;
  debtorId: number;
  claimId: number | null;
  campaignId: number | null;
  contactId: number | null;
  callId: string | null;
  agentId: number | null;
  replyId: number | null;
  to: string;
  sender: string;
  language: Language;
  subject: string | null;
  body: string;
  html: string | null;
  options: Array<{ digit: string; intent: string }> | null;
  template: MessageTemplate | null;
  parts: number | null;
  status: MessageStatus;
  providerId: string | null;
  errorCode: string | null;
  error: string | null;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  submittedAt: string | null;
  doneAt: string | null;
  updatedAt: string;
}

export interface MessageListFilter {
  debtorId?: number;
  campaignId?: number;
  status?: MessageStatus;
  channel?: MessageChannelName;
  /** Rows with an id below this (paging, newest first). */
  beforeId?: number;
  limit?: number;
  /** Only messages about these creditors' claims (src/http/scope.ts); null or absent: every creditor. */
  creditors?: readonly string[] | null;
}

/**
 * A message a token limited to :creditors (a JSON array) may see: its debtor owes one of
 * them, and it is about one of their claims or about no single claim (all open claims, as
 * the debtor's own timeline shows it). :creditors NULL: every message.
 */
export const messageInScope = (m: string) => `(:creditors IS NULL OR (
    EXISTS (SELECT 1 FROM claims s WHERE s.debtor_id = ${m}.debtor_id AND s.creditor IN (SELECT value FROM json_each(:creditors)))
    AND (${m}.claim_id IS NULL OR ${m}.claim_id IN (SELECT k.id FROM claims k WHERE k.creditor IN (SELECT value FROM json_each(:creditors))))))`;
const MESSAGE_IN_SCOPE = messageInScope('messages');

/** What a delivery receipt did to its message. */
export type ReceiptOutcome =
  | { kind: 'applied'; message: MessageRow; status: 'delivered' | 'failed' | 'expired' }
  | { kind: 'duplicate'; message: MessageRow }
  | { kind: 'unknown' };

export interface CampaignMessageStats {
  /** Handed to the network (or maybe: uncertain), whatever became of them. */
  sent: number;
  queued: number;
  submitting: number;
  submitted: number;
  delivered: number;
  failed: number;
  expired: number;
  uncertain: number;
  cancelled: number;
  /** Messages whose pay link was opened at least once. */
  opened: number;
  /** Messages a debtor answered. */
  replied: number;
  /** Debtors of this campaign who opted out of a channel after one of its messages. */
  optedOut: number;
}

const COLUMNS = `id, channel, source, debtor_id AS debtorId, claim_id AS claimId, campaign_id AS campaignId, contact_id AS contactId,
  call_id AS callId, agent_id AS agentId, reply_id AS replyId, to_addr AS "to", sender, language, subject, body, html, options, template, parts,
  status, provider_id AS providerId, error_code AS errorCode, error, attempts, next_attempt_at AS nextAttemptAt,
  created_at AS createdAt, submitted_at AS submittedAt, done_at AS doneAt, updated_at AS updatedAt`;

const INSERT = `INSERT INTO messages (channel, source, debtor_id, claim_id, campaign_id, contact_id, call_id, agent_id, reply_id, to_addr,
  sender, language, subject, body, html, options, template, parts, status, next_attempt_at, created_at, updated_at)
  VALUES (@channel, @source, @debtorId, @claimId, @campaignId, @contactId, @callId, @agentId, @replyId, @to, @sender, @language,
  @subject, @body, @html, @options, @template, @parts, 'queued', @notBefore, @at, @at)`;
const GET = `SELECT ${COLUMNS} FROM messages WHERE id = ?`;
const DUE = `SELECT ${COLUMNS} FROM messages WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`;
const NEXT_DUE = `SELECT min(next_attempt_at) AS at FROM messages WHERE status = 'queued'`;
const TAKE = `UPDATE messages SET status = 'submitting', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'queued'`;
const SUBMITTED = `UPDATE messages SET status = 'submitted', provider_id = ?, parts = ?, submitted_at = ?, updated_at = ? WHERE id = ? AND status = 'submitting'`;
const REQUEUE = `UPDATE messages SET status = 'queued', next_attempt_at = ?, error_code = ?, error = ?, updated_at = ?
  WHERE id = ? AND status IN ('queued', 'submitting')`;
const FAIL = `UPDATE messages SET status = 'failed', error_code = ?, error = ?, done_at = ?, updated_at = ? WHERE id = ? AND status IN ('queued', 'submitting')`;
const UNCERTAIN = `UPDATE messages SET status = 'uncertain', error_code = ?, error = ?, updated_at = ? WHERE id = ? AND status = 'submitting'`;
const CANCEL = `UPDATE messages SET status = 'cancelled', error_code = ?, error = ?, done_at = ?, updated_at = ? WHERE id = ? AND status = 'queued'`;
const INTERRUPTED = `SELECT id FROM messages WHERE status = 'submitting'`;
// By debtor first (messages_by_debtor): a message about a claim is always to that claim's debtor.
const QUEUED_ABOUT_CLAIM = `SELECT id FROM messages WHERE debtor_id = @debtorId AND status = 'queued' AND (claim_id = @claimId
  OR NOT EXISTS (SELECT 1 FROM claims WHERE debtor_id = @debtorId AND status IN ${OPEN_CLAIM_SQL}))`;
const BY_PROVIDER = `SELECT ${COLUMNS} FROM messages WHERE channel = ? AND provider_id = ?`;
const RECEIPT = `UPDATE messages SET status = ?, error_code = ?, done_at = ?, updated_at = ? WHERE id = ? AND status IN ('submitted', 'uncertain')`;
// What counts against the per-debtor cap: everything handed (or being handed) to the network.
const SENT_SINCE = `SELECT coalesce(submitted_at, updated_at) AS at FROM messages WHERE debtor_id = ? AND channel = ? AND reply_id IS NULL
  AND status IN ('submitting', 'submitted', 'delivered', 'expired', 'uncertain') AND coalesce(submitted_at, updated_at) >= ?
  ORDER BY coalesce(submitted_at, updated_at)`;
const LATEST_TO = `SELECT ${COLUMNS} FROM messages WHERE channel = ? AND to_addr = ? AND status NOT IN ('queued', 'cancelled')
  ORDER BY coalesce(submitted_at, created_at) DESC, id DESC LIMIT 1`;
// Campaign figures over the messages a token limited to :creditors may see (NULL: every message).
const BY_STATUS = `SELECT status, count(*) AS n FROM messages m WHERE m.campaign_id = :campaign AND ${messageInScope('m')} GROUP BY status`;
const SENT = `SELECT count(*) AS n FROM messages m WHERE m.campaign_id = :campaign AND (m.submitted_at IS NOT NULL OR m.status = 'uncertain') AND ${messageInScope('m')}`;
const OPENED = `SELECT count(DISTINCT l.message_id) AS n FROM message_links l JOIN messages m ON m.id = l.message_id
  WHERE m.campaign_id = :campaign AND l.kind = 'pay' AND l.opens > 0 AND ${messageInScope('m')}`;
const REPLIED = `SELECT count(DISTINCT i.message_id) AS n FROM inbound_messages i JOIN messages m ON m.id = i.message_id WHERE m.campaign_id = :campaign AND ${messageInScope('m')}`;
const OPTED_OUT = `SELECT count(DISTINCT m.debtor_id) AS n FROM messages m JOIN opt_outs o ON o.channel = m.channel AND o.address = m.to_addr
  WHERE m.campaign_id = :campaign AND o.created_at >= m.created_at AND ${messageInScope('m')}`;
const UNSETTLED = `SELECT count(*) AS n FROM messages WHERE campaign_id = ? AND status IN ('queued', 'submitting')`;
const COUNT_BY_STATUS = `SELECT channel, status, count(*) AS n FROM messages GROUP BY channel, status`;

type Raw = Omit<MessageRow, 'options' | 'template'> & { options: string | null; template: string | null };
const fromRaw = (r: Raw): MessageRow => ({
  ...r,
  options: r.options ? (JSON.parse(r.options) as MessageRow['options']) : null,
  template: r.template ? (JSON.parse(r.template) as MessageTemplate) : null,
});

export class MessageStore {
  constructor(private readonly db: Db) {}

  queue(m: NewMessage, at: string): MessageRow {
    return this.db.transaction(() => {
      const info = statement(this.db, INSERT).run({
        channel: m.channel,
        source: m.source,
        debtorId: m.debtorId,
        claimId: m.claimId ?? null,
        campaignId: m.campaignId ?? null,
        contactId: m.contactId ?? null,
        callId: m.callId ?? null,
        agentId: m.agentId ?? null,
        replyId: m.replyId ?? null,
        to: m.to,
        sender: m.sender,
        language: m.language,
        subject: m.subject ?? null,
        body: m.body,
        html: m.html ?? null,
        options: m.options ? JSON.stringify(m.options) : null,
        template: m.template ? JSON.stringify(m.template) : null,
        parts: m.parts ?? null,
        notBefore: m.notBefore ?? at,
        at,
      });
      const id = Number(info.lastInsertRowid);
      appendEvent(this.db, { at, kind: 'message_queued', campaignId: m.campaignId ?? null, contactId: m.contactId ?? null, callId: m.callId ?? null, data: { messageId: id, channel: m.channel, source: m.source } });
      return this.get(id)!;
    })();
  }

  get(id: number): MessageRow | undefined {
    const r = statement(this.db, GET).get(id) as Raw | undefined;
    return r && fromRaw(r);
  }

  /** Newest first. */
  list(f: MessageListFilter = {}): MessageRow[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: Math.min(Math.max(f.limit ?? 100, 1), 1000), creditors: creditorsParam(f.creditors) };
    if (f.debtorId !== undefined) (where.push('debtor_id = :debtorId'), (args.debtorId = f.debtorId));
    if (f.campaignId !== undefined) (where.push('campaign_id = :campaignId'), (args.campaignId = f.campaignId));
    if (f.status !== undefined) (where.push('status = :status'), (args.status = f.status));
    if (f.channel !== undefined) (where.push('channel = :channel'), (args.channel = f.channel));
    if (f.beforeId !== undefined) (where.push('id < :beforeId'), (args.beforeId = f.beforeId));
    if (args.creditors !== null) where.push(MESSAGE_IN_SCOPE);
    const sql = `SELECT ${COLUMNS} FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT :limit`;
    return (this.db.prepare(sql).all(args) as Raw[]).map(fromRaw);
  }

  /** True when a token limited to `creditors` may see this message (see MESSAGE_IN_SCOPE). */
  visibleTo(id: number, creditors: readonly string[] | null): boolean {
    if (!creditors || !creditors.length) return true;
    return statement(this.db, `SELECT 1 FROM messages WHERE id = :id AND ${MESSAGE_IN_SCOPE}`).get({ id, creditors: creditorsParam(creditors) }) !== undefined;
  }

  /** Queued messages whose time has come, oldest first. */
  due(nowIso: string, limit: number): MessageRow[] {
    return (statement(this.db, DUE).all(nowIso, limit) as Raw[]).map(fromRaw);
  }

  /** The earliest time a queued message waits for (the worker sleeps until then), or null. */
  nextDueAt(): string | null {
    return (statement(this.db, NEXT_DUE).get() as { at: string | null }).at;
  }

  /** queued → submitting, committed before the channel is asked; false when another worker took it. */
  take(id: number, at: string): boolean {
    return statement(this.db, TAKE).run(at, id).changes === 1;
  }

  submitted(id: number, providerId: string, parts: number, at: string): void {
    this.db.transaction(() => {
      if (statement(this.db, SUBMITTED).run(providerId, parts, at, at, id).changes === 0) return;
      appendEvent(this.db, { at, kind: 'message_submitted', data: { messageId: id, parts } });
    })();
  }

  /** Back to queued until `untilIso` (window closed, cap reached, throttled, not connected). */
  requeue(id: number, untilIso: string, reason: { code: string; text: string }, at: string): void {
    statement(this.db, REQUEUE).run(untilIso, reason.code, reason.text, at, id);
  }

  fail(id: number, code: string, text: string, at: string): void {
    this.db.transaction(() => {
      if (statement(this.db, FAIL).run(code, text, at, at, id).changes === 0) return;
      appendEvent(this.db, { at, kind: 'message_failed', data: { messageId: id, code } });
    })();
  }

  /** The channel could not say whether the network took it: an operator decides (never resent blindly). */
  uncertain(id: number, code: string, text: string, at: string): void {
    this.db.transaction(() => {
      if (statement(this.db, UNCERTAIN).run(code, text, at, id).changes === 0) return;
      appendEvent(this.db, { at, kind: 'message_uncertain', data: { messageId: id, code } });
    })();
  }

  /** A queued message that must not go out any more (opt-out, paid, an operator). */
  cancel(id: number, code: string, text: string, at: string): boolean {
    return this.db.transaction(() => {
      if (statement(this.db, CANCEL).run(code, text, at, at, id).changes === 0) return false;
      appendEvent(this.db, { at, kind: 'message_cancelled', data: { messageId: id, code } });
      return true;
    })();
  }

  /**
   * A claim that needs no more messages (paid): cancels what is queued about it, and — when
   * the debtor has nothing open any more — everything still queued to them. Returns how many.
   */
  cancelQueuedAboutClaim(claimId: number, debtorId: number, code: string, text: string, at: string): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const m of statement(this.db, QUEUED_ABOUT_CLAIM).all({ claimId, debtorId }) as Array<{ id: number }>) if (this.cancel(m.id, code, text, at)) n++;
      return n;
    })();
  }

  /** At start: what a previous process left `submitting` becomes `uncertain`. Returns their ids. */
  recoverInterrupted(at: string): number[] {
    return this.db.transaction(() => {
      const ids = (statement(this.db, INTERRUPTED).all() as Array<{ id: number }>).map((r) => r.id);
      for (const id of ids) this.uncertain(id, 'INTERRUPTED', 'the process stopped while this message was being submitted', at);
      return ids;
    })();
  }

  byProvider(channel: MessageChannelName, providerId: string): MessageRow | undefined {
    const r = statement(this.db, BY_PROVIDER).get(channel, providerId) as Raw | undefined;
    return r && fromRaw(r);
  }

  /**
   * A delivery receipt: submitted (or uncertain: the receipt proves it went out) → its final
   * state. A second receipt for the same message changes nothing and says so.
   */
  applyReceipt(channel: MessageChannelName, providerId: string, status: 'delivered' | 'failed' | 'expired', errorCode: string, at: string): ReceiptOutcome {
    return this.db.transaction((): ReceiptOutcome => {
      const m = this.byProvider(channel, providerId);
      if (!m) return { kind: 'unknown' };
      if (statement(this.db, RECEIPT).run(status, status === 'delivered' ? null : errorCode, at, at, m.id).changes === 0) return { kind: 'duplicate', message: m };
      appendEvent(this.db, { at, kind: `message_${status}`, campaignId: m.campaignId, contactId: m.contactId, data: { messageId: m.id, errorCode } });
      return { kind: 'applied', message: this.get(m.id)!, status };
    })();
  }

  /** When each message to this debtor on this channel since then went out (the cap counts them), oldest first. */
  sentSince(debtorId: number, channel: MessageChannelName, sinceIso: string): string[] {
    return (statement(this.db, SENT_SINCE).all(debtorId, channel, sinceIso) as Array<{ at: string }>).map((r) => r.at);
  }

  /** The message most recently sent to this address: who a reply from it is about. */
  latestTo(channel: MessageChannelName, to: string): MessageRow | undefined {
    const r = statement(this.db, LATEST_TO).get(channel, to) as Raw | undefined;
    return r && fromRaw(r);
  }

  /** A campaign's message figures; creditors: only the messages a token limited to them may see (MESSAGE_IN_SCOPE). */
  campaignStats(campaignId: number, creditors: readonly string[] | null = null): CampaignMessageStats {
    const stats: CampaignMessageStats = { sent: 0, queued: 0, submitting: 0, submitted: 0, delivered: 0, failed: 0, expired: 0, uncertain: 0, cancelled: 0, opened: 0, replied: 0, optedOut: 0 };
    const args = { campaign: campaignId, creditors: creditorsParam(creditors) };
    for (const r of statement(this.db, BY_STATUS).all(args) as Array<{ status: MessageStatus; n: number }>) stats[r.status] = r.n;
    stats.sent = (statement(this.db, SENT).get(args) as { n: number }).n;
    stats.opened = (statement(this.db, OPENED).get(args) as { n: number }).n;
    stats.replied = (statement(this.db, REPLIED).get(args) as { n: number }).n;
    stats.optedOut = (statement(this.db, OPTED_OUT).get(args) as { n: number }).n;
    return stats;
  }

  /** Messages of a campaign still queued or being submitted: it is not finished while there are any. */
  unsettled(campaignId: number): number {
    return (statement(this.db, UNSETTLED).get(campaignId) as { n: number }).n;
  }

  /** Messages by channel and status (for /metrics). */
  countByStatus(): Array<{ channel: MessageChannelName; status: MessageStatus; n: number }> {
    return statement(this.db, COUNT_BY_STATUS).all() as Array<{ channel: MessageChannelName; status: MessageStatus; n: number }>;
  }
}
