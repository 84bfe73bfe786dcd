/**
 * SQL fragments for tokens limited to creditors (src/http/scope.ts). The parameter is a JSON
 * array of creditor names, bound as :creditors / @creditors; NULL means every creditor.
 */

/** The :creditors parameter: a JSON array, or NULL for every creditor. */
export function creditorsParam(creditors: readonly string[] | null | undefined): string | null {
  return creditors && creditors.length ? JSON.stringify(creditors) : null;
}

/**
 * A call (alias `calls`, or the one named) about a claim of :creditors: its contact's claim.
 * Limited figures over many calls read the rollup per creditor (migration 020), which counts
 * by the same rule; this is for the few calls of the last minute or hour, and live calls. A
 * call without a contact (inbound) belongs to no creditor.
 */
export const callOfCreditors = (alias = 'calls') =>
  `EXISTS (SELECT 1 FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.id = ${alias}.contact_id AND k.creditor IN (SELECT value FROM json_each(:creditors)))`;
