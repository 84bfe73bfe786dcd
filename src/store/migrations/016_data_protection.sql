-- bereik: foreign-keys off
-- Data protection (issue 17, docs/data-protection.md): the read-only 'client' role and the
-- creditors a token is limited to; the append-only access audit with its hash chain; the
-- salted hashes of erased people's numbers; debtors marked erased. api_tokens is rebuilt to
-- allow the role 'client' (SQLite cannot change a CHECK in place).

CREATE TABLE api_tokens_new (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'agent', 'client', 'supervisor')),
  token_hash    TEXT NOT NULL UNIQUE,
  agent_id      INTEGER REFERENCES agents(id),
  created_at    TEXT NOT NULL,
  last_used_at  TEXT,
  revoked_at    TEXT
);
INSERT INTO api_tokens_new SELECT id, name, role, token_hash, agent_id, created_at, last_used_at, revoked_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

-- A token with rows here sees only these creditors (claims.creditor, the import's Opdrachtgever);
-- a token without rows sees every creditor. A client token always has at least one.
CREATE TABLE token_creditors (
  token_id  INTEGER NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
  creditor  TEXT NOT NULL,
  PRIMARY KEY (token_id, creditor)
);
-- Scope filters ask "has this debtor a claim of one of these creditors?"
CREATE INDEX claims_by_creditor ON claims (creditor, debtor_id);

-- Who read or changed which debtor's data. hash = SHA-256 over the previous entry's hash and
-- this entry's fields (src/store/audit.ts), so an edited or removed row breaks the chain.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  token_id    INTEGER,
  token_name  TEXT NOT NULL,
  role        TEXT NOT NULL,
  address     TEXT,
  debtor_id   INTEGER,
  access      TEXT NOT NULL,
  detail      TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_by_debtor ON audit_log (debtor_id, id);
CREATE INDEX audit_by_token ON audit_log (token_id, id);
CREATE INDEX audit_by_at ON audit_log (at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the access audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the access audit is append-only'); END;

-- Numbers of erased people, as SHA-256 of local_secrets.number_salt and the number: a later import
-- of the same number puts it on the do-not-call list without the erased number being kept.
CREATE TABLE erased_numbers (
  hash      TEXT PRIMARY KEY,
  added_at  TEXT NOT NULL
);
CREATE TABLE local_secrets (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
INSERT INTO local_secrets (name, value) VALUES ('number_salt', lower(hex(randomblob(32))));
-- A re-imported number of an erased person is never dialled nor texted (bereik_number_hash is
-- registered on every connection by src/store/db.ts).
CREATE TRIGGER phones_erased_number AFTER INSERT ON phones
  WHEN EXISTS (SELECT 1 FROM erased_numbers LIMIT 1) AND EXISTS (SELECT 1 FROM erased_numbers WHERE hash = bereik_number_hash(NEW.e164))
BEGIN
  INSERT OR IGNORE INTO dnc (e164, reason, added_at) VALUES (NEW.e164, 'erasure request', NEW.created_at);
  INSERT OR IGNORE INTO opt_outs (channel, address, source, created_at) VALUES ('sms', NEW.e164, 'erasure', NEW.created_at);
  INSERT OR IGNORE INTO opt_outs (channel, address, source, created_at) VALUES ('whatsapp', NEW.e164, 'erasure', NEW.created_at);
END;

ALTER TABLE debtors ADD COLUMN erased_at TEXT;
-- The same for an erased person's e-mail address arriving again with an import.
CREATE TRIGGER debtors_erased_email AFTER INSERT ON debtors
  WHEN NEW.email IS NOT NULL AND EXISTS (SELECT 1 FROM erased_numbers LIMIT 1) AND EXISTS (SELECT 1 FROM erased_numbers WHERE hash = bereik_number_hash(NEW.email))
BEGIN
  INSERT OR IGNORE INTO opt_outs (channel, address, source, created_at) VALUES ('email', NEW.email, 'erasure', NEW.created_at);
END;
