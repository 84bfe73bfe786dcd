-- Figures for a token limited to creditors without scanning a campaign's calls
-- (docs/data-protection.md, "Cost of limited figures"): migration 013's call rollup, per
-- creditor as well. A call's creditor is its contact's claim's (claims.creditor); a call
-- without a contact (inbound) belongs to no creditor and is not here, as the limited figures
-- never counted it. Kept apart from call_rollup so the unlimited figures still sum as few rows.
--
-- A call's creditor can change after it was written: the claim's creditor on a re-import
-- (claims upsert), a contact moved to another claim, a contact or claim deleted (calls keep
-- their row, contact_id set to NULL). Triggers on contacts and claims move those calls' counts,
-- so the rollup always equals "the campaign's calls whose contact's claim is this creditor's".
-- The parent row is already gone when SQLite's ON DELETE SET NULL updates calls.contact_id, so
-- deletes are taken out BEFORE DELETE; the calls trigger then finds no creditor and does nothing.
CREATE TABLE call_rollup_by_creditor (
  campaign_id        INTEGER NOT NULL,
  creditor           TEXT NOT NULL,
  hour               TEXT NOT NULL,               -- substr(created_at, 1, 13): 'YYYY-MM-DDTHH', UTC
  direction          TEXT NOT NULL,
  disposition        TEXT NOT NULL,               -- '' while the call has none
  amd_status         TEXT NOT NULL,
  identity_confirmed INTEGER NOT NULL,
  message_heard      INTEGER NOT NULL,
  result             TEXT NOT NULL,
  n                  INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, creditor, hour, direction, disposition, amd_status, identity_confirmed, message_heard, result)
) WITHOUT ROWID;

INSERT INTO call_rollup_by_creditor
  SELECT ca.campaign_id, k.creditor, substr(ca.created_at, 1, 13), ca.direction, COALESCE(ca.disposition, ''), COALESCE(ca.amd_status, ''), ca.identity_confirmed,
         ca.message_heard, COALESCE(ca.result, ''), count(*)
    FROM calls ca JOIN contacts c ON c.id = ca.contact_id JOIN claims k ON k.id = c.claim_id
   WHERE ca.campaign_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

CREATE TRIGGER call_rollup_by_creditor_insert AFTER INSERT ON calls WHEN NEW.campaign_id IS NOT NULL AND NEW.contact_id IS NOT NULL BEGIN
  INSERT INTO call_rollup_by_creditor
    SELECT NEW.campaign_id, k.creditor, substr(NEW.created_at, 1, 13), NEW.direction, COALESCE(NEW.disposition, ''), COALESCE(NEW.amd_status, ''),
           NEW.identity_confirmed, NEW.message_heard, COALESCE(NEW.result, ''), 1
      FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.id = NEW.contact_id
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER call_rollup_by_creditor_delete AFTER DELETE ON calls WHEN OLD.campaign_id IS NOT NULL AND OLD.contact_id IS NOT NULL BEGIN
  UPDATE call_rollup_by_creditor SET n = n - 1
   WHERE campaign_id = OLD.campaign_id AND creditor = (SELECT k.creditor FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.id = OLD.contact_id)
     AND hour = substr(OLD.created_at, 1, 13) AND direction = OLD.direction AND disposition = COALESCE(OLD.disposition, '')
     AND amd_status = COALESCE(OLD.amd_status, '') AND identity_confirmed = OLD.identity_confirmed AND message_heard = OLD.message_heard AND result = COALESCE(OLD.result, '');
END;

CREATE TRIGGER call_rollup_by_creditor_update
  AFTER UPDATE OF campaign_id, contact_id, created_at, direction, disposition, amd_status, identity_confirmed, message_heard, result ON calls
  WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.contact_id IS NOT NEW.contact_id OR OLD.created_at IS NOT NEW.created_at OR OLD.direction IS NOT NEW.direction
    OR OLD.disposition IS NOT NEW.disposition OR OLD.amd_status IS NOT NEW.amd_status OR OLD.identity_confirmed IS NOT NEW.identity_confirmed
    OR OLD.message_heard IS NOT NEW.message_heard OR OLD.result IS NOT NEW.result
BEGIN
  UPDATE call_rollup_by_creditor SET n = n - 1
   WHERE OLD.campaign_id IS NOT NULL AND campaign_id = OLD.campaign_id
     AND creditor = (SELECT k.creditor FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.id = OLD.contact_id)
     AND hour = substr(OLD.created_at, 1, 13) AND direction = OLD.direction AND disposition = COALESCE(OLD.disposition, '')
     AND amd_status = COALESCE(OLD.amd_status, '') AND identity_confirmed = OLD.identity_confirmed AND message_heard = OLD.message_heard AND result = COALESCE(OLD.result, '');
  INSERT INTO call_rollup_by_creditor
    SELECT NEW.campaign_id, k.creditor, substr(NEW.created_at, 1, 13), NEW.direction, COALESCE(NEW.disposition, ''), COALESCE(NEW.amd_status, ''),
           NEW.identity_confirmed, NEW.message_heard, COALESCE(NEW.result, ''), 1
      FROM contacts c JOIN claims k ON k.id = c.claim_id WHERE c.id = NEW.contact_id AND NEW.campaign_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Moving calls between creditors: their rows counted out of one (n < 0 added) and into the
-- other, grouped, through calls_by_contact.
CREATE TRIGGER call_rollup_by_creditor_claim_creditor AFTER UPDATE OF creditor ON claims WHEN OLD.creditor IS NOT NEW.creditor BEGIN
  INSERT INTO call_rollup_by_creditor
    SELECT ca.campaign_id, x.creditor, substr(ca.created_at, 1, 13), ca.direction, COALESCE(ca.disposition, ''), COALESCE(ca.amd_status, ''), ca.identity_confirmed,
           ca.message_heard, COALESCE(ca.result, ''), x.sign * count(*)
      FROM contacts c JOIN calls ca ON ca.contact_id = c.id, (SELECT OLD.creditor AS creditor, -1 AS sign UNION ALL SELECT NEW.creditor, 1) x
     WHERE c.claim_id = NEW.id AND ca.campaign_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER call_rollup_by_creditor_contact_claim AFTER UPDATE OF claim_id ON contacts WHEN OLD.claim_id IS NOT NEW.claim_id BEGIN
  INSERT INTO call_rollup_by_creditor
    SELECT ca.campaign_id, x.creditor, substr(ca.created_at, 1, 13), ca.direction, COALESCE(ca.disposition, ''), COALESCE(ca.amd_status, ''), ca.identity_confirmed,
           ca.message_heard, COALESCE(ca.result, ''), x.sign * count(*)
      FROM calls ca, (SELECT k.creditor, -1 AS sign FROM claims k WHERE k.id = OLD.claim_id UNION ALL SELECT k.creditor, 1 FROM claims k WHERE k.id = NEW.claim_id) x
     WHERE ca.contact_id = NEW.id AND ca.campaign_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER call_rollup_by_creditor_contact_delete BEFORE DELETE ON contacts BEGIN
  INSERT INTO call_rollup_by_creditor
    SELECT ca.campaign_id, k.creditor, substr(ca.created_at, 1, 13), ca.direction, COALESCE(ca.disposition, ''), COALESCE(ca.amd_status, ''), ca.identity_confirmed,
           ca.message_heard, COALESCE(ca.result, ''), -count(*)
      FROM calls ca JOIN claims k ON k.id = OLD.claim_id
     WHERE ca.contact_id = OLD.id AND ca.campaign_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER call_rollup_by_creditor_claim_delete BEFORE DELETE ON claims BEGIN
  INSERT INTO call_rollup_by_creditor
    SELECT ca.campaign_id, OLD.creditor, substr(ca.created_at, 1, 13), ca.direction, COALESCE(ca.disposition, ''), COALESCE(ca.amd_status, ''), ca.identity_confirmed,
           ca.message_heard, COALESCE(ca.result, ''), -count(*)
      FROM contacts c JOIN calls ca ON ca.contact_id = c.id
     WHERE c.claim_id = OLD.id AND ca.campaign_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- A campaign's contacts by status per creditor (the limited campaign stats): kept the same way.
-- Contacts' status changes on every attempt (pending → in_progress → pending): two small writes.
CREATE TABLE contact_rollup_by_creditor (
  campaign_id  INTEGER NOT NULL,
  creditor     TEXT NOT NULL,
  status       TEXT NOT NULL,
  n            INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, creditor, status)
) WITHOUT ROWID;

INSERT INTO contact_rollup_by_creditor
  SELECT c.campaign_id, k.creditor, c.status, count(*) FROM contacts c JOIN claims k ON k.id = c.claim_id GROUP BY 1, 2, 3;

CREATE TRIGGER contact_rollup_by_creditor_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contact_rollup_by_creditor SELECT NEW.campaign_id, k.creditor, NEW.status, 1 FROM claims k WHERE k.id = NEW.claim_id
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER contact_rollup_by_creditor_update AFTER UPDATE OF campaign_id, claim_id, status ON contacts
  WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.claim_id IS NOT NEW.claim_id OR OLD.status IS NOT NEW.status BEGIN
  UPDATE contact_rollup_by_creditor SET n = n - 1
   WHERE campaign_id = OLD.campaign_id AND creditor = (SELECT k.creditor FROM claims k WHERE k.id = OLD.claim_id) AND status = OLD.status;
  INSERT INTO contact_rollup_by_creditor SELECT NEW.campaign_id, k.creditor, NEW.status, 1 FROM claims k WHERE k.id = NEW.claim_id
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Before the row goes: a claim's contacts are deleted by ON DELETE CASCADE after the claim, when
-- their creditor can no longer be looked up; the claim's trigger takes them out first.
CREATE TRIGGER contact_rollup_by_creditor_delete BEFORE DELETE ON contacts BEGIN
  UPDATE contact_rollup_by_creditor SET n = n - 1
   WHERE campaign_id = OLD.campaign_id AND creditor = (SELECT k.creditor FROM claims k WHERE k.id = OLD.claim_id) AND status = OLD.status;
END;

CREATE TRIGGER contact_rollup_by_creditor_claim_delete BEFORE DELETE ON claims BEGIN
  INSERT INTO contact_rollup_by_creditor SELECT c.campaign_id, OLD.creditor, c.status, -count(*) FROM contacts c WHERE c.claim_id = OLD.id GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER contact_rollup_by_creditor_claim_creditor AFTER UPDATE OF creditor ON claims WHEN OLD.creditor IS NOT NEW.creditor BEGIN
  INSERT INTO contact_rollup_by_creditor
    SELECT c.campaign_id, x.creditor, c.status, x.sign * count(*)
      FROM contacts c, (SELECT OLD.creditor AS creditor, -1 AS sign UNION ALL SELECT NEW.creditor, 1) x
     WHERE c.claim_id = NEW.id GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
