/**
 * The dialer: one per process, for every running campaign. On each tick of the injected
 * clock it works out, per campaign, how many calls may start now — the lowest of free
 * channels (maxConcurrentChannels − live calls), the trunk's and the campaign's
 * calls-per-second budgets, and for agent campaigns the pacer — claims that many due
 * contacts (select.ts) and originates them. Calls are followed to their recorded outcome
 * (runtime/live.ts); on start, calls left over from a previous run are reconciled with
 * Asterisk (runtime/recover.ts). Pausing a campaign stops new dials at the next tick
 * (live calls finish); a running campaign with nothing pending or in progress is finished.
 * Each campaign's round runs in its own try: one that fails 3 rounds in a row is paused
 * with the reason (runtime/failing.ts), and never delays the others.
 */
import { EventEmitter } from 'node:events';
import type { CallSummary } from '../calls/deps.ts';
import type { Config } from '../config/schema.ts';
import type { CampaignSettings } from '../campaigns/settings.ts';
import { isoUtc, type Clock, type TimerHandle } from '../lib/clock.ts';
import { maskPhone, type Logger } from '../lib/log.ts';
import type { CampaignRow, DialerRepository } from '../store/dialer.ts';
import { isCallCampaign, type CallCampaignMode } from '../store/types.ts';
import type { OriginateOptions, Telephony } from '../telephony/types.ts';
import { TokenBucket, takeAll } from './token-bucket.ts';
import type { OutboundFlowStarter, Pacer, WindowsFor } from './runtime/deps.ts';
import { FailingCampaigns } from './runtime/failing.ts';
import { LiveAttempts } from './runtime/live.ts';
import type { Recorded } from './runtime/record.ts';
import { recoverInFlight, type RecoveryReport } from './runtime/recover.ts';
import { claimDue, type Claimed } from './runtime/select.ts';
import { campaignSettings } from './runtime/settings.ts';
import { campaignStats, type CampaignStats } from './runtime/stats.ts';
import { handlerErrors } from '../lib/handler-errors.ts';
import type { Observer } from '../lib/metrics.ts';
import { timeAnswer } from './runtime/answer-timing.ts';

export interface DialerOptions {
  store: DialerRepository;
  telephony: Telephony;
  clock: Clock;
  log: Logger;
  config: Config['dialer'];
  /** Runs the IVR on an answered call (src/calls). */
  startFlow: OutboundFlowStarter;
  /** How many calls an agent campaign may start; default: one per available agent not yet ringing. */
  pacer?: Pacer;
  /** Told after each recorded attempt, before the 'recorded' event's listeners. */
  onRecorded?: (callId: string, recorded: Recorded) => void;
  /** Which calling-window rule a campaign follows; default the law's for all (see WindowsFor). */
  windowsFor?: WindowsFor;
  /** Times originate → answer in seconds (bereik_originate_to_answer_seconds). */
  originateToAnswer?: Observer | undefined;
}

export interface DialerEvents {
  /** An attempt is over and stored (what was recorded, and what comes next for its contact). */
  recorded: [callId: string, recorded: Recorded];
}

export interface TickReport {
  at: number;
  /** Calls originated (accepted by Asterisk) this tick. */
  originated: number;
  failed: number;
  /** Real milliseconds the tick took (SQL + originate round trips). */
  durationMs: number;
  /** Of which choosing and claiming contacts (SQL and policy, before the originates). */
  selectMs: number;
  /** Nothing was dialled: Asterisk is not connected, or the last originates all failed. */
  held: boolean;
}

/** Running totals for /metrics (counters since this dialer was created). */
export interface DialerCounters {
  ticks: number;
  heldTicks: number;
  originated: number;
  originateFailed: number;
  /** Real milliseconds the last tick took. */
  lastTickMs: number;
}

/** Calls that never reached Stasis this long after originate are checked against Asterisk (clock ms). */
const STUCK_AFTER_MS = 120_000 + 60_000;
const WATCHDOG_EVERY_MS = 30_000;
/**
 * After a tick whose originates all failed (Asterisk refusing or unreachable), dial nothing
 * for a while, doubling up to a minute: each failed originate is a counted attempt, and an
 * outage must not burn the day's attempts of every contact.
 */
const HOLD_MIN_MS = 2000;
const HOLD_MAX_MS = 60_000;

/** One call per available agent, minus calls already ringing for them: a progressive dialer's rule. */
const defaultPacer: Pacer = ({ agents, liveCalls }) => Math.max(0, (agents['available'] ?? 0) - liveCalls);

export class Dialer extends EventEmitter<DialerEvents> {
  private readonly live: LiveAttempts;
  private readonly failing: FailingCampaigns;
  private readonly trunk: TokenBucket;
  private readonly buckets = new Map<number, TokenBucket>();
  private timer: TimerHandle | null = null;
  private running = false;
  private ticking: Promise<TickReport> | null = null;
  private rotation = 0;
  private lastWatchdog = 0;
  private holdUntil = 0;
  private holdMs = 0;
  /** For /metrics. */
  readonly counters: DialerCounters = { ticks: 0, heldTicks: 0, originated: 0, originateFailed: 0, lastTickMs: 0 };

  constructor(private readonly o: DialerOptions) {
    super();
    const onRecorded = (callId: string, recorded: Recorded) => {
      o.onRecorded?.(callId, recorded);
      this.emit('recorded', callId, recorded);
    };
    this.live = new LiveAttempts({ store: o.store, clock: o.clock, log: o.log, startFlow: o.startFlow, windowsFor: o.windowsFor, onRecorded });
    this.trunk = new TokenBucket(o.clock, o.config.trunkCps);
    this.failing = new FailingCampaigns({ store: o.store, log: o.log });
  }

  /** Calls this process is following now. */
  get liveCalls(): number {
    return this.live.size;
  }

  /** What the last start() found of a previous run's calls (the engine starts the dialer; logs and tests read this). */
  recovered: RecoveryReport | undefined;

  /** Reconciles calls left from a previous run, then starts ticking. */
  async start(): Promise<RecoveryReport> {
    if (this.running) return { adopted: 0, interrupted: 0, released: 0 };
    const report = await recoverInFlight({ ...this.o, live: this.live });
    this.recovered = report;
    this.running = true;
    this.schedule(0);
    return report;
  }

  /**
   * Stops dialling. Live calls go on in Asterisk; by default their outcomes are still
   * recorded as they end (a graceful shutdown that hangs up its calls loses nothing).
   * drain: false lets go of them at once, as a crash would: the next start() re-attaches
   * the ones still alive and records the rest as interrupted.
   */
  async stop(opts: { drain?: boolean } = {}): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
    await this.ticking;
    if (opts.drain === false) this.live.release();
  }

  /**
   * Ticks as soon as possible instead of at the next tickMs (a campaign was started or
   * resumed; the integrator calls this on the campaigns' stateChanged event).
   */
  poke(): void {
    if (!this.running || this.ticking) return;
    this.timer?.cancel();
    this.schedule(0);
  }

  /** The flows module's hook (CallDeps.onCallFinished) for outbound calls. */
  onCallFinished(summary: CallSummary): void {
    if (summary.direction === 'outbound') this.live.summary(summary);
  }

  stats(campaignId: number, creditors: readonly string[] | null = null): CampaignStats | undefined {
    return campaignStats(this.o.store, campaignId, creditors);
  }

  /** Preview mode: places a call the agent asked for, claimed by src/dialer/runtime/preview.ts. */
  placeClaimed(campaign: CampaignRow, c: Claimed): Promise<boolean> {
    return this.place(campaign, campaignSettings(campaign.settings), c);
  }

  /** One round over every running campaign. Public so tests can step it by hand. */
  tick(): Promise<TickReport> {
    this.ticking ??= this.runTick()
      .then((r) => {
        const c = this.counters;
        c.ticks++;
        if (r.held) c.heldTicks++;
        c.originated += r.originated;
        c.originateFailed += r.failed;
        c.lastTickMs = r.durationMs;
        return r;
      })
      .finally(() => (this.ticking = null));
    return this.ticking;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.o.clock.setTimeout(() => {
      void this.tick()
        .catch((err: unknown) => handlerErrors.report(this.o.log, 'timer', err, { timer: 'dialer tick' }, 'dialer tick failed; the next tick runs as planned'))
        .finally(() => this.schedule(this.o.config.tickMs));
    }, ms);
  }

  private async runTick(): Promise<TickReport> {
    const started = performance.now();
    const { store, clock } = this.o;
    const now = clock.now();
    if (this.o.telephony.health().state !== 'connected' || now < this.holdUntil) {
      await this.watchdog(now);
      return { at: now, originated: 0, failed: 0, durationMs: performance.now() - started, selectMs: 0, held: true };
    }
    // Message campaigns (sms, email) are the outbox's: src/messaging/campaigns.ts.
    const campaigns = store.campaignsInState('running').filter(isCallCampaign);
    // Start with a different campaign each tick so one large campaign cannot starve the trunk.
    const first = campaigns.length ? this.rotation++ % campaigns.length : 0;
    const placing: Promise<boolean>[] = [];
    for (let i = 0; i < campaigns.length; i++) {
      const campaign = campaigns[(first + i) % campaigns.length]!;
      // One campaign's failure (settings stored before they were checked, a pacer error)
      // must not cost the others their round: it is counted and, if it persists, paused.
      try {
        this.dialCampaign(campaign, now, placing);
        this.failing.ok(campaign.id);
      } catch (err) {
        if (this.failing.failed(campaign, err, now)) this.buckets.delete(campaign.id);
      }
    }
    const selectMs = performance.now() - started;
    const results = await Promise.all(placing);
    await this.watchdog(now);
    const originated = results.filter(Boolean).length;
    const failed = results.length - originated;
    if (failed > 0 && originated === 0) {
      this.holdMs = Math.min(HOLD_MAX_MS, Math.max(HOLD_MIN_MS, this.holdMs * 2));
      this.holdUntil = clock.now() + this.holdMs;
      this.o.log.warn({ failed, holdMs: this.holdMs }, 'every originate failed: dialling paused for a while');
    } else if (originated > 0) this.holdMs = 0;
    return { at: now, originated, failed, durationMs: performance.now() - started, selectMs, held: false };
  }

  /** Claims what this campaign may dial now and starts placing the calls (pushed to `placing`). */
  private dialCampaign(campaign: CampaignRow & { mode: CallCampaignMode }, now: number, placing: Promise<boolean>[]): void {
    const { store } = this.o;
    const settings = campaignSettings(campaign.settings);
    const liveCalls = store.liveCallCount(campaign.id);
    const bucket = this.bucketFor(campaign.id, settings.maxCallsPerSecond);
    let room = Math.min(settings.maxConcurrentChannels - liveCalls, this.trunk.available(), bucket.available());
    if (campaign.mode !== 'agentless' && room > 0) {
      const pacer = this.o.pacer ?? defaultPacer;
      room = Math.min(room, pacer({ campaignId: campaign.id, mode: campaign.mode, settings, now, liveCalls, agents: store.agentCounts() }));
    }
    const claimed = room > 0 ? claimDue(this.o, campaign, settings, now, room) : [];
    for (const c of claimed) {
      takeAll([this.trunk, bucket]);
      placing.push(this.place(campaign, settings, c));
    }
    if (claimed.length === 0 && liveCalls === 0 && store.finishIfDone(campaign.id, isoUtc(now))) {
      this.o.log.info({ campaignId: campaign.id }, 'campaign finished: no contact left to call');
      this.buckets.delete(campaign.id);
    }
  }

  private bucketFor(campaignId: number, cps: number): TokenBucket {
    let b = this.buckets.get(campaignId);
    if (!b || b.ratePerSec !== cps) {
      b = new TokenBucket(this.o.clock, cps);
      this.buckets.set(campaignId, b);
    }
    return b;
  }

  private async place(campaign: CampaignRow, settings: CampaignSettings, c: Claimed): Promise<boolean> {
    const { telephony, config, log } = this.o;
    const ctx = { callId: c.callId, campaignId: campaign.id, contactId: c.contact.id, debtorId: c.contact.debtorId, claimId: c.contact.claimId, phoneId: c.phone.id };
    const opts: OriginateOptions = {
      endpoint: config.endpointTemplate.replace('{number}', c.phone.e164),
      // AMD runs in the bereik-outbound dialplan; a campaign without AMD goes straight into
      // the app (no detection silence, and the app hears the real hang-up causes).
      route: settings.amd
        ? { kind: 'dialplan', context: config.outboundContext, extension: 's', priority: 1 }
        : { kind: 'app', args: ['outbound', c.callId, '', ''] },
      callerId: `"${settings.callerName.replace(/["<>]/g, '')}" <${campaign.callerId}>`,
      timeoutSec: settings.ringTimeoutSec,
      channelId: c.callId,
      variables: { BEREIK_CALL_ID: c.callId },
    };
    const originatedAt = this.o.clock.now();
    try {
      const call = await telephony.originate(opts);
      if (this.o.originateToAnswer) timeAnswer(call, this.o.clock, originatedAt, this.o.originateToAnswer);
      log.debug({ callId: c.callId, campaignId: campaign.id, to: maskPhone(c.phone.e164) }, 'originated');
      this.live.watch(call, ctx);
      return true;
    } catch (err) {
      this.live.originateFailed(c.callId, err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  /** Calls that never reached Stasis and never reported an end: ask Asterisk whether they still exist. */
  private async watchdog(now: number): Promise<void> {
    if (now - this.lastWatchdog < WATCHDOG_EVERY_MS) return;
    this.lastWatchdog = now;
    const stuck = this.live.stuck(now - STUCK_AFTER_MS);
    if (stuck.length === 0) return;
    try {
      const channels = new Set((await this.o.telephony.listChannels()).map((ch) => ch.id));
      for (const s of stuck) if (s.call?.ended || !channels.has(s.callId)) this.live.gone(s.callId);
    } catch (err) {
      this.o.log.warn({ err }, 'dialer watchdog could not list channels');
    }
  }
}
