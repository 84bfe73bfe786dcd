-- bereik: foreign-keys off
-- Issue 16 §3–4: the supervisor role, and recordings of agent conversations.
-- api_tokens is rebuilt to allow the role 'supervisor' (SQLite cannot change a CHECK in
-- place); token_creditors keeps pointing at it by name. A supervisor token names the agent
-- record whose endpoint is the supervisor's phone (docs/supervisors.md).
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

-- Recordings of agent conversations (issue 16 §4, docs/call-recordings.md): one row per
-- recording of the bridge where a debtor talked with an agent, linked to the debtor's call,
-- the agent, the campaign and the debtor. `file` is the name under the recordings directory
-- (config recordings.dir); it is NULL while Asterisk still records and when it failed. Rows go
-- with the call's retention (src/store/retention.ts) and with an erasure of the debtor; the
-- files of rows that are gone are removed from disk right after (src/recordings/calls.ts).
CREATE TABLE call_recordings (
  id            INTEGER PRIMARY KEY,
  call_id       TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  agent_call_id TEXT,
  agent_id      INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  campaign_id   INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  debtor_id     INTEGER REFERENCES debtors(id) ON DELETE SET NULL,
  name          TEXT NOT NULL UNIQUE,
  state         TEXT NOT NULL CHECK (state IN ('recording', 'stored', 'failed')),
  file          TEXT,
  format        TEXT NOT NULL DEFAULT 'wav',
  bytes         INTEGER,
  duration_sec  INTEGER,
  announced     INTEGER NOT NULL DEFAULT 0,
  started_at    TEXT NOT NULL,
  ended_at      TEXT
);
CREATE INDEX call_recordings_by_call ON call_recordings (call_id);
CREATE INDEX call_recordings_by_debtor ON call_recordings (debtor_id, started_at);
CREATE INDEX call_recordings_by_start ON call_recordings (started_at);
