/**
 * Records one access to debtors' data in the access audit (src/store/audit.ts): who (the
 * token's id, name and role, the client address), which debtors, which kind of access.
 * Detail holds ids and counts only, never what was searched for (a name or a number would
 * put personal data into a log that is kept for years).
 */
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../lib/clock.ts';
import type { AuditRepository } from '../store/repositories.ts';
import type { AuditAccess } from '../store/audit.ts';

export function recordAccess(
  deps: { store: { audit: AuditRepository }; clock: Clock },
  req: FastifyRequest,
  access: AuditAccess,
  debtorIds: readonly (number | null)[],
  detail?: Record<string, unknown>,
): void {
  const a = req.auth;
  const actor = { tokenId: a?.tokenId ?? null, tokenName: a?.name ?? 'anonymous', role: a?.role ?? 'none', address: req.ip ?? null };
  const route = `${req.method} ${req.routeOptions.url ?? ''}`;
  const ids = debtorIds.length ? [...new Set(debtorIds)] : [null];
  deps.store.audit.append(actor, new Date(deps.clock.now()).toISOString(), ids.map((debtorId) => ({ debtorId, access, detail: { route, ...detail } })));
}
