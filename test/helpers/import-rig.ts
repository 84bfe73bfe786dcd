/** The import service on an in-memory database with a fake clock and a temporary directory, for unit tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { CampaignService } from '../../src/campaigns/service.ts';
import { ImportService } from '../../src/campaigns/import/service.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

export function importRig(t: { after(fn: () => void): void }, opts: { liveCalls?: () => number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDb(':memory:');
  t.after(() => db.close());
  const clock = new FakeClock(Date.parse('2026-03-02T09:00:00Z'));
  const log = silentLogger();
  const campaigns = new CampaignService({ store: createSqliteStore(db), clock, log });
  const imports = new ImportService({ store: createSqliteStore(db), clock, log, campaigns, ...opts });
  return { dir, db, clock, campaigns, imports };
}
