/**
 * API tokens. Only the SHA-256 of a token is stored; the token itself is shown once,
 * when it is created, and never again.
 */
import type { Db } from './db.ts';

import type { Role } from './types.ts';

export { ROLES, type Role } from './types.ts';

export interface TokenRow {
  id: number;
  name: string;
  role: Role;
  agentId: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The creditors this token is limited to; empty = every creditor. */
  creditors: string[];
}

const COLS = `id, name, role, agent_id AS agentId, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt`;

const CREDITORS = `(SELECT json_group_array(creditor) FROM (SELECT creditor FROM token_creditors WHERE token_id = api_tokens.id ORDER BY creditor)) AS creditors`;

function withCreditors(row: Omit<TokenRow, 'creditors'> & { creditors: string }): TokenRow {
  return { ...row, creditors: JSON.parse(row.creditors) as string[] };
}

export class TokenStore {
  private readonly byHash;
  constructor(private readonly db: Db) {
    this.byHash = db.prepare(`SELECT ${COLS}, ${CREDITORS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`);
  }

  insert(t: { name: string; role: Role; agentId: number | null; hash: string; now: string; creditors?: string[] }): number {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(`INSERT INTO api_tokens (name, role, token_hash, agent_id, created_at) VALUES (?, ?, ?, ?, ?)`)
        .run(t.name, t.role, t.hash, t.agentId, t.now);
      const id = Number(r.lastInsertRowid);
      const add = this.db.prepare(`INSERT OR IGNORE INTO token_creditors (token_id, creditor) VALUES (?, ?)`);
      for (const c of t.creditors ?? []) add.run(id, c);
      return id;
    })();
  }

  /** The live (not revoked) token with this hash. */
  findActiveByHash(hash: string): TokenRow | undefined {
    const row = this.byHash.get(hash) as (Omit<TokenRow, 'creditors'> & { creditors: string }) | undefined;
    return row && withCreditors(row);
  }

  list(): TokenRow[] {
    return (this.db.prepare(`SELECT ${COLS}, ${CREDITORS} FROM api_tokens ORDER BY id`).all() as (Omit<TokenRow, 'creditors'> & { creditors: string })[]).map(withCreditors);
  }

  /** True when the token existed and was live. */
  revoke(id: number, now: string): boolean {
    return this.db.prepare(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`).run(now, id).changes === 1;
  }

  touch(id: number, now: string): void {
    this.db.prepare(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`).run(now, id);
  }

  countActive(role: Role): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM api_tokens WHERE role = ? AND revoked_at IS NULL`).get(role) as { n: number }).n;
  }
}
