/**
 * The campaign and import services on the configured database without the HTTP server,
 * for the `bereik campaign|import|token` commands: same code paths as the API.
 */
import { loadConfig } from '../config/load.ts';
import { SystemClock, type Clock } from '../lib/clock.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/repositories.ts';
import { CampaignService } from './service.ts';
import { ImportService } from './import/service.ts';
import { PaymentService } from '../payments/service.ts';

export interface OfflineServices {
  store: Store;
  clock: Clock;
  log: Logger;
  campaigns: CampaignService;
  imports: ImportService;
  payments: PaymentService;
  close(): void;
}

export function openOffline(): OfflineServices {
  const config = loadConfig();
  // Commands print their own results; the log only carries warnings (e.g. looser-than-legal settings).
  const log = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, destination: process.stderr });
  const clock = new SystemClock();
  const store = openSqliteStore(config.db.path);
  const campaigns = new CampaignService({ store, clock, log });
  const imports = new ImportService({ store, clock, log, campaigns });
  const payments = new PaymentService({ store, clock, log });
  return { store, clock, log, campaigns, imports, payments, close: () => store.close() };
}
