-- Caller recognition asks, for each open claim of a caller, whether its message was heard
-- and which contact is the latest (src/store/recognition.ts): by claim_id, which the
-- UNIQUE (campaign_id, claim_id) index cannot serve. Without this, every inbound call
-- scanned the whole contacts table.
CREATE INDEX contacts_by_claim ON contacts (claim_id);
