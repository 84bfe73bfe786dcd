-- The score per action (docs/reports.md): actions done elsewhere (letters, visits) come in
-- as a CSV so the table compares every instrument. An imported action is an executed
-- action of the pseudo-strategy "import"; the file is recorded once (same file twice
-- changes nothing) and may carry what each action cost.

CREATE TABLE action_imports (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT NOT NULL UNIQUE,
  name        TEXT,
  rows        INTEGER NOT NULL,
  created_at  TEXT NOT NULL
);

ALTER TABLE actions ADD COLUMN import_id INTEGER REFERENCES action_imports(id) ON DELETE CASCADE;
-- Imported actions: what it cost, when the file says (else the unit cost of its kind).
ALTER TABLE actions ADD COLUMN cost_cents INTEGER CHECK (cost_cents IS NULL OR cost_cents >= 0);

-- The daily planner's runs, one row per local day planned (Europe/Amsterdam): `bereik serve`
-- plans at start when the day's run was missed (the service was down at the planned time).
CREATE TABLE strategy_plan_runs (
  day          TEXT PRIMARY KEY,                -- YYYY-MM-DD
  finished_at  TEXT NOT NULL,
  planned      INTEGER NOT NULL,
  executed     INTEGER NOT NULL
);
