/**
 * Migration 006 rebuilds the campaigns table (new modes sms/email) with foreign keys off:
 * nothing that hangs off a campaign may be lost, and the SMS the IVR queued before the
 * outbox existed must still be sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMigrations, migrate, openDb } from '../../src/store/db.ts';

test('upgrading a version-5 database keeps every campaign, contact and call, and queued SMS become outbox messages', () => {
  const all = loadMigrations();
  const db = openDb(':memory:', { migrations: all.filter((m) => m.version <= 5) });
  const at = '2026-01-05T10:00:00.000Z';
  db.exec(`INSERT INTO campaigns (id, name, mode, caller_id, settings, created_at, updated_at) VALUES (7, 'c', 'agentless', '+31201234567', '{}', '${at}', '${at}')`);
  db.exec(`INSERT INTO debtors (id, external_ref, name, created_at, updated_at) VALUES (1, 'D1', 'A', '${at}', '${at}')`);
  db.exec(`INSERT INTO claims (id, debtor_id, creditor, invoice_ref, amount_cents, created_at, updated_at) VALUES (1, 1, 'Cr', 'F1', 1000, '${at}', '${at}')`);
  db.exec(`INSERT INTO contacts (id, campaign_id, claim_id, debtor_id, created_at, updated_at) VALUES (3, 7, 1, 1, '${at}', '${at}')`);
  db.exec(`INSERT INTO calls (id, direction, campaign_id, contact_id, debtor_id, created_at) VALUES ('c-1', 'outbound', 7, 3, 1, '${at}')`);
  db.exec(`INSERT INTO sms_outbox (debtor_id, claim_id, call_id, to_e164, body, status, created_at) VALUES (1, 1, 'c-1', '+31612345678', 'pay here', 'queued', '${at}')`);
  // the rest of the migrations, as openDb does on the next start
  migrate(db, all);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again after the rebuild');
  assert.equal((db.prepare('SELECT count(*) FROM contacts WHERE campaign_id = 7').pluck().get()), 1, 'the contact survived the rebuild (no cascade)');
  assert.equal((db.prepare(`SELECT campaign_id FROM calls WHERE id = 'c-1'`).pluck().get()), 7);
  const m = db.prepare(`SELECT channel, status, to_addr, body, call_id FROM messages`).all();
  assert.deepEqual(m, [{ channel: 'sms', status: 'queued', to_addr: '+31612345678', body: 'pay here', call_id: 'c-1' }]);
  db.exec(`INSERT INTO campaigns (name, mode, caller_id, settings, created_at, updated_at) VALUES ('m', 'sms', '+31201234567', '{}', '${at}', '${at}')`);
  assert.throws(() => db.exec(`INSERT INTO campaigns (name, mode, caller_id, settings, created_at, updated_at) VALUES ('x', 'fax', '+31201234567', '{}', '${at}', '${at}')`), /CHECK/);
  db.close();
});
