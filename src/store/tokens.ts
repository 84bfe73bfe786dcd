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
}

const COLS = `id, name, role, agent_id AS agentId, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt`;

export class TokenStore {
  private readonly byHash;
  constructor(private readonly db: Db) {
    this.byHash = db.prepare(`SELECT ${COLS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`);
  }

  insert(t: { name: string; role: Role; agentId: number | null; hash: string; now: string }): number {
    const r = this.db
      .prepare(`INSERT INTO api_tokens (name, role, token_hash, agent_id, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run(t.name, t.role, t.hash, t.agentId, t.now);
    return Number(r.lastInsertRowid);
  }

  /** The live (not revoked) token with this hash. */
  findActiveByHash(hash: string): TokenRow | undefined {
    return this.byHash.get(hash) as TokenRow | undefined;
  }

  list(): TokenRow[] {
    return this.db.prepare(`SELECT ${COLS} FROM api_tokens ORDER BY id`).all() as TokenRow[];
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
