/**
 * The campaign and import services on the configured database without the HTTP server,
 * for the `bereik campaign|import|token|payments|strategy` commands: same code paths as the API.
 */
import { loadConfig } from '../config/load.ts';
import { SystemClock, type Clock } from '../lib/clock.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/repositories.ts';
import { CampaignService } from './service.ts';
import { ImportService } from './import/service.ts';
import { PaymentService } from '../payments/service.ts';
import { MessageComposer } from '../messaging/compose.ts';
import { StrategyPlanner } from '../strategy/planner.ts';
import { StrategyService } from '../strategy/service.ts';
import { ReportService } from '../reports/service.ts';

export interface OfflineServices {
  store: Store;
  clock: Clock;
  log: Logger;
  campaigns: CampaignService;
  imports: ImportService;
  payments: PaymentService;
  /** Strategies and the daily plan; what it queues is sent by the running service's outbox and dialer. */
  strategies: StrategyService;
  /** The score per action, champion/challenger, imported actions (docs/reports.md). */
  reports: ReportService;
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
  const composer = new MessageComposer({ store, clock, publicUrl: config.http.publicUrl, smsSender: config.messages.smsSender, emailFrom: config.email?.from ?? '', linkTtlDays: config.messages.linkTtlDays });
  const planner = new StrategyPlanner({
    store, clock, log, composer, campaigns,
    ...(config.strategies?.callerId ? { callerId: config.strategies.callerId } : {}),
    defaultStrategyId: config.strategies?.defaultId ?? 'default',
  });
  const strategies = new StrategyService({ store, clock, log, planner });
  strategies.installDefault();
  const reports = new ReportService({ store, clock, ...(config.reports ? { settings: config.reports } : {}) });
  return { store, clock, log, campaigns, imports, payments, strategies, reports, close: () => store.close() };
}
