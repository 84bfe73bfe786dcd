/** Campaign rows: definition, settings JSON and lifecycle state. */
import type { Db } from './db.ts';
import type { CampaignMode, CampaignState, Language } from './types.ts';

export interface CampaignRecord {
  id: number;
  name: string;
  mode: CampaignMode;
  state: CampaignState;
  callerId: string;
  language: Language;
  defaultCountry: string;
  /** JSON text of the full CampaignSettings. */
  settings: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the dialer paused this campaign; null when an operator did, or when it is not paused. */
  pausedReason: string | null;
}

const COLS = `id, name, mode, state, caller_id AS callerId, language, default_country AS defaultCountry, settings,
  created_at AS createdAt, updated_at AS updatedAt, started_at AS startedAt, finished_at AS finishedAt,
  paused_reason AS pausedReason`;

export type CampaignFields = Pick<CampaignRecord, 'name' | 'mode' | 'callerId' | 'language' | 'defaultCountry' | 'settings'>;

export class CampaignStore {
  constructor(private readonly db: Db) {}

  insert(c: CampaignFields, now: string): number {
    const r = this.db
      .prepare(
        `INSERT INTO campaigns (name, mode, caller_id, language, default_country, settings, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.name, c.mode, c.callerId, c.language, c.defaultCountry, c.settings, now, now);
    return Number(r.lastInsertRowid);
  }

  get(id: number): CampaignRecord | undefined {
    return this.db.prepare(`SELECT ${COLS} FROM campaigns WHERE id = ?`).get(id) as CampaignRecord | undefined;
  }

  list(opts: { limit: number; offset: number; state?: CampaignState }): { items: CampaignRecord[]; total: number } {
    const where = opts.state ? 'WHERE state = @state' : '';
    const params = { state: opts.state, limit: opts.limit, offset: opts.offset };
    const items = this.db.prepare(`SELECT ${COLS} FROM campaigns ${where} ORDER BY id LIMIT @limit OFFSET @offset`).all(params) as CampaignRecord[];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM campaigns ${where}`).get(opts.state ? { state: opts.state } : {}) as { n: number }).n;
    return { items, total };
  }

  update(id: number, c: CampaignFields, now: string): void {
    this.db
      .prepare(
        `UPDATE campaigns SET name = ?, mode = ?, caller_id = ?, language = ?, default_country = ?, settings = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(c.name, c.mode, c.callerId, c.language, c.defaultCountry, c.settings, now, id);
  }

  /** Moves the state only if it is still `from` (two callers racing: one wins). Any move clears the dialer's pause reason. */
  setState(id: number, from: CampaignState, to: CampaignState, now: string): boolean {
    const r = this.db
      .prepare(
        `UPDATE campaigns SET state = @to, updated_at = @now, paused_reason = NULL,
           started_at = CASE WHEN @to = 'running' AND started_at IS NULL THEN @now ELSE started_at END,
           finished_at = CASE WHEN @to = 'finished' THEN @now ELSE finished_at END
         WHERE id = @id AND state = @from`,
      )
      .run({ id, from, to, now });
    return r.changes === 1;
  }
}
