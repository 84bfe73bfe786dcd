/**
 * Migration 011 rebuilds the messages table (the source 'strategy') with foreign keys off:
 * every message, its tracked links and the replies that answer it must come through, still
 * tied together.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMigrations, migrate, openDb } from '../../src/store/db.ts';

test('upgrading a version-10 database keeps messages (WhatsApp templates too) with their links and replies; the strategy source is allowed after', () => {
  const all = loadMigrations();
  const db = openDb(':memory:', { migrations: all.filter((m) => m.version <= 10) });
  const at = '2026-01-05T10:00:00.000Z';
  db.exec(`INSERT INTO debtors (id, external_ref, name, created_at, updated_at) VALUES (1, 'D1', 'A', '${at}', '${at}')`);
  db.exec(`INSERT INTO messages (id, channel, source, debtor_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at)
           VALUES (5, 'sms', 'campaign', 1, '+31612345678', 'number:+3197010587400', 'pay here', 'delivered', '${at}', '${at}', '${at}')`);
  db.exec(`INSERT INTO messages (id, channel, source, debtor_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at, template)
           VALUES (6, 'whatsapp', 'api', 1, '+31612345678', 'whatsapp:+3197010587400', 'pay here', 'queued', '${at}', '${at}', '${at}', '{"name":"betaallink"}')`);
  db.exec(`INSERT INTO message_links (token, kind, message_id, debtor_id, target_url, created_at, expires_at) VALUES ('tok', 'pay', 5, 1, 'https://pay', '${at}', '${at}')`);
  db.exec(`INSERT INTO inbound_messages (channel, from_addr, to_addr, body, debtor_id, message_id, intent, received_at) VALUES ('sms', '+31612345678', '+3197010587400', 'BETAALD', 1, 5, 'paid', '${at}')`);
  migrate(db, all);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.deepEqual(db.prepare(`SELECT id, source, status, body, template FROM messages`).all(), [
    { id: 5, source: 'campaign', status: 'delivered', body: 'pay here', template: null },
    { id: 6, source: 'api', status: 'queued', body: 'pay here', template: '{"name":"betaallink"}' },
  ]);
  assert.equal(db.prepare(`SELECT message_id FROM message_links WHERE token = 'tok'`).pluck().get(), 5);
  assert.equal(db.prepare(`SELECT message_id FROM inbound_messages`).pluck().get(), 5);
  db.exec(`INSERT INTO messages (channel, source, debtor_id, to_addr, sender, body, next_attempt_at, created_at, updated_at) VALUES ('sms', 'strategy', 1, '+31612345678', 's', 'b', '${at}', '${at}', '${at}')`);
  // The links still hang off the (rebuilt) messages table: deleting the message takes its links.
  db.exec(`DELETE FROM messages WHERE id = 5`);
  assert.equal(db.prepare(`SELECT count(*) FROM message_links`).pluck().get(), 0);
  assert.equal(db.prepare(`SELECT message_id FROM inbound_messages`).pluck().get(), null);
  db.close();
});
