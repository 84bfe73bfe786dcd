/**
 * Recorded prompts (migration 014): one row per upload or removal, each a new version of
 * its language's set. Reads give a whole set as it stood at a version, so a call can keep
 * the set it started with while an admin uploads the next one.
 */
import { statement, type Db } from './db.ts';
import type { Language } from './types.ts';

export interface RecordingRow {
  lang: Language;
  version: number;
  key: string;
  /** The prompt piece's words as they were when recorded (a word: null). */
  text: string | null;
  /** File name in tts.recordingsDir; null: the key was removed at this version. */
  file: string | null;
  durationMs: number | null;
  uploadedAt: string;
  uploadedBy: string | null;
}

export type NewRecording = Omit<RecordingRow, 'version'>;

interface Raw {
  lang: Language;
  version: number;
  rec_key: string;
  text: string | null;
  file: string | null;
  duration_ms: number | null;
  uploaded_at: string;
  uploaded_by: string | null;
}

const toRow = (r: Raw): RecordingRow => ({
  lang: r.lang,
  version: r.version,
  key: r.rec_key,
  text: r.text,
  file: r.file,
  durationMs: r.duration_ms,
  uploadedAt: r.uploaded_at,
  uploadedBy: r.uploaded_by,
});

export class RecordingStore {
  constructor(private readonly db: Db) {}

  /** Stores the upload (or removal, file null) as the language's next version; returns the row. */
  add(rec: NewRecording): RecordingRow {
    return this.db.transaction(() => {
      const version = this.currentVersion(rec.lang) + 1;
      statement(this.db, `INSERT INTO prompt_recordings (lang, version, rec_key, text, file, duration_ms, uploaded_at, uploaded_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(rec.lang, version, rec.key, rec.text, rec.file, rec.durationMs, rec.uploadedAt, rec.uploadedBy);
      return { ...rec, version };
    })();
  }

  /** The language's newest version; 0 when nothing was ever uploaded. */
  currentVersion(lang: Language): number {
    const r = statement(this.db, 'SELECT MAX(version) AS v FROM prompt_recordings WHERE lang = ?').get(lang) as { v: number | null };
    return r.v ?? 0;
  }

  /** The set as it stood at `version`: per key its newest row at or below it, removed keys left out. */
  setAt(lang: Language, version: number): RecordingRow[] {
    const rows = statement(this.db, `SELECT p.* FROM prompt_recordings p
      JOIN (SELECT rec_key, MAX(version) AS v FROM prompt_recordings WHERE lang = ? AND version <= ? GROUP BY rec_key) last
        ON last.rec_key = p.rec_key AND last.v = p.version
      WHERE p.lang = ? AND p.file IS NOT NULL ORDER BY p.rec_key`).all(lang, version, lang) as Raw[];
    return rows.map(toRow);
  }

  /** Every upload and removal of one key, newest first. */
  history(lang: Language, key: string): RecordingRow[] {
    return (statement(this.db, 'SELECT * FROM prompt_recordings WHERE lang = ? AND rec_key = ? ORDER BY version DESC').all(lang, key) as Raw[]).map(toRow);
  }
}
