-- Which process runs an import (host and pid), so a service starting beside a running
-- `bereik import` does not mark that import failed: only imports whose process is gone are.
ALTER TABLE imports ADD COLUMN owner TEXT;
