-- Payments in (docs/payments.md): bank statements (CAMT.053), payment CSVs and a PSP webhook,
-- matched to claims. Kept whole so a report can attribute each euro later: amount, date,
-- claim, debtor, source and the rule that matched it.

-- The betalingskenmerk printed on the creditor's invoice (16 digits, no spaces): the surest match.
ALTER TABLE claims ADD COLUMN payment_reference TEXT;
-- What has been paid on the claim so far (matched payments minus reversals).
ALTER TABLE claims ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0;
CREATE INDEX claims_by_payment_reference ON claims (payment_reference) WHERE payment_reference IS NOT NULL;
-- An invoice number found in a transfer's description is looked up over every debtor.
CREATE INDEX claims_by_invoice_ref ON claims (invoice_ref);

-- One uploaded file: the same file (same SHA-256) twice changes nothing.
CREATE TABLE payment_files (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT NOT NULL UNIQUE,
  name          TEXT,
  kind          TEXT NOT NULL CHECK (kind IN ('csv', 'camt053')),
  entries       INTEGER NOT NULL DEFAULT 0,
  matched       INTEGER NOT NULL DEFAULT 0,
  unmatched     INTEGER NOT NULL DEFAULT 0,
  duplicates    INTEGER NOT NULL DEFAULT 0,
  reversed      INTEGER NOT NULL DEFAULT 0,
  ignored       INTEGER NOT NULL DEFAULT 0,
  rejected      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  completed_at  TEXT                             -- NULL while (or if) the file is being read: a retry finishes it
);

CREATE TABLE payments (
  id                INTEGER PRIMARY KEY,
  kind              TEXT NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment', 'reversal')),
  claim_id          INTEGER REFERENCES claims(id) ON DELETE SET NULL,
  debtor_id         INTEGER REFERENCES debtors(id) ON DELETE SET NULL,
  amount_cents      INTEGER NOT NULL CHECK (amount_cents > 0),
  currency          TEXT NOT NULL DEFAULT 'EUR',
  booked_on         TEXT NOT NULL,               -- YYYY-MM-DD (bank booking date, or the day paid)
  value_date        TEXT,
  source            TEXT NOT NULL CHECK (source IN ('csv', 'camt053', 'api')),
  external_id       TEXT NOT NULL,               -- bank entry reference, PSP event id, or a CSV row's fingerprint
  end_to_end_id     TEXT,                        -- SEPA EndToEndId: what a storno names
  payment_reference TEXT,                        -- betalingskenmerk as paid (16 digits)
  description       TEXT,
  counterparty_name TEXT,                        -- personal data: stored, never logged
  counterparty_iban TEXT,
  return_reason     TEXT,                        -- storno: the bank's reason code (MD06, AM04…)
  matched_by        TEXT CHECK (matched_by IN ('claim_id', 'payment_reference', 'invoice_ref', 'debtor_ref', 'manual')),
  status            TEXT NOT NULL CHECK (status IN ('matched', 'unmatched', 'reversed')),
  reverses_id       INTEGER REFERENCES payments(id),  -- a reversal: the payment it takes back
  overpaid_cents    INTEGER NOT NULL DEFAULT 0,  -- what this payment brought past the claim's amount
  file_id           INTEGER REFERENCES payment_files(id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX payments_by_status ON payments (status, id);
CREATE INDEX payments_by_claim ON payments (claim_id, booked_on);
CREATE INDEX payments_by_end_to_end ON payments (end_to_end_id) WHERE end_to_end_id IS NOT NULL;

-- Webhook signatures already accepted (replay protection); kept past the 5-minute window, then pruned.
CREATE TABLE payment_webhook_signatures (
  signature     TEXT PRIMARY KEY,
  received_at   TEXT NOT NULL
);
