/**
 * The agents table, and the read models the desktop needs: the case behind a transfer
 * (debtor, open claims, recent calls with their keys) and the cases routed to one agent.
 */
import { statement, type Db } from './db.ts';
import { creditorsParam } from './scope-sql.ts';
import { OPEN_CLAIM_SQL, type Agent, type AgentState, type ClaimStatus, type ClaimSummary, type DebtorSummary } from './types.ts';

const COLS = `id, name, endpoint, skills, state, state_since AS stateSince, created_at AS createdAt, updated_at AS updatedAt`;

function toAgent(r: Record<string, unknown> | undefined): Agent | undefined {
  if (!r) return undefined;
  return { ...(r as unknown as Agent), skills: JSON.parse(r.skills as string) as string[] };
}

export interface NewAgent {
  name: string;
  endpoint: string;
  skills: string[];
}

export class AgentStore {
  constructor(private readonly db: Db) {}

  create(a: NewAgent, now: string): Agent {
    const r = this.db
      .prepare(`INSERT INTO agents (name, endpoint, skills, state, state_since, created_at, updated_at) VALUES (?, ?, ?, 'offline', ?, ?, ?)`)
      .run(a.name, a.endpoint, JSON.stringify(a.skills), now, now, now);
    return this.get(Number(r.lastInsertRowid))!;
  }

  get(id: number): Agent | undefined {
    return toAgent(this.db.prepare(`SELECT ${COLS} FROM agents WHERE id = ?`).get(id) as Record<string, unknown> | undefined);
  }

  byEndpoint(endpoint: string): Agent | undefined {
    return toAgent(this.db.prepare(`SELECT ${COLS} FROM agents WHERE endpoint = ?`).get(endpoint) as Record<string, unknown> | undefined);
  }

  list(): Agent[] {
    return (this.db.prepare(`SELECT ${COLS} FROM agents ORDER BY id`).all() as Record<string, unknown>[]).map((r) => toAgent(r)!);
  }

  update(id: number, patch: Partial<NewAgent>, now: string): Agent | undefined {
    const cur = this.get(id);
    if (!cur) return undefined;
    const next = { ...cur, ...patch };
    this.db
      .prepare(`UPDATE agents SET name = ?, endpoint = ?, skills = ?, updated_at = ? WHERE id = ?`)
      .run(next.name, next.endpoint, JSON.stringify(next.skills), now, id);
    return this.get(id);
  }

  /** Agents by state, for the pacer of agent campaigns. */
  countsByState(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of statement(this.db, `SELECT state, COUNT(*) AS n FROM agents GROUP BY state`).all() as { state: string; n: number }[]) out[r.state] = r.n;
    return out;
  }

  setState(id: number, state: AgentState, since: string): void {
    this.db.prepare(`UPDATE agents SET state = ?, state_since = ?, updated_at = ? WHERE id = ?`).run(state, since, since, id);
  }

  /** Deletes the agent; its tokens are revoked (they would otherwise point at nobody). */
  delete(id: number, now: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare(`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?), agent_id = NULL WHERE agent_id = ?`).run(now, id);
      return this.db.prepare(`DELETE FROM agents WHERE id = ?`).run(id).changes === 1;
    })();
  }
}

/** A claim as the flows know it, plus its status (the desktop shows closed ones too). */
export type CaseClaim = Omit<ClaimSummary, 'payUrl'> & { status: ClaimStatus };

export interface CaseCall {
  id: string;
  direction: string;
  createdAt: string;
  disposition: string | null;
  dtmfPath: string;
  result: string | null;
}

export type CaseDebtor = DebtorSummary;

/**
 * Debtor, all claims (open first) and the last calls to or from them (not agent legs).
 * creditors (a token limited to them): only their claims and the calls about them or about
 * no claim; undefined when the debtor owes them nothing.
 */
export function loadCase(db: Db, debtorId: number, creditors: readonly string[] | null = null): { debtor: CaseDebtor; claims: CaseClaim[]; calls: CaseCall[] } | undefined {
  const debtor = db
    .prepare(`SELECT id, external_ref AS externalRef, name, language, risk FROM debtors WHERE id = ?`)
    .get(debtorId) as CaseDebtor | undefined;
  if (!debtor) return undefined;
  const scope = creditorsParam(creditors);
  const claims = db
    .prepare(
      `SELECT id, creditor, invoice_ref AS invoiceRef, amount_cents AS amountCents, currency, due_date AS dueDate, status
         FROM claims WHERE debtor_id = :debtor AND (:creditors IS NULL OR creditor IN (SELECT value FROM json_each(:creditors)))
        ORDER BY status NOT IN ${OPEN_CLAIM_SQL}, amount_cents DESC, id`,
    )
    .all({ debtor: debtorId, creditors: scope }) as CaseClaim[];
  if (scope && !claims.length) return undefined;
  const calls = db
    .prepare(
      `SELECT id, direction, created_at AS createdAt, disposition, dtmf_path AS dtmfPath, result
         FROM calls WHERE debtor_id = :debtor AND direction != 'agent'
          AND (:creditors IS NULL OR contact_id IS NULL OR contact_id IN (SELECT ct.id FROM contacts ct JOIN claims k ON k.id = ct.claim_id WHERE ct.debtor_id = :debtor AND k.creditor IN (SELECT value FROM json_each(:creditors))))
        ORDER BY created_at DESC LIMIT 10`,
    )
    .all({ debtor: debtorId, creditors: scope }) as CaseCall[];
  return { debtor, claims, calls };
}

export interface AgentCaseRow {
  agentCallId: string;
  parentCallId: string | null;
  debtorId: number | null;
  debtorName: string | null;
  createdAt: string;
  state: string;
  result: string | null;
}

/**
 * The transfers that reached this agent (agent legs), newest first. creditors (a token limited
 * to them): the transfers of a call about one of their claims, or of a call about no claim
 * (inbound) from a debtor who owes them, as the screen pop shows a case.
 */
export function listAgentCases(db: Db, agentId: number, limit = 50, creditors: readonly string[] | null = null): AgentCaseRow[] {
  return db
    .prepare(
      `SELECT c.id AS agentCallId, c.parent_call_id AS parentCallId, c.debtor_id AS debtorId, d.name AS debtorName,
              c.created_at AS createdAt, c.state, c.result
         FROM calls c LEFT JOIN debtors d ON d.id = c.debtor_id
        WHERE c.agent_id = :agent AND c.direction = 'agent'
          AND (:creditors IS NULL OR EXISTS (SELECT 1 FROM calls p WHERE p.id = c.parent_call_id AND (
                p.contact_id IN (SELECT ct.id FROM contacts ct JOIN claims k ON k.id = ct.claim_id WHERE k.creditor IN (SELECT value FROM json_each(:creditors)))
             OR (p.contact_id IS NULL AND EXISTS (SELECT 1 FROM claims s WHERE s.debtor_id = c.debtor_id AND s.creditor IN (SELECT value FROM json_each(:creditors)))))))
        ORDER BY c.created_at DESC, c.id DESC LIMIT :limit`,
    )
    .all({ agent: agentId, limit, creditors: creditorsParam(creditors) }) as AgentCaseRow[];
}

/** Whether this debtor's case was routed to this agent (an agent leg exists). */
export function agentHadDebtor(db: Db, agentId: number, debtorId: number): boolean {
  return !!db.prepare(`SELECT 1 FROM calls WHERE agent_id = ? AND debtor_id = ? AND direction = 'agent' LIMIT 1`).get(agentId, debtorId);
}
