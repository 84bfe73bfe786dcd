/** Campaign rows: definition, settings JSON and lifecycle state. */
import { statement, type Db } from './db.ts';
import { appendEvent } from './events.ts';
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

/** A campaign as the dialer reads it on every tick; settings as stored (the dialer parses them with the defaults). */
export type CampaignRow = Pick<CampaignRecord, 'id' | 'name' | 'mode' | 'state' | 'callerId' | 'defaultCountry' | 'language' | 'settings'>;

const DIALER_COLS = `id, name, mode, state, caller_id AS callerId, default_country AS defaultCountry, language, settings`;
const IN_STATE = `SELECT ${DIALER_COLS} FROM campaigns WHERE state = ? ORDER BY id`;
const DIALER_ONE = `SELECT ${DIALER_COLS} FROM campaigns WHERE id = ?`;
const OPEN = `SELECT EXISTS (SELECT 1 FROM contacts WHERE campaign_id = ? AND status IN ('pending', 'in_progress')) AS open,
                               EXISTS (SELECT 1 FROM contacts WHERE campaign_id = ?) AS any`;
const FINISH = `UPDATE campaigns SET state = 'finished', finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running'`;
const PAUSE = `UPDATE campaigns SET state = 'paused', paused_reason = ?, updated_at = ? WHERE id = ? AND state = 'running'`;

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

  /** Campaigns in this state, as the dialer reads them. */
  inState(state: CampaignState): CampaignRow[] {
    return statement(this.db, IN_STATE).all(state) as CampaignRow[];
  }

  /** One campaign, as the dialer reads it. */
  forDialer(id: number): CampaignRow | undefined {
    return statement(this.db, DIALER_ONE).get(id) as CampaignRow | undefined;
  }

  /** Marks a running campaign finished when it has contacts and none is pending or in progress. */
  finishIfDone(campaignId: number, nowIso: string): boolean {
    const { open, any } = statement(this.db, OPEN).get(campaignId, campaignId) as { open: number; any: number };
    if (open || !any) return false;
    return this.db.transaction(() => {
      if (statement(this.db, FINISH).run(nowIso, nowIso, campaignId).changes === 0) return false;
      appendEvent(this.db, { at: nowIso, kind: 'campaign_finished', campaignId, data: { by: 'dialer' } });
      return true;
    })();
  }

  /** Pauses a running campaign the dialer cannot work on, with the reason the operator sees; false if it was no longer running. */
  pauseFailing(campaignId: number, reason: string, nowIso: string): boolean {
    return this.db.transaction(() => {
      if (statement(this.db, PAUSE).run(reason, nowIso, campaignId).changes === 0) return false;
      appendEvent(this.db, { at: nowIso, kind: 'campaign_paused', campaignId, data: { by: 'dialer', reason } });
      return true;
    })();
  }
}
