/**
 * Payments test rig: a store with a campaign, debtors and claims as the fixtures under
 * test/fixtures/payments/ name them, a pending contact per claim and a queued SMS per
 * claim, so a test can see what a payment stops.
 */
import { sqliteHandle } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/repositories.ts';

export const AT = '2026-12-01T09:00:00.000Z';

export interface SeedClaim {
  debtorRef: string;
  invoiceRef: string;
  cents: number;
  paymentReference?: string;
  dueDate?: string;
}

/** The claims the fixtures pay: reference 1234…3456 (150.00), F2026-0042 (100.00), INV-7001 (200.00), INV-7002 (100.00), D-100's two. */
export const FIXTURE_CLAIMS: SeedClaim[] = [
  { debtorRef: 'D-001', invoiceRef: 'F2026-0001', cents: 15_000, paymentReference: '1234567890123456' },
  { debtorRef: 'D-002', invoiceRef: 'F2026-0042', cents: 10_000 },
  { debtorRef: 'D-003', invoiceRef: 'INV-7001', cents: 20_000 },
  { debtorRef: 'D-004', invoiceRef: 'INV-7002', cents: 10_000 },
  { debtorRef: 'D-100', invoiceRef: 'A-1', cents: 100_000, dueDate: '2026-10-01' },
  { debtorRef: 'D-100', invoiceRef: 'A-2', cents: 50_000, dueDate: '2026-09-01' },
];

export interface Seeded {
  campaignId: number;
  /** invoice ref → claim id */
  claims: Map<string, number>;
  debtors: Map<string, number>;
}

export function seedClaims(store: Store, claims: SeedClaim[] = FIXTURE_CLAIMS): Seeded {
  const db = sqliteHandle(store);
  const campaignId = Number(
    db.prepare(`INSERT INTO campaigns (name, mode, state, caller_id, settings, created_at, updated_at) VALUES ('Dec', 'agentless', 'running', '+31201234567', '{}', ?, ?)`).run(AT, AT).lastInsertRowid,
  );
  const out: Seeded = { campaignId, claims: new Map(), debtors: new Map() };
  let phone = 0;
  for (const c of claims) {
    let debtorId = out.debtors.get(c.debtorRef);
    if (debtorId === undefined) {
      debtorId = Number(db.prepare(`INSERT INTO debtors (external_ref, name, created_at, updated_at) VALUES (?, ?, ?, ?)`).run(c.debtorRef, `Debtor ${c.debtorRef}`, AT, AT).lastInsertRowid);
      db.prepare(`INSERT INTO phones (debtor_id, e164, created_at, updated_at) VALUES (?, ?, ?, ?)`).run(debtorId, `+3161000${String(++phone).padStart(4, '0')}`, AT, AT);
      out.debtors.set(c.debtorRef, debtorId);
    }
    const claimId = Number(
      db.prepare(`INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, payment_reference, created_at, updated_at) VALUES (?, 'Energie BV', ?, ?, ?, ?, ?, ?)`)
        .run(debtorId, c.invoiceRef, c.cents, c.dueDate ?? null, c.paymentReference ?? null, AT, AT).lastInsertRowid,
    );
    out.claims.set(c.invoiceRef, claimId);
    db.prepare(`INSERT INTO contacts (campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(campaignId, claimId, debtorId, AT, AT);
    db.prepare(`INSERT INTO messages (channel, source, debtor_id, claim_id, to_addr, sender, body, next_attempt_at, created_at, updated_at)
                VALUES ('sms', 'campaign', ?, ?, '+31610000001', 'number:+3197010587400', 'Betaal via https://x/p/abc', ?, ?, ?)`).run(debtorId, claimId, AT, AT, AT);
  }
  return out;
}

/** What a debtor and the dialer would see of a claim: its status, what is paid, its contact and its queued messages. */
export function claimState(store: Store, claimId: number) {
  const db = sqliteHandle(store);
  const claim = db.prepare(`SELECT status, amount_cents AS amountCents, paid_cents AS paidCents FROM claims WHERE id = ?`).get(claimId) as { status: string; amountCents: number; paidCents: number };
  const contact = db.prepare(`SELECT status, result FROM contacts WHERE claim_id = ?`).get(claimId) as { status: string; result: string | null };
  const messages = (db.prepare(`SELECT status FROM messages WHERE claim_id = ? ORDER BY id`).all(claimId) as Array<{ status: string }>).map((m) => m.status);
  return { ...claim, contact, messages };
}
