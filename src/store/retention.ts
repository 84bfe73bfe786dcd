/**
 * Retention (issue 17 §3, docs/data-protection.md): what has outlived its limit is deleted,
 * or anonymised where a count or an amount must survive. A call keeps its campaign,
 * direction, disposition, result and times (the campaign's figures and the score per
 * action count them) and loses its numbers, keys and channel; a message keeps its channel,
 * status and times and loses its address and text; a reply loses its sender and text. Import
 * errors (which quote raw CSV values) go whole; rejected rows first lose their raw row (the
 * rejects CSV) and later the error itself. Every statement touches only rows that still hold
 * something, so a second run the same day removes nothing.
 */
import type { Db } from './db.ts';

export const RETENTION_KINDS = ['call_details', 'call_recordings', 'disposition_notes', 'messages', 'replies', 'rejected_rows', 'import_errors'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface RetentionLimits {
  callDetailsDays: number;
  messagesDays: number;
  importErrorsDays: number;
  rejectedRowsDays: number;
}

const DAY_MS = 86_400_000;

/** Per kind: the SQL and which limit applies. :cutoff is an ISO time; rows older than it go. */
const RULES: Record<RetentionKind, { limit: keyof RetentionLimits; sql: string }> = {
  call_details: {
    limit: 'callDetailsDays',
    sql: `UPDATE calls SET from_number = NULL, to_number = NULL, dtmf_path = '', channel_id = NULL, hangup_text = NULL
      WHERE created_at < :cutoff AND state IN ('ended', 'interrupted') AND (from_number IS NOT NULL OR to_number IS NOT NULL OR dtmf_path <> '' OR channel_id IS NOT NULL)`,
  },
  // A recording is the conversation itself: it goes whole with the call's details (its file follows, src/recordings/calls.ts).
  call_recordings: { limit: 'callDetailsDays', sql: `DELETE FROM call_recordings WHERE started_at < :cutoff AND state <> 'recording'` },
  disposition_notes: { limit: 'callDetailsDays', sql: `UPDATE dispositions SET note = NULL WHERE created_at < :cutoff AND note IS NOT NULL` },
  messages: {
    limit: 'messagesDays',
    sql: `UPDATE messages SET to_addr = '', body = '', subject = NULL, html = NULL, options = NULL, template = NULL, error = NULL
      WHERE created_at < :cutoff AND status NOT IN ('queued', 'submitting', 'submitted') AND (to_addr <> '' OR body <> '')`,
  },
  replies: { limit: 'messagesDays', sql: `UPDATE inbound_messages SET from_addr = '', body = '' WHERE received_at < :cutoff AND (from_addr <> '' OR body <> '')` },
  rejected_rows: {
    limit: 'rejectedRowsDays',
    sql: `UPDATE import_errors SET raw = NULL WHERE raw IS NOT NULL AND import_id IN (SELECT id FROM imports WHERE created_at < :cutoff)`,
  },
  import_errors: { limit: 'importErrorsDays', sql: `DELETE FROM import_errors WHERE import_id IN (SELECT id FROM imports WHERE created_at < :cutoff)` },
};

/** Applies every limit at `now` (clock ms) in one transaction; returns the rows touched per kind. */
export function applyRetention(db: Db, limits: RetentionLimits, now: number): Record<RetentionKind, number> {
  return db.transaction(() => {
    const out = {} as Record<RetentionKind, number>;
    for (const kind of RETENTION_KINDS) {
      const rule = RULES[kind];
      const cutoff = new Date(now - limits[rule.limit] * DAY_MS).toISOString();
      out[kind] = db.prepare(rule.sql).run({ cutoff }).changes;
    }
    return out;
  })();
}
