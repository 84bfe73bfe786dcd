/**
 * What the HTTP layer is given by the composition root (src/app.ts). It lives here, below
 * app.ts, so the routes need nothing from the module that builds them (no import cycle).
 */
import type { Config } from '../config/schema.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Store } from '../store/repositories.ts';
import type { CampaignService } from '../campaigns/service.ts';
import type { ImportService } from '../campaigns/import/service.ts';
import type { Engine } from '../engine.ts';
import type { AgentDeskService } from '../agents/desk.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { Messaging } from '../messaging/service.ts';
import type { MessageComposer } from '../messaging/compose.ts';
import type { PaymentService } from '../payments/service.ts';
import type { InboxFeed } from '../agents/desk-inbox.ts';
import type { StrategyService } from '../strategy/service.ts';
import type { ReportService } from '../reports/service.ts';
import type { CallRecordingFiles } from '../recordings/call-files.ts';

export interface AppDeps {
  config: Config;
  /** The repositories (src/store/repositories.ts): the HTTP layer holds no database handle. */
  store: Store;
  clock: Clock;
  log: Logger;
  /** Campaign definitions and lifecycle; the dialer subscribes to campaigns.events 'stateChanged'. */
  campaigns: CampaignService;
  /** CSV import, shared by the API and `bereik import`. */
  imports: ImportService;
  /** Telephony, calls, dialer, agents (src/engine.ts); absent when the app runs without telephony. */
  engine?: Engine;
  /** The agent desk of the engine (the agent routes read it). */
  agents?: AgentDeskService;
  /** This app's Prometheus registry and histograms (src/lib/metrics.ts); a server built without one makes its own. */
  metrics?: Metrics;
  /** What queues messages (always there: queuing needs only the store). */
  composer: MessageComposer;
  /** Payment files and the webhook, shared by the API and `bereik payments import`. */
  payments: PaymentService;
  /** Channels, outbox worker and replies; absent when the app does not send (API-only, CLI). */
  messaging?: Messaging;
  /** Contact strategies and the daily planner (docs/strategy.md); absent in apps built without one. */
  strategies?: StrategyService;
  /** The score per action and champion/challenger (docs/reports.md); absent in apps built without one. */
  reports?: ReportService;
  /** The files of agent-conversation recordings (docs/call-recordings.md); absent in apps built without them. */
  recordingFiles?: CallRecordingFiles;
  /** Replies that need a person, as they land (the agent desktops are told); absent in apps built without one. */
  inboxFeed?: InboxFeed;
}
