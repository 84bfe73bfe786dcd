-- The console's figures without scanning a campaign's calls (issue 14: each page < 300 ms
-- with 5,000,000 calls): calls counted per campaign, UTC hour and the fields the live view
-- and reports group by, kept by triggers as calls are written. A campaign's totals, its
-- funnel and its answer rate by hour are sums over a few hundred rows a day.
-- Rows that fall to n = 0 stay (they are few and come back the next hour).
CREATE TABLE call_rollup (
  campaign_id        INTEGER NOT NULL,
  hour               TEXT NOT NULL,               -- substr(created_at, 1, 13): 'YYYY-MM-DDTHH', UTC
  direction          TEXT NOT NULL,
  disposition        TEXT NOT NULL,               -- '' while the call has none
  amd_status         TEXT NOT NULL,
  identity_confirmed INTEGER NOT NULL,
  message_heard      INTEGER NOT NULL,
  result             TEXT NOT NULL,
  n                  INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, hour, direction, disposition, amd_status, identity_confirmed, message_heard, result)
) WITHOUT ROWID;

INSERT INTO call_rollup
  SELECT campaign_id, substr(created_at, 1, 13), direction, COALESCE(disposition, ''), COALESCE(amd_status, ''), identity_confirmed, message_heard, COALESCE(result, ''), count(*)
    FROM calls WHERE campaign_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TRIGGER call_rollup_insert AFTER INSERT ON calls WHEN NEW.campaign_id IS NOT NULL BEGIN
  INSERT INTO call_rollup VALUES (NEW.campaign_id, substr(NEW.created_at, 1, 13), NEW.direction, COALESCE(NEW.disposition, ''), COALESCE(NEW.amd_status, ''),
      NEW.identity_confirmed, NEW.message_heard, COALESCE(NEW.result, ''), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER call_rollup_delete AFTER DELETE ON calls WHEN OLD.campaign_id IS NOT NULL BEGIN
  UPDATE call_rollup SET n = n - 1
   WHERE campaign_id = OLD.campaign_id AND hour = substr(OLD.created_at, 1, 13) AND direction = OLD.direction AND disposition = COALESCE(OLD.disposition, '')
     AND amd_status = COALESCE(OLD.amd_status, '') AND identity_confirmed = OLD.identity_confirmed AND message_heard = OLD.message_heard AND result = COALESCE(OLD.result, '');
END;

CREATE TRIGGER call_rollup_update AFTER UPDATE OF campaign_id, created_at, direction, disposition, amd_status, identity_confirmed, message_heard, result ON calls
  WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.created_at IS NOT NEW.created_at OR OLD.direction IS NOT NEW.direction OR OLD.disposition IS NOT NEW.disposition
    OR OLD.amd_status IS NOT NEW.amd_status OR OLD.identity_confirmed IS NOT NEW.identity_confirmed OR OLD.message_heard IS NOT NEW.message_heard OR OLD.result IS NOT NEW.result
BEGIN
  UPDATE call_rollup SET n = n - 1
   WHERE OLD.campaign_id IS NOT NULL AND campaign_id = OLD.campaign_id AND hour = substr(OLD.created_at, 1, 13) AND direction = OLD.direction AND disposition = COALESCE(OLD.disposition, '')
     AND amd_status = COALESCE(OLD.amd_status, '') AND identity_confirmed = OLD.identity_confirmed AND message_heard = OLD.message_heard AND result = COALESCE(OLD.result, '');
  INSERT INTO call_rollup SELECT NEW.campaign_id, substr(NEW.created_at, 1, 13), NEW.direction, COALESCE(NEW.disposition, ''), COALESCE(NEW.amd_status, ''),
      NEW.identity_confirmed, NEW.message_heard, COALESCE(NEW.result, ''), 1
    WHERE NEW.campaign_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The funnel's "paid": matched payments booked in the report's days, found by day rather
-- than by walking every matched payment.
CREATE INDEX payments_matched_by_day ON payments (booked_on) WHERE kind = 'payment' AND status = 'matched';
