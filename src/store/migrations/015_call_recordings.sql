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
