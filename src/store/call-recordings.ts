/**
 * Rows of agent-conversation recordings (migration 019, docs/call-recordings.md). The files
 * live on disk (src/recordings/calls.ts); a row names its file. Retention and erasure delete
 * rows; the files of rows that are gone are then removed by the file sweep, which asks
 * `files()` which names are still wanted.
 */
import { statement, type Db } from './db.ts';

export interface CallRecordingRow {
  id: number;
  callId: string;
  agentCallId: string | null;
  agentId: number | null;
  campaignId: number | null;
  debtorId: number | null;
  name: string;
  state: 'recording' | 'stored' | 'failed';
  file: string | null;
  format: string;
  bytes: number | null;
  durationSec: number | null;
  announced: boolean;
  startedAt: string;
  endedAt: string | null;
}

const COLS = `id, call_id AS callId, agent_call_id AS agentCallId, agent_id AS agentId, campaign_id AS campaignId, debtor_id AS debtorId,
  name, state, file, format, bytes, duration_sec AS durationSec, announced, started_at AS startedAt, ended_at AS endedAt`;

type Raw = Omit<CallRecordingRow, 'announced'> & { announced: number };
const row = (r: Raw | undefined): CallRecordingRow | undefined => (r ? { ...r, announced: r.announced === 1 } : undefined);

export class CallRecordingStore {
  constructor(private readonly db: Db) {}

  started(r: { callId: string; agentCallId: string | null; agentId: number | null; campaignId: number | null; debtorId: number | null; name: string; announced: boolean; at: string }): number {
    return Number(
      statement(this.db, `INSERT INTO call_recordings (call_id, agent_call_id, agent_id, campaign_id, debtor_id, name, state, announced, started_at)
        VALUES (@callId, @agentCallId, @agentId, @campaignId, @debtorId, @name, 'recording', @announced, @at)`).run({ ...r, announced: r.announced ? 1 : 0 }).lastInsertRowid,
    );
  }

  /** The file is on disk; false when the row is gone meanwhile (erased, or the call's retention). */
  stored(id: number, f: { file: string; bytes: number; durationSec: number; at: string }): boolean {
    return statement(this.db, `UPDATE call_recordings SET state = 'stored', file = @file, bytes = @bytes, duration_sec = @durationSec, ended_at = @at WHERE id = @id`).run({ id, ...f }).changes > 0;
  }

  failed(id: number, at: string): void {
    statement(this.db, `UPDATE call_recordings SET state = 'failed', ended_at = ? WHERE id = ?`).run(at, id);
  }

  get(id: number): CallRecordingRow | undefined {
    return row(statement(this.db, `SELECT ${COLS} FROM call_recordings WHERE id = ?`).get(id) as Raw | undefined);
  }

  /** A debtor's recordings, newest first (the timeline). */
  ofDebtor(debtorId: number): CallRecordingRow[] {
    return (statement(this.db, `SELECT ${COLS} FROM call_recordings WHERE debtor_id = ? ORDER BY started_at DESC, id DESC`).all(debtorId) as Raw[]).map((r) => row(r)!);
  }

  ofCall(callId: string): CallRecordingRow[] {
    return (statement(this.db, `SELECT ${COLS} FROM call_recordings WHERE call_id = ? ORDER BY id`).all(callId) as Raw[]).map((r) => row(r)!);
  }

  /** Every file name a row still holds: the sweep removes the others. */
  files(): Set<string> {
    return new Set((statement(this.db, `SELECT file FROM call_recordings WHERE file IS NOT NULL`).all() as { file: string }[]).map((r) => r.file));
  }

  /** Whether a claim of one of these creditors belongs to the recording's debtor (creditor scope). */
  visibleTo(id: number, creditors: string[]): boolean {
    return !!statement(this.db, `SELECT 1 FROM call_recordings r JOIN claims c ON c.debtor_id = r.debtor_id WHERE r.id = ? AND c.creditor IN (SELECT value FROM json_each(?)) LIMIT 1`).get(id, JSON.stringify(creditors));
  }
}
