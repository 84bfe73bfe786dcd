-- The score per action without reading every action (issue 13: 10,000,000 actions in ≤ 2 s;
-- docs/reports.md, "The rollup"). What each debtor's actions earned under the configured
-- attribution window is kept as day rows, recomputed for one debtor whenever something that
-- changes its attribution is written, in that write's transaction (src/store/action-rollup.ts).
--
-- Triggers below mark a debtor dirty on every such write, whatever code does it (an action
-- executed or imported, a message's status, a call and its agent leg, a payment matched,
-- reversed or back-dated, a claim's amount, a promise or arrangement); the store's
-- transactions recompute the dirty debtors before they commit, and the report recomputes any
-- left (a write outside a transaction) before it reads. Existing data is not rolled up here:
-- `bereik serve` fills the rollup in batches after start, logging its progress, and until it
-- is done the report answers from the exact path and says so.

-- A call action links to its call (actions.call_id, issue 13): the first outbound call about
-- its contact from when it was executed, before the next call action on that contact took
-- over (the report's rule for which calls an action led to; later attempts share the contact).
-- Filled for the actions already there, then by a trigger as the dialer records each call.
UPDATE actions SET call_id = (
  SELECT c.id FROM calls c
   WHERE c.contact_id = actions.contact_id AND c.direction = 'outbound' AND c.created_at >= actions.executed_at
     AND NOT EXISTS (SELECT 1 FROM actions b
                      WHERE b.contact_id = actions.contact_id AND b.status = 'executed' AND b.action IN ('call_ivr', 'call_agent') AND b.executed_at <= c.created_at
                        AND (b.executed_at > actions.executed_at OR (b.executed_at = actions.executed_at AND b.id > actions.id)))
   ORDER BY c.created_at, c.id LIMIT 1)
 WHERE call_id IS NULL AND contact_id IS NOT NULL AND status = 'executed' AND action IN ('call_ivr', 'call_agent');

CREATE TRIGGER action_call_link AFTER INSERT ON calls WHEN NEW.direction = 'outbound' AND NEW.contact_id IS NOT NULL BEGIN
  UPDATE actions SET call_id = NEW.id
   WHERE id = (SELECT id FROM actions WHERE contact_id = NEW.contact_id AND status = 'executed' AND action IN ('call_ivr', 'call_agent') AND executed_at <= NEW.created_at
                ORDER BY executed_at DESC, id DESC LIMIT 1)
     AND call_id IS NULL;
END;

-- One row per debtor: the facts its attribution was last computed from (its executed actions
-- with what they reached and cost, and its payments, promises and arrangements), so the next
-- recomputation can take the old contribution out of the day rows before adding the new one.
CREATE TABLE action_attribution_debtors (
  debtor_id  INTEGER PRIMARY KEY,
  facts      TEXT NOT NULL
);

-- Debtors whose facts changed since their attribution was computed.
CREATE TABLE action_rollup_dirty (
  debtor_id  INTEGER PRIMARY KEY
) WITHOUT ROWID;

-- The additive columns per planned day and filter dimensions (campaign 0: none). Cost is kept
-- as units (SMS parts, messages sent, call and agent milliseconds, imported cents, unpriced
-- external actions) so a change of unit costs needs no rebuild.
CREATE TABLE action_rollup (
  day                TEXT NOT NULL,
  campaign_id        INTEGER NOT NULL,
  segment            TEXT NOT NULL,
  strategy_id        TEXT NOT NULL,
  arm                TEXT NOT NULL,
  action_key         TEXT NOT NULL,
  executed           INTEGER NOT NULL,
  with_result        INTEGER NOT NULL,
  paid_full          INTEGER NOT NULL,
  paid_partial       INTEGER NOT NULL,
  arrangement        INTEGER NOT NULL,
  promise            INTEGER NOT NULL,
  reached            INTEGER NOT NULL,
  last_touch_cents   INTEGER NOT NULL,
  units              INTEGER NOT NULL,
  call_ms            INTEGER NOT NULL,
  agent_ms           INTEGER NOT NULL,
  external_cents     INTEGER NOT NULL,
  external_unpriced  INTEGER NOT NULL,
  PRIMARY KEY (day, campaign_id, segment, strategy_id, arm, action_key)
) WITHOUT ROWID;

-- The distinct columns (invoices; payments by any touch) as "first touch in the range" rows:
-- a touch counts when the previous touch of its group (the same claim or payment, the same
-- action type or '*' for the total) was planned before the report's first day. The group's
-- dimensions matter only where they vary inside it (`varying`, a bit mask: 1 campaign,
-- 2 segment, 4 strategy, 8 arm); `grouped` says which of those the previous touch was looked
-- for within, and a report filtering on mask m reads the rows where varying & m = grouped.
CREATE TABLE action_rollup_distinct (
  day              TEXT NOT NULL,
  varying          INTEGER NOT NULL,
  grouped          INTEGER NOT NULL,
  campaign_id      INTEGER NOT NULL,
  segment          TEXT NOT NULL,
  strategy_id      TEXT NOT NULL,
  arm              TEXT NOT NULL,
  action_key       TEXT NOT NULL,
  prev_day         TEXT NOT NULL,                 -- '' when there is none
  invoices         INTEGER NOT NULL,
  any_touch_cents  INTEGER NOT NULL,
  PRIMARY KEY (day, varying, grouped, campaign_id, segment, strategy_id, arm, action_key, prev_day)
) WITHOUT ROWID;

-- The window the rollup was computed with, and how far the backfill has come (debtor ids up
-- to built_through are in; complete = 1 when every debtor is).
CREATE TABLE action_rollup_state (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  window_days     INTEGER NOT NULL,
  built_through   INTEGER NOT NULL,
  complete        INTEGER NOT NULL,
  updated_at      TEXT
);
INSERT INTO action_rollup_state (id, window_days, built_through, complete)
  VALUES (1, 14, 0, NOT EXISTS (SELECT 1 FROM actions WHERE status = 'executed'));

-- Marking: an executed action always; anything else only for a debtor the rollup already holds
-- (one not yet backfilled is read whole when the backfill reaches it).
CREATE TRIGGER action_rollup_action_insert AFTER INSERT ON actions WHEN NEW.status = 'executed' BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id) VALUES (NEW.debtor_id);
END;
CREATE TRIGGER action_rollup_action_update
  AFTER UPDATE OF debtor_id, strategy_id, arm, segment, action, kind, claim_ids, planned_for, status, message_id, campaign_id, contact_id, executed_at, cost_cents ON actions
  WHEN NEW.status = 'executed' OR OLD.status = 'executed' BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id) VALUES (NEW.debtor_id);
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id) SELECT OLD.debtor_id WHERE OLD.debtor_id IS NOT NEW.debtor_id;
END;
CREATE TRIGGER action_rollup_action_delete AFTER DELETE ON actions WHEN OLD.status = 'executed' BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id) VALUES (OLD.debtor_id);
END;

-- Only what the report reads (delivered; accepted for e-mail; sent and its parts): queued →
-- submitting and back, on every send, changes nothing.
CREATE TRIGGER action_rollup_message_update AFTER UPDATE OF status, parts, submitted_at, debtor_id ON messages
  WHEN ((OLD.status = 'delivered') IS NOT (NEW.status = 'delivered') OR (OLD.status = 'submitted') IS NOT (NEW.status = 'submitted')
        OR OLD.parts IS NOT NEW.parts OR OLD.submitted_at IS NOT NEW.submitted_at OR OLD.debtor_id IS NOT NEW.debtor_id)
    AND NEW.debtor_id IS NOT NULL AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = NEW.debtor_id) BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id) VALUES (NEW.debtor_id);
END;

CREATE TRIGGER action_rollup_call_insert AFTER INSERT ON calls
  WHEN NEW.debtor_id IS NOT NULL AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = NEW.debtor_id) BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id) VALUES (NEW.debtor_id);
END;
CREATE TRIGGER action_rollup_call_update AFTER UPDATE OF direction, contact_id, debtor_id, parent_call_id, created_at, disposition, answered_at, ended_at ON calls
  WHEN OLD.direction IS NOT NEW.direction OR OLD.contact_id IS NOT NEW.contact_id OR OLD.debtor_id IS NOT NEW.debtor_id OR OLD.parent_call_id IS NOT NEW.parent_call_id
    OR OLD.created_at IS NOT NEW.created_at OR OLD.disposition IS NOT NEW.disposition OR OLD.answered_at IS NOT NEW.answered_at OR OLD.ended_at IS NOT NEW.ended_at BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT x FROM (SELECT NEW.debtor_id AS x UNION SELECT OLD.debtor_id)
     WHERE x IS NOT NULL AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = x);
END;
CREATE TRIGGER action_rollup_call_delete AFTER DELETE ON calls
  WHEN OLD.debtor_id IS NOT NULL AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = OLD.debtor_id) BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id) VALUES (OLD.debtor_id);
END;

-- Payments and promises belong to a debtor through their claim (as the report reads them).
CREATE TRIGGER action_rollup_payment_insert AFTER INSERT ON payments WHEN NEW.claim_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT c.debtor_id FROM claims c WHERE c.id = NEW.claim_id AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = c.debtor_id);
END;
CREATE TRIGGER action_rollup_payment_update AFTER UPDATE OF kind, status, claim_id, amount_cents, booked_on ON payments BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT c.debtor_id FROM claims c WHERE c.id IN (NEW.claim_id, OLD.claim_id) AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = c.debtor_id);
END;
CREATE TRIGGER action_rollup_payment_delete AFTER DELETE ON payments WHEN OLD.claim_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT c.debtor_id FROM claims c WHERE c.id = OLD.claim_id AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = c.debtor_id);
END;

-- "Paid in full" depends on the claim's amount.
CREATE TRIGGER action_rollup_claim_update AFTER UPDATE OF amount_cents, debtor_id ON claims BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT x FROM (SELECT NEW.debtor_id AS x UNION SELECT OLD.debtor_id)
     WHERE EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = x);
END;

CREATE TRIGGER action_rollup_disposition_insert AFTER INSERT ON dispositions WHEN NEW.kind IN ('promise_to_pay', 'payment_arrangement') BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT c.debtor_id FROM claims c WHERE c.id = NEW.claim_id AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = c.debtor_id);
END;
CREATE TRIGGER action_rollup_disposition_update AFTER UPDATE OF kind, claim_id, created_at ON dispositions BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT c.debtor_id FROM claims c WHERE c.id IN (NEW.claim_id, OLD.claim_id) AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = c.debtor_id);
END;
CREATE TRIGGER action_rollup_disposition_delete AFTER DELETE ON dispositions WHEN OLD.kind IN ('promise_to_pay', 'payment_arrangement') BEGIN
  INSERT OR IGNORE INTO action_rollup_dirty (debtor_id)
    SELECT c.debtor_id FROM claims c WHERE c.id = OLD.claim_id AND EXISTS (SELECT 1 FROM action_attribution_debtors WHERE debtor_id = c.debtor_id);
END;
