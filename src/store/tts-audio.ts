/**
 * The owner ledger of personalised TTS audio (migration 017, docs/data-protection.md):
 * which debtor a cache file speaks about, so erasure can delete it and the daily retention
 * pass can forget what the cache has pruned.
 */
import { statement, type Db } from './db.ts';

export class TtsAudioStore {
  constructor(private readonly db: Db) {}

  /** Notes (or refreshes) that the audio under cacheKey speaks about debtorId. */
  own(cacheKey: string, debtorId: number, at: string): void {
    statement(this.db, `INSERT INTO tts_audio_owners (cache_key, debtor_id, owned_at) VALUES (?, ?, ?)
      ON CONFLICT (cache_key, debtor_id) DO UPDATE SET owned_at = excluded.owned_at`).run(cacheKey, debtorId, at);
  }

  /**
   * Forgets the debtor's audio; returns the keys nobody else owns (the files to delete).
   * Run it in the erasure's transaction, and delete the files after it commits.
   */
  release(debtorId: number): string[] {
    const keys = (statement(this.db, `SELECT o.cache_key AS k FROM tts_audio_owners o WHERE o.debtor_id = ?
      AND NOT EXISTS (SELECT 1 FROM tts_audio_owners x WHERE x.cache_key = o.cache_key AND x.debtor_id <> o.debtor_id)`).all(debtorId) as { k: string }[]).map((r) => r.k);
    statement(this.db, `DELETE FROM tts_audio_owners WHERE debtor_id = ?`).run(debtorId);
    return keys;
  }

  /** Forgets ownership last noted before `cutoff` (ISO); returns the rows removed. */
  expire(cutoff: string): number {
    return statement(this.db, `DELETE FROM tts_audio_owners WHERE owned_at < ?`).run(cutoff).changes;
  }
}
