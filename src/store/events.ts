/** The append-only event log: what happened, when, to which campaign/contact/call. */
import type { Db } from './db.ts';

export interface EventInput {
  at: string;
  kind: string;
  campaignId?: number | null;
  contactId?: number | null;
  callId?: string | null;
  /** Serialised as JSON. Keep personal data (names, numbers, amounts) out of it. */
  data?: unknown;
}

export class EventStore {
  private readonly insertStmt;
  constructor(db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO events (at, kind, campaign_id, contact_id, call_id, data) VALUES (?, ?, ?, ?, ?, ?)`);
  }

  append(e: EventInput): void {
    this.insertStmt.run(e.at, e.kind, e.campaignId ?? null, e.contactId ?? null, e.callId ?? null, e.data === undefined ? null : JSON.stringify(e.data));
  }
}
