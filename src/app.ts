/**
 * Wires Bereik together: config → store → telephony → services → HTTP.
 * One process (DESIGN.md, architecture); everything it starts, close() stops.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import type { Clock } from './lib/clock.ts';
import { SystemClock, isoUtc } from './lib/clock.ts';
import type { Logger } from './lib/log.ts';
import { createLogger } from './lib/log.ts';
import type { Store } from './store/repositories.ts';
import { openSqliteStore } from './store/sqlite.ts';
import { letAsteriskThrough } from './store/permissions.ts';
import { buildServer } from './http/server.ts';
import { RetentionJob } from './privacy/retention-job.ts';
import { CallRecordingFiles, recordingsDir } from './recordings/call-files.ts';
import type { SuperviseAudit } from './agents/supervise.ts';
import { PaymentService } from './payments/service.ts';
import type { AppDeps } from './http/app-deps.ts';
import { CampaignService } from './campaigns/service.ts';
import { ImportService } from './campaigns/import/service.ts';
import { createEngine, type EngineOptions } from './engine.ts';
import { createMetrics } from './lib/metrics.ts';
import { createMessaging, type MessagingOptions } from './messaging/service.ts';
import { MessageComposer } from './messaging/compose.ts';
import { createInboxFeed } from './agents/desk-inbox.ts';
import { StrategyPlanner } from './strategy/planner.ts';
import { StrategyService } from './strategy/service.ts';
import { ReportService } from './reports/service.ts';
import type { RollupBuild } from './reports/rollup.ts';

export type { AppDeps } from './http/app-deps.ts';

export interface App {
  deps: AppDeps;
  http: FastifyInstance;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<string>;
  /** Stops taking work, finishes writes, closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** A store the caller opened (tests sharing one database with their setup); by default config.db.path is opened. */
  store?: Store;
  /**
   * Telephony: by default the engine is built from config (a real Asterisk, or the built-in
   * simulator when ari.url is empty). `false` leaves it out (API-only tests, CLI commands);
   * an object passes engine options such as a test's own simulator or TTS.
   */
  telephony?: false | Pick<EngineOptions, 'tts' | 'sim' | 'maxAgentWaitSec' | 'prerender'>;
  /**
   * Sending messages: by default on with telephony (channels from config, or the built-in
   * simulated SMSC and mail server). `false`: messages are queued but nothing sends them
   * (API-only tests, CLI commands); an object passes channels of a test's own.
   */
  messaging?: false | Pick<MessagingOptions, 'channels'>;
}

export async function createApp(opts: CreateAppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.log ?? createLogger({ level: config.log.level });
  const clock = opts.clock ?? new SystemClock();
  const store = opts.store ?? openSqliteStore(config.db.path);
  const metrics = createMetrics();
  const untimeTransactions = store.observeTransactions((s) => metrics.sqliteTransaction.observe(s));
  if (!opts.store && config.db.path !== ':memory:' && config.tts.delivery === 'file') letAsteriskThrough(config.db.path, config.tts.cacheDir);
  // A demo campaign (dialled at any hour) only while the engine dials the simulated Asterisk.
  const campaigns = new CampaignService({ store, clock, log: log.child({ mod: 'campaigns' }), demoAllowed: () => deps.engine?.telephony.simulated === true });
  const imports = new ImportService({ store, clock, log: log.child({ mod: 'import' }), campaigns, liveCalls: () => deps.engine?.calls.live.size ?? 0 });
  const interrupted = imports.recoverInterrupted();
  if (interrupted.imports) log.warn({ imports: interrupted.imports }, 'imports left running by the previous run are marked failed');
  if (interrupted.tempDirs.length) log.warn({ tempDirs: interrupted.tempDirs }, 'temporary files of imports whose process is gone are removed');
  const sending = opts.messaging ?? (opts.telephony === false ? false : {});
  // Replies that need a person reach the agent desktops (routes/desktop.ts), built after messaging.
  const inboxFeed = createInboxFeed();
  const messaging = sending === false ? undefined : await createMessaging({ config, store, clock, log, onInbox: (row) => inboxFeed.emit('reply', row), ...sending });
  const composer =
    messaging?.composer ??
    new MessageComposer({ store, clock, publicUrl: config.http.publicUrl, smsSender: config.messages.smsSender, emailFrom: config.email?.from ?? '', linkTtlDays: config.messages.linkTtlDays });
  const payments = new PaymentService({ store, clock, log: log.child({ mod: 'payments' }) });
  const planner = new StrategyPlanner({
    store, clock, log: log.child({ mod: 'strategy' }), composer, campaigns,
    ...(config.strategies?.callerId ? { callerId: config.strategies.callerId } : {}),
    defaultStrategyId: config.strategies?.defaultId ?? 'default',
    onCallsQueued: () => deps.engine?.dialer.poke(),
  });
  const strategies = new StrategyService({ store, clock, log: log.child({ mod: 'strategy' }), planner });
  if (strategies.installDefault()) log.info('the shipped default strategy is installed and active');
  const reports = new ReportService({ store, clock, ...(config.reports ? { settings: config.reports } : {}) });
  const deps: AppDeps = { config, store, clock, log, campaigns, imports, payments, metrics, composer, inboxFeed, strategies, reports, ...(messaging ? { messaging } : {}) };
  // A message campaign started or resumed is worked at once, not at the next round.
  campaigns.events.on('stateChanged', (c) => {
    if (c.to === 'running') messaging?.campaigns.poke();
  });
  const recordingFiles = new CallRecordingFiles(recordingsDir(config), store.callRecordings, log.child({ mod: 'recordings' }));
  deps.recordingFiles = recordingFiles;
  if (opts.telephony !== false) {
    const auditSupervision = (e: SuperviseAudit) =>
      store.audit.append({ tokenId: e.supervisor.tokenId, tokenName: e.supervisor.name, role: 'supervisor', address: e.supervisor.address }, isoUtc(deps.clock.now()), [
        { debtorId: e.conversation.debtorId, access: 'supervise', detail: { callId: e.conversation.callId, agentId: e.conversation.agentId, mode: e.mode, action: e.action, session: e.sessionId, ...(e.reason ? { reason: e.reason } : {}) } },
      ]);
    deps.engine = await createEngine({ config, store, clock, log, metrics, messages: deps.composer, recordingFiles, auditSupervision, ...(opts.telephony ?? {}) });
    deps.agents = deps.engine.desk;
    // A campaign started or resumed over the API is dialled at once, not at the next tick.
    const { dialer, prerender } = deps.engine;
    campaigns.events.on('stateChanged', (c) => {
      if (c.to !== 'running') return;
      // In the background: the debtors' prompts are rendered ahead of the calls (src/calls/prerender.ts).
      prerender(c.campaign.id).catch((err: unknown) => log.warn({ err, campaignId: c.campaign.id }, 'prerender failed: calls render their prompts themselves'));
      dialer.poke();
    });
  }
  const http = await buildServer(deps);
  const retention = new RetentionJob({ store, clock: deps.clock, log, limits: config.retention, ttsAudioDays: config.tts.cacheMaxAgeDays, removed: metrics.retentionRemoved, afterPass: () => recordingFiles.sweep() });
  let closing: Promise<void> | undefined;
  let rollupBuild: RollupBuild | undefined;
  return {
    deps,
    http,
    async listen() {
      const address = await http.listen({ host: config.http.host, port: config.http.port });
      await deps.messaging?.start({ localUrl: address });
      await deps.engine?.start();
      retention.start();
      // Existing data into the score-per-action rollup, in batches after start (docs/reports.md).
      rollupBuild = reports.buildRollup(log.child({ mod: 'reports' }));
      return address;
    },
    close() {
      closing ??= (async () => {
        // Dialling stops first; live calls are ended; running imports stop after their batch
        // (recorded as interrupted); then HTTP; the store closes last.
        retention.stop();
        await rollupBuild?.stop();
        await deps.engine?.stop();
        await deps.messaging?.stop();
        await imports.close();
        await http.close();
        untimeTransactions();
        store.close();
      })();
      return closing;
    },
  };
}
