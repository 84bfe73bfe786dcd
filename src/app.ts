/**
 * Wires Bereik together: config → store → telephony → services → HTTP.
 * One process (DESIGN.md, architecture); everything it starts, close() stops.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import type { Clock } from './lib/clock.ts';
import { SystemClock } from './lib/clock.ts';
import type { Logger } from './lib/log.ts';
import { createLogger } from './lib/log.ts';
import { openDb, type Db } from './store/db.ts';
import { buildServer } from './http/server.ts';
import { CampaignService } from './campaigns/service.ts';
import { ImportService } from './campaigns/import/service.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  /** Campaign definitions and lifecycle; the dialer subscribes to campaigns.events 'stateChanged'. */
  campaigns: CampaignService;
  /** CSV import, shared by the API and `bereik import`. */
  imports: ImportService;
}

export interface App {
  deps: AppDeps;
  http: FastifyInstance;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<string>;
  /** Stops taking work, finishes writes, closes the database. Idempotent. */
  close(): Promise<void>;
}

export async function createApp(opts: { config: Config; clock?: Clock; log?: Logger; db?: Db }): Promise<App> {
  const { config } = opts;
  const log = opts.log ?? createLogger({ level: config.log.level });
  const clock = opts.clock ?? new SystemClock();
  const db = opts.db ?? openDb(config.db.path);
  const campaigns = new CampaignService({ db, clock, log: log.child({ mod: 'campaigns' }) });
  const imports = new ImportService({ db, clock, log: log.child({ mod: 'import' }), campaigns });
  const deps: AppDeps = { config, db, clock, log, campaigns, imports };
  const http = await buildServer(deps);
  let closing: Promise<void> | undefined;
  return {
    deps,
    http,
    async listen() {
      return http.listen({ host: config.http.host, port: config.http.port });
    },
    close() {
      closing ??= (async () => {
        await http.close();
        db.close();
      })();
      return closing;
    },
  };
}
