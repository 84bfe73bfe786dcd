/** The append-only event log: what happened, when, to which campaign/contact/call. */
import { statement, type Db } from './db.ts';

export interface EventInput {
  at: string;
  kind: string;
  campaignId?: number | null;
  contactId?: number | null;
  callId?: string | null;
  /** Serialised as JSON. Keep personal data (names, numbers, amounts) out of it. */
  data?: unknown;
}

const INSERT = `INSERT INTO events (at, kind, campaign_id, contact_id, call_id, data) VALUES (?, ?, ?, ?, ?, ?)`;

/** Appends to the event log (inside the caller's transaction, when there is one). */
export function appendEvent(db: Db, e: EventInput): void {
  statement(db, INSERT).run(e.at, e.kind, e.campaignId ?? null, e.contactId ?? null, e.callId ?? null, e.data === undefined ? null : JSON.stringify(e.data));
}

export class EventStore {
  constructor(private readonly db: Db) {}

  append(e: EventInput): void {
    appendEvent(this.db, e);
  }
}
