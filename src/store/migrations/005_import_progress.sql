-- How many errors an import found in all: only the first bad rows are stored (ImportService),
-- so the count can no longer be taken from import_errors. NULL on imports from before this.
ALTER TABLE imports ADD COLUMN errors_total INTEGER;
