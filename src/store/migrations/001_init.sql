-- Bereik schema, version 1. Money in integer cents, phones in E.164, times as UTC ISO-8601 text.

CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'agent')),
  token_hash    TEXT NOT NULL UNIQUE,           -- SHA-256 hex of the token; the token itself is never stored
  agent_id      INTEGER REFERENCES agents(id),  -- set for agent tokens
  created_at    TEXT NOT NULL,
  last_used_at  TEXT,
  revoked_at    TEXT
);

CREATE TABLE debtors (
  id            INTEGER PRIMARY KEY,
  external_ref  TEXT NOT NULL UNIQUE,           -- debiteurnummer from the back office
  name          TEXT NOT NULL,
  email         TEXT,
  language      TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  risk          TEXT NOT NULL DEFAULT 'medium' CHECK (risk IN ('low', 'medium', 'high')),
  time_zone     TEXT NOT NULL DEFAULT 'Europe/Amsterdam',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE phones (
  id            INTEGER PRIMARY KEY,
  debtor_id     INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  e164          TEXT NOT NULL,
  position      INTEGER NOT NULL DEFAULT 0,     -- order of preference (CSV column order)
  status        TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'valid', 'invalid', 'active', 'dead')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (debtor_id, e164)
);
-- caller recognition: who is calling from this number?
CREATE INDEX phones_by_e164 ON phones (e164);

CREATE TABLE claims (
  id            INTEGER PRIMARY KEY,
  debtor_id     INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  creditor      TEXT NOT NULL,
  invoice_ref   TEXT NOT NULL,
  amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
  currency      TEXT NOT NULL DEFAULT 'EUR',
  due_date      TEXT,                           -- YYYY-MM-DD
  pay_url       TEXT,
  status        TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'promised', 'arranged', 'disputed', 'paid', 'closed')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (debtor_id, invoice_ref)
);

CREATE TABLE campaigns (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('agentless', 'progressive', 'predictive', 'preview')),
  state         TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'running', 'paused', 'finished')),
  caller_id     TEXT NOT NULL,                  -- E.164, the recognisable number
  language      TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  default_country TEXT NOT NULL DEFAULT 'NL',
  settings      TEXT NOT NULL,                  -- JSON, see src/campaigns/settings.ts
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT
);

CREATE TABLE imports (
  id              INTEGER PRIMARY KEY,
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  file_name       TEXT,
  file_sha256     TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('running', 'rejected', 'completed', 'partial', 'failed')),
  skip_invalid    INTEGER NOT NULL DEFAULT 0,
  rows_total      INTEGER NOT NULL DEFAULT 0,
  rows_imported   INTEGER NOT NULL DEFAULT 0,
  rows_rejected   INTEGER NOT NULL DEFAULT 0,
  debtors_created INTEGER NOT NULL DEFAULT 0,
  claims_created  INTEGER NOT NULL DEFAULT 0,
  claims_updated  INTEGER NOT NULL DEFAULT 0,
  error           TEXT,                          -- file-level error message, if any
  created_at      TEXT NOT NULL,
  finished_at     TEXT
);
CREATE INDEX imports_by_hash ON imports (campaign_id, file_sha256);

-- every bad row of an import: line, column, value, reason; raw keeps the row for the rejects CSV
CREATE TABLE import_errors (
  id          INTEGER PRIMARY KEY,
  import_id   INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  line        INTEGER NOT NULL,
  column_name TEXT,
  value       TEXT,
  reason      TEXT NOT NULL,
  raw         TEXT
);
CREATE INDEX import_errors_by_import ON import_errors (import_id, line);

CREATE TABLE contacts (
  id                   INTEGER PRIMARY KEY,
  campaign_id          INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  claim_id             INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
  debtor_id            INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  -- pending: may be dialled once next_attempt_at has passed; in_progress: a call is live;
  -- done: closed with a result; exhausted: no attempts left; invalid: no callable phone; dnc: do-not-call
  status               TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'in_progress', 'done', 'exhausted', 'invalid', 'dnc')),
  attempts             INTEGER NOT NULL DEFAULT 0,
  next_attempt_at      TEXT,                    -- UTC; NULL = as soon as the policy allows
  last_attempt_at      TEXT,
  last_outcome         TEXT,
  last_conversation_at TEXT,
  abandoned_at         TEXT,                    -- last abandoned call (72 h rule)
  message_heard_at     TEXT,
  result               TEXT,
  import_id            INTEGER REFERENCES imports(id) ON DELETE SET NULL,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  UNIQUE (campaign_id, claim_id)
);
-- the dialer's question: which contacts of this campaign are due now?
CREATE INDEX contacts_due ON contacts (campaign_id, status, next_attempt_at);
CREATE INDEX contacts_by_debtor ON contacts (debtor_id);

CREATE TABLE agents (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  endpoint      TEXT NOT NULL UNIQUE,           -- e.g. PJSIP/agent1001
  skills        TEXT NOT NULL DEFAULT '[]',     -- JSON array of strings
  state         TEXT NOT NULL DEFAULT 'offline'
                CHECK (state IN ('offline', 'available', 'reserved', 'ringing', 'talking', 'wrap_up', 'paused')),
  state_since   TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE calls (
  id              TEXT PRIMARY KEY,             -- Bereik's call id (BEREIK_CALL_ID in the dialplan)
  direction       TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound', 'agent')),
  campaign_id     INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  contact_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  debtor_id       INTEGER REFERENCES debtors(id) ON DELETE SET NULL,
  phone_id        INTEGER REFERENCES phones(id) ON DELETE SET NULL,
  agent_id        INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  parent_call_id  TEXT REFERENCES calls(id),    -- agent leg → debtor's call
  channel_id      TEXT,
  from_number     TEXT,
  to_number       TEXT,
  state           TEXT NOT NULL DEFAULT 'dialing'
                  CHECK (state IN ('dialing', 'ringing', 'up', 'ended', 'interrupted')),
  disposition     TEXT CHECK (disposition IN ('answered', 'machine', 'busy', 'no_answer', 'failed', 'unreachable', 'abandoned')),
  amd_status      TEXT,
  amd_cause       TEXT,
  hangup_cause    INTEGER,
  hangup_text     TEXT,
  dtmf_path       TEXT NOT NULL DEFAULT '',
  message_heard   INTEGER NOT NULL DEFAULT 0,
  identity_confirmed INTEGER NOT NULL DEFAULT 0,
  result          TEXT,
  created_at      TEXT NOT NULL,
  answered_at     TEXT,
  ended_at        TEXT
);
CREATE INDEX calls_by_campaign ON calls (campaign_id, created_at);
CREATE INDEX calls_by_channel ON calls (channel_id);
CREATE INDEX calls_by_contact ON calls (contact_id);
CREATE INDEX calls_live ON calls (state) WHERE state IN ('dialing', 'ringing', 'up');

CREATE TABLE dnc (
  e164       TEXT PRIMARY KEY,
  reason     TEXT,
  added_at   TEXT NOT NULL
);

-- what the agent recorded after a conversation
CREATE TABLE dispositions (
  id            INTEGER PRIMARY KEY,
  call_id       TEXT REFERENCES calls(id) ON DELETE SET NULL,
  agent_id      INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  claim_id      INTEGER REFERENCES claims(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('promise_to_pay', 'payment_arrangement', 'dispute', 'wrong_person', 'callback', 'other')),
  promise_date  TEXT,
  amount_cents  INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
  callback_at   TEXT,
  note          TEXT,
  created_at    TEXT NOT NULL
);

-- debtor asked to be called back, or no agent was free
CREATE TABLE callback_requests (
  id          INTEGER PRIMARY KEY,
  debtor_id   INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  claim_id    INTEGER REFERENCES claims(id) ON DELETE CASCADE,
  call_id     TEXT REFERENCES calls(id) ON DELETE SET NULL,
  reason      TEXT NOT NULL,
  due_at      TEXT,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  created_at  TEXT NOT NULL
);

-- SMS the system wants sent (pay links); delivered by an SMS channel when one is configured
CREATE TABLE sms_outbox (
  id          INTEGER PRIMARY KEY,
  debtor_id   INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  claim_id    INTEGER REFERENCES claims(id) ON DELETE CASCADE,
  call_id     TEXT REFERENCES calls(id) ON DELETE SET NULL,
  to_e164     TEXT NOT NULL,
  body        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  created_at  TEXT NOT NULL
);

-- append-only log of everything that happened
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL,
  campaign_id INTEGER,
  contact_id  INTEGER,
  call_id     TEXT,
  data        TEXT                              -- JSON
);
CREATE INDEX events_by_call ON events (call_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
