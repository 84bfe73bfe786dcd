-- bereik: foreign-keys off
-- (The messages table is rebuilt to allow the source 'strategy': SQLite cannot change a CHECK in
-- place. Foreign keys are off for the rebuild and checked before it commits: src/store/db.ts.)

-- Contact strategies (docs/strategy.md): versioned JSON documents, which debtor follows
-- which one, and every action planned and done for a debtor. The actions table is what the
-- score per action and champion/challenger will read (issue 13 §4–5): strategy id and
-- version, arm, segment, step, the claims it was about, and the link to its outcome
-- (message, contact, call).

CREATE TABLE strategies (
  id          TEXT NOT NULL,
  version     INTEGER NOT NULL CHECK (version >= 1),
  name        TEXT NOT NULL,
  json        TEXT NOT NULL,                     -- the validated document (src/strategy/schema.ts)
  active      INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
-- One active version per strategy; older versions are kept (actions name theirs).
CREATE UNIQUE INDEX strategies_one_active ON strategies (id) WHERE active = 1;

-- One debtor, one strategy: day 0 is started_on, the debtor's local date when assigned.
CREATE TABLE strategy_assignments (
  debtor_id         INTEGER PRIMARY KEY REFERENCES debtors(id) ON DELETE CASCADE,
  strategy_id       TEXT NOT NULL,
  strategy_version  INTEGER NOT NULL,
  arm               TEXT NOT NULL DEFAULT 'champion' CHECK (arm IN ('champion', 'challenger')),
  segment           TEXT,                        -- the segment at the last planning
  started_on        TEXT NOT NULL,               -- YYYY-MM-DD, debtor's local date
  assigned_at       TEXT NOT NULL
);
CREATE INDEX strategy_assignments_by_strategy ON strategy_assignments (strategy_id, strategy_version, arm);

CREATE TABLE actions (
  id                INTEGER PRIMARY KEY,
  debtor_id         INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  strategy_id       TEXT NOT NULL,
  strategy_version  INTEGER NOT NULL,
  arm               TEXT NOT NULL DEFAULT 'champion' CHECK (arm IN ('champion', 'challenger')),
  segment           TEXT NOT NULL,
  step_index        INTEGER NOT NULL,
  action            TEXT NOT NULL CHECK (action IN ('sms', 'email', 'call_ivr', 'call_agent', 'whatsapp', 'external')),
  kind              TEXT,                        -- external: letter, visit, …
  template          TEXT,
  channel           TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp', 'phone', 'external')),
  claim_ids         TEXT NOT NULL,               -- JSON array: the debtor's open claims when planned
  open_cents        INTEGER NOT NULL,            -- what was open then (amount less paid)
  event_on          TEXT,                        -- event steps: the local date of the event answered
  planned_for       TEXT NOT NULL,               -- YYYY-MM-DD, debtor's local date
  status            TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'executed', 'skipped', 'stopped', 'failed')),
  reason            TEXT,                        -- skipped/stopped/failed: why (a stable code)
  message_id        INTEGER REFERENCES messages(id) ON DELETE SET NULL,
  campaign_id       INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  contact_id        INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  call_id           TEXT REFERENCES calls(id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL,
  executed_at       TEXT
);
CREATE INDEX actions_by_debtor ON actions (debtor_id, planned_for);
-- What is still to be carried out, in the order it was planned (the executor's keyset).
CREATE INDEX actions_planned ON actions (id) WHERE status = 'planned';
CREATE INDEX actions_by_message ON actions (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX actions_by_contact ON actions (contact_id) WHERE contact_id IS NOT NULL;

-- A promise's date is read per promised claim when planning (dispositions were only ever listed by agent).
-- (010 made dispositions_by_claim on claim_id alone; the planner also filters by kind.)
DROP INDEX IF EXISTS dispositions_by_claim;
CREATE INDEX dispositions_by_claim ON dispositions (claim_id, kind);

-- Messages a strategy step queued: source 'strategy' (the outbox holds 'campaign' messages to
-- their campaign's lifecycle; a strategy's have no campaign). The action row links the message.
CREATE TABLE messages_new (
  id              INTEGER PRIMARY KEY,
  channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp')),
  source          TEXT NOT NULL CHECK (source IN ('ivr', 'desktop', 'campaign', 'api', 'reply', 'strategy')),
  debtor_id       INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  claim_id        INTEGER REFERENCES claims(id) ON DELETE SET NULL,
  campaign_id     INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  contact_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  call_id         TEXT REFERENCES calls(id) ON DELETE SET NULL,
  agent_id        INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  reply_id        INTEGER,                       -- the inbound reply this message answers
  to_addr         TEXT NOT NULL,                 -- E.164 for SMS/WhatsApp, an address for e-mail
  sender          TEXT NOT NULL,                 -- 'number:+3197…', 'alphanumeric:Incasso', or the From of an e-mail
  language        TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  subject         TEXT,
  body            TEXT NOT NULL,
  html            TEXT,
  options         TEXT,                          -- JSON: numbered reply options offered
  parts           INTEGER,
  status          TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'submitting', 'submitted', 'delivered', 'failed', 'expired', 'uncertain', 'cancelled')),
  provider_id     TEXT,
  error_code      TEXT,
  error           TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,                 -- UTC; not before (windows, retries)
  created_at      TEXT NOT NULL,
  submitted_at    TEXT,
  done_at         TEXT,
  updated_at      TEXT NOT NULL,
  template        TEXT                           -- WhatsApp: {"name","language","params"} (009)
);
INSERT INTO messages_new SELECT * FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_by_provider ON messages (channel, provider_id);
CREATE INDEX messages_by_debtor ON messages (debtor_id, channel, created_at);
CREATE INDEX messages_by_campaign ON messages (campaign_id, status);
CREATE INDEX messages_by_to ON messages (to_addr, created_at);
