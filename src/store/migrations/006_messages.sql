-- bereik: foreign-keys off
-- (The campaigns table is rebuilt to allow the message modes; SQLite's documented way is with
-- foreign keys off for the rebuild, then a foreign_key_check before the transaction commits:
-- src/store/db.ts does both when a migration starts with the line above.)

-- Messages: SMS, e-mail, WhatsApp, each sent once through the outbox (src/messaging/outbox.ts).
--   queued → submitting → submitted (provider id) → delivered | failed | expired
--   submitting when the process died → uncertain (SMPP has no idempotency key: never resent blindly)
--   queued → cancelled (opt-out, paid, operator) ; queued → failed (no sender, capped for good)
CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp')),
  source          TEXT NOT NULL CHECK (source IN ('ivr', 'desktop', 'campaign', 'api', 'reply')),
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
  updated_at      TEXT NOT NULL
);
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_by_provider ON messages (channel, provider_id);
CREATE INDEX messages_by_debtor ON messages (debtor_id, channel, created_at);
CREATE INDEX messages_by_campaign ON messages (campaign_id, status);
CREATE INDEX messages_by_to ON messages (to_addr, created_at);

-- What was queued before messages existed is carried over, to be sent now.
INSERT INTO messages (channel, source, debtor_id, claim_id, call_id, to_addr, sender, body, status, next_attempt_at, created_at, updated_at)
  SELECT 'sms', 'ivr', debtor_id, claim_id, call_id, to_e164, '', body,
         CASE status WHEN 'queued' THEN 'queued' WHEN 'sent' THEN 'submitted' ELSE 'failed' END,
         created_at, created_at, created_at
    FROM sms_outbox;
DROP TABLE sms_outbox;

-- Replies and other inbound messages; free text waits in the agents' inbox.
CREATE TABLE inbound_messages (
  id              INTEGER PRIMARY KEY,
  channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp')),
  from_addr       TEXT NOT NULL,
  to_addr         TEXT NOT NULL,
  body            TEXT NOT NULL,
  debtor_id       INTEGER REFERENCES debtors(id) ON DELETE CASCADE,
  message_id      INTEGER REFERENCES messages(id) ON DELETE SET NULL,  -- what it answers
  intent          TEXT NOT NULL CHECK (intent IN ('paid', 'arrangement', 'callback', 'stop', 'option', 'free_text', 'empty')),
  option_digit    TEXT,
  status          TEXT NOT NULL DEFAULT 'handled' CHECK (status IN ('open', 'assigned', 'closed', 'handled')),
  agent_id        INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  received_at     TEXT NOT NULL,
  closed_at       TEXT
);
CREATE INDEX inbound_by_status ON inbound_messages (status, received_at);
CREATE INDEX inbound_by_debtor ON inbound_messages (debtor_id, received_at);

-- Opt-outs per channel and address: kept apart from the debtor rows, so no re-import undoes them.
CREATE TABLE opt_outs (
  channel     TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp')),
  address     TEXT NOT NULL,
  source      TEXT NOT NULL,                   -- 'reply', 'unsubscribe_link', 'operator', …
  created_at  TEXT NOT NULL,
  PRIMARY KEY (channel, address)
);

-- Short links: /p/<token> records the open and redirects to the pay page; /u/<token> unsubscribes.
CREATE TABLE message_links (
  token           TEXT PRIMARY KEY,              -- ≥ 96 random bits, base64url
  kind            TEXT NOT NULL CHECK (kind IN ('pay', 'unsubscribe')),
  message_id      INTEGER REFERENCES messages(id) ON DELETE CASCADE,
  debtor_id       INTEGER NOT NULL REFERENCES debtors(id) ON DELETE CASCADE,
  claim_id        INTEGER REFERENCES claims(id) ON DELETE CASCADE,
  channel         TEXT,
  address         TEXT,                          -- unsubscribe: what to opt out
  target_url      TEXT,                          -- pay: the creditor's pay page
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  opens           INTEGER NOT NULL DEFAULT 0,
  first_opened_at TEXT,
  last_opened_at  TEXT
);
CREATE INDEX message_links_by_message ON message_links (message_id);

-- A debtor's reply "already paid" puts the claim up for review; their contacts wait meanwhile.
ALTER TABLE claims ADD COLUMN review_reason TEXT;
ALTER TABLE claims ADD COLUMN review_at TEXT;
ALTER TABLE contacts ADD COLUMN paused_reason TEXT;
-- An SMS that could not be delivered to this number (with the telephony status: dead on both = invalid).
ALTER TABLE phones ADD COLUMN sms_undeliverable_at TEXT;

-- Campaigns: the message modes sms and email.
CREATE TABLE campaigns_new (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('agentless', 'progressive', 'predictive', 'preview', 'sms', 'email')),
  state         TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'running', 'paused', 'finished')),
  caller_id     TEXT NOT NULL,
  language      TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  default_country TEXT NOT NULL DEFAULT 'NL',
  settings      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT,
  paused_reason TEXT
);
INSERT INTO campaigns_new (id, name, mode, state, caller_id, language, default_country, settings, created_at, updated_at, started_at, finished_at, paused_reason)
  SELECT id, name, mode, state, caller_id, language, default_country, settings, created_at, updated_at, started_at, finished_at, paused_reason FROM campaigns;
DROP TABLE campaigns;
ALTER TABLE campaigns_new RENAME TO campaigns;
