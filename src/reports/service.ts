/**
 * Reports over the API and the CLI (docs/reports.md): the score per action, champion
 * against challenger, and the import of actions done elsewhere.
 */
import type { Clock } from '../lib/clock.ts';
import type { Store } from '../store/repositories.ts';
import { ActionReports, DEFAULT_REPORT_SETTINGS, type ActionReport, type ActionReportFilter, type ReportSettings } from './actions.ts';
import { strategyArms, type ArmsQuery, type ArmsReport } from './arms.ts';
import { importExternalActions, type ActionImportResult } from './import.ts';
import { buildRollup, type RollupBuild } from './rollup.ts';
import type { Logger } from '../lib/log.ts';

export class ReportService {
  private readonly actionReports: ActionReports;
  private readonly settings: ReportSettings;

  constructor(private readonly d: { store: Pick<Store, 'actionReports' | 'strategies'>; clock: Clock; settings?: ReportSettings; batchSize?: number }) {
    this.settings = d.settings ?? DEFAULT_REPORT_SETTINGS;
    this.actionReports = new ActionReports({ ...d, settings: this.settings });
  }

  actions(f: ActionReportFilter = {}): Promise<ActionReport> {
    return this.actionReports.actions(f);
  }

  arms(q: ArmsQuery): Promise<ArmsReport> {
    return strategyArms({ store: this.d.store, settings: this.settings, ...(this.d.batchSize ? { batchSize: this.d.batchSize } : {}) }, q);
  }

  /** Builds the rollup for the configured window from the data already there, in the background (service start). */
  buildRollup(log: Logger, opts: { batchDebtors?: number; progressEveryMs?: number } = {}): RollupBuild {
    return buildRollup({ store: this.d.store, clock: this.d.clock, log, windowDays: this.settings.attributionDays, ...opts });
  }

  importActions(bytes: Buffer, name: string | null): ActionImportResult {
    return importExternalActions(this.d, bytes, name);
  }
}
