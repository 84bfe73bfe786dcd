/**
 * Creditor scopes (docs/data-protection.md). A token may be limited to some creditors
 * (claims.creditor, the import's Opdrachtgever). Every route declares in its config how it
 * treats such a token, so none can be forgotten:
 *
 * - `creditor`: the handler filters what it answers to creditorsOf(req), and an object of
 *   another creditor answers 404 (it does not exist for that token);
 * - `none`: the answer holds no debtor data (the API description, measuring a text, agents);
 * - `own-cases`: the agent's own routes, which answer about the agent behind the token only,
 *   and for a limited agent only about its creditors' debtors and claims (creditorsOf(req));
 * - `all-creditors`: the answer spans every creditor and is not filtered (yet): a limited
 *   token gets 403 AUTH_SCOPE, so a route nobody filtered fails closed.
 *
 * A route without a declaration is treated as `all-creditors` and
 * test/api/scope-every-route-declares-a-policy-and-shows-one-creditor-only.test.ts fails,
 * naming it. Public routes (`public: true`) need none: they answer no debtor data.
 */
import type { FastifyRequest } from 'fastify';
import { BereikError } from '../lib/errors.ts';

export const SCOPE_POLICIES = ['creditor', 'none', 'own-cases', 'all-creditors'] as const;
export type ScopePolicy = (typeof SCOPE_POLICIES)[number];

/** The creditors this request may see, or null for every creditor. */
export function creditorsOf(req: FastifyRequest): string[] | null {
  const c = req.auth?.creditors;
  return c && c.length ? c : null;
}

/** Throws AUTH_SCOPE when a limited token calls a route that does not filter by creditor. */
export function checkScope(policy: ScopePolicy | undefined, creditors: string[] | null, route: string): void {
  if (!creditors) return;
  if (policy === 'creditor' || policy === 'none' || policy === 'own-cases') return;
  throw new BereikError(
    'AUTH_SCOPE',
    `${route} answers across every creditor; this token is limited to ${creditors.join(', ')} and may not call it`,
    { route, creditors },
    403,
  );
}

/** 404 for an object outside the token's creditors: it does not exist for them. */
export function notFoundFor(what: string, id: string | number): BereikError {
  return new BereikError('NOT_FOUND', `${what} ${id} does not exist`, { id }, 404);
}
