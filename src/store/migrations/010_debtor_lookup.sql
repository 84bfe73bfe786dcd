-- The operator console's debtor search and timeline (src/store/debtor-lookup.ts): a name
-- prefix, a debtor's calls (inbound calls name the debtor but no contact), and the
-- dispositions on a debtor's claims, each by index instead of a scan of the whole table.
-- Numbered 010: whatsapp's 009 is on its way.
CREATE INDEX debtors_by_name ON debtors (name COLLATE NOCASE);
CREATE INDEX calls_by_debtor ON calls (debtor_id, created_at);
CREATE INDEX dispositions_by_claim ON dispositions (claim_id);
