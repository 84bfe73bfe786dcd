/**
 * What the pacer needs back after a restart: the live-answered and abandoned attempts of
 * the last 24 h, so Ofcom's "any 24 hours" abandon rate survives a restart of the process.
 */
import type { Db } from './db.ts';

export interface RecentLiveAttempt {
  campaignId: number;
  /** When it was answered (UTC ISO). */
  at: string;
  abandoned: boolean;
}

/** Outbound attempts answered by a person (or abandoned) since `sinceIso`, oldest first. */
export function recentLiveAttempts(db: Db, sinceIso: string): RecentLiveAttempt[] {
  const rows = db
    .prepare(
      `SELECT campaign_id AS campaignId, COALESCE(answered_at, created_at) AS at, disposition = 'abandoned' AS abandoned
         FROM calls
        WHERE direction = 'outbound' AND campaign_id IS NOT NULL AND created_at >= ?
          AND disposition IN ('answered', 'abandoned')
        ORDER BY at`,
    )
    .all(sinceIso) as { campaignId: number; at: string; abandoned: number }[];
  return rows.map((r) => ({ campaignId: r.campaignId, at: r.at, abandoned: r.abandoned === 1 }));
}
