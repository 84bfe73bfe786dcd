/**
 * The campaign and import services on the configured database without the HTTP server,
 * for the `bereik campaign|import|token` commands: same code paths as the API.
 */
import { loadConfig } from '../config/load.ts';
import { SystemClock, type Clock } from '../lib/clock.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { openDb, type Db } from '../store/db.ts';
import { CampaignService } from './service.ts';
import { ImportService } from './import/service.ts';

export interface OfflineServices {
  db: Db;
  clock: Clock;
  log: Logger;
  campaigns: CampaignService;
  imports: ImportService;
  close(): void;
}

export function openOffline(): OfflineServices {
  const config = loadConfig();
  // Commands print their own results; the log only carries warnings (e.g. looser-than-legal settings).
  const log = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, destination: process.stderr });
  const clock = new SystemClock();
  const db = openDb(config.db.path);
  const campaigns = new CampaignService({ db, clock, log });
  const imports = new ImportService({ db, clock, log, campaigns });
  return { db, clock, log, campaigns, imports, close: () => db.close() };
}
