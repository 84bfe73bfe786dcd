/**
 * The telephony engine: everything that makes and takes calls, wired in one place.
 *
 *   Asterisk (or the built-in simulator) ⇄ telephony (ARI client)
 *     → calls (one session per call: outbound and inbound flows) → tts, routing, agents, store
 *     ← dialer (due contacts + pacing → originate)
 *
 * With no `ari.url` configured, a simulated Asterisk starts in-process on loopback and
 * the ARI client talks to it over real HTTP + WebSocket: the production code path.
 */
import { isoUtc, type Clock } from './lib/clock.ts';
import type { Logger } from './lib/log.ts';
import type { Config } from './config/schema.ts';
import type { Store } from './store/repositories.ts';
import { createTelephony, type AriTelephony } from './telephony/index.ts';
import type { Call } from './telephony/types.ts';
import { startSim, type RunningSim } from './sim/index.ts';
import { createTts, engineNames } from './tts/create.ts';
import type { AudioOwners, TtsEngine } from './tts/types.ts';
import { loadPrompts, type PromptCatalog } from './tts/prompts.ts';
import { createCallHandler, type CallHandler } from './calls/index.ts';
import { attachInbound, createCallDeps } from './calls/wire.ts';
import type { PayLinkSender } from './calls/deps.ts';
import { AgentDeskService } from './agents/desk.ts';
import type { SuperviseAudit } from './agents/supervise.ts';
import type { CallRecordingFiles } from './recordings/call-files.ts';
import { Dialer } from './dialer/dialer.ts';
import { PacerAdapter, callInfo, type PacerAdapterOptions } from './dialer/runtime/pacer-adapter.ts';
import { PreviewService } from './dialer/runtime/preview.ts';
import { anyTime, isCallable } from './dialer/policy/windows.ts';
import { startCachePruning, type CachePruner } from './tts/prune.ts';
import type { Metrics } from './lib/metrics.ts';
import { prerenderCampaign } from './calls/prerender.ts';
import { createRecordingLibrary, type RecordingLibrary } from './recordings/library.ts';
import type { PrerenderResult } from './tts/prewarm.ts';

export interface EngineOptions {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  /** Tests pass their own TTS (e.g. silent) or simulator; by default both come from config. */
  tts?: TtsEngine;
  sim?: RunningSim;
  /**
   * Pre-render a starting campaign's prompts (tts.prerender). By default only when the engine
   * made its own TTS from config, and not for the silent engine: a TTS handed in (tests,
   * benchmarks) looks after its own files.
   */
  prerender?: boolean;
  /** Pacer tuning beyond the campaigns' settings (tests, benchmarks): see PacerSettings. */
  pacerTuning?: PacerAdapterOptions['tuning'];
  /** The app's histograms (src/lib/metrics.ts); an engine built without them times nothing. */
  metrics?: Pick<Metrics, 'dtmfToPrompt' | 'originateToAnswer'>;
  /** The app's message composer (pay links from the IVR); by default one that only queues. */
  messages?: PayLinkSender;
  /** How long a debtor may wait for a busy agent (tests; by default the desk's 60 s). */
  maxAgentWaitSec?: number;
  /** Where recordings of agent conversations are kept (the app's, shared with retention). */
  recordingFiles?: CallRecordingFiles;
  /** Writes a supervisor's action to the access audit. */
  auditSupervision?: (e: SuperviseAudit) => void;
}

export interface Engine {
  telephony: AriTelephony;
  /** The in-process simulated Asterisk, when no real one is configured. */
  sim: RunningSim | undefined;
  tts: TtsEngine;
  /** Recorded prompts and number words, per language and version (docs/recorded-prompts.md). */
  recordings: RecordingLibrary;
  /** The prompt catalogue checked at start. */
  prompts: PromptCatalog;
  calls: CallHandler;
  desk: AgentDeskService;
  dialer: Dialer;
  /** What the pacer of agent campaigns measured and decided. */
  pacing: PacerAdapter;
  /** Preview campaigns: next case, dial, skip for an agent. */
  preview: PreviewService;
  /** Deletes cached audio past its age or over the size cap (set once started, when the engine made its own TTS). */
  readonly ttsCache: CachePruner | undefined;
  /**
   * Renders a campaign's prompts, personalised ones too, into the TTS cache (tts.prerender;
   * src/calls/prerender.ts). Resolves with what was done, or undefined when pre-rendering is off.
   */
  prerender(campaignId: number): Promise<PrerenderResult | undefined>;
  /** Connects to Asterisk, recovers calls of a previous run, starts dialling. */
  start(): Promise<void>;
  /** Stops dialling, lets live calls end (hanging up what is left), disconnects. Idempotent. */
  stop(): Promise<void>;
}

/** How long start() waits for Asterisk before serving without it. */
const START_WAIT_MS = 5_000;
/** How often cached TTS audio is pruned (wall time). */
const TTS_PRUNE_EVERY_MS = 3600_000;

function wallDelay(ms: number): Promise<'waited'> {
  return new Promise((resolve) => setTimeout(() => resolve('waited'), ms).unref());
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const { config, store, clock } = opts;
  const log = opts.log;
  let sim = opts.sim;
  const ownSim = !sim && !config.ari.url;
  if (ownSim) {
    sim = await startSim({ clock, scenario: config.sim.scenarioFile, log: log.child({ mod: 'sim' }) });
    log.info({ url: sim.url }, 'no Asterisk configured (ari.url empty): using the built-in simulated Asterisk');
  }
  const target = sim ? { url: sim.url, user: sim.user, password: sim.password, simulated: true } : undefined;
  const telephony = createTelephony({ config, clock, log, ...(target ? { target } : {}) });
  const tts = opts.tts ?? createTts(config, { log, owners: audioOwners(store, clock, log) });
  // The prompt catalogue is checked once here and handed to whoever speaks.
  const prompts = loadPrompts(config.tts.promptsDir);
  const desk = new AgentDeskService({
    store,
    clock,
    log,
    telephony,
    tts,
    prompts,
    ringTimeoutSec: config.agents.ringTimeoutSec,
    wrapUpSec: config.agents.wrapUpSec,
    softphone: { wsUrl: config.agents.softphoneWsUrl, ttlSec: config.agents.softphoneTtlSec, codecs: config.agents.softphoneCodecs.split(',') },
    ...(opts.maxAgentWaitSec !== undefined ? { maxWaitSec: opts.maxAgentWaitSec } : {}),
    ...(opts.recordingFiles ? { recordingFiles: opts.recordingFiles } : {}),
    ...(opts.auditSupervision ? { auditSupervision: opts.auditSupervision } : {}),
  });

  // The dialer hands an answered call to its flow and records the summary the flow returns.
  const recordings = createRecordingLibrary(config, store, prompts, clock);
  const deps = createCallDeps({ store, clock, log, tts, prompts, recordings, config, agents: desk, ...(opts.messages ? { messages: opts.messages } : {}) });
  deps.dtmfToPrompt = opts.metrics?.dtmfToPrompt;
  const calls = createCallHandler(deps);
  // Agent campaigns: how many calls to start, from what calls and agents are doing (src/dialer/runtime/pacer-adapter.ts).
  const pacing = new PacerAdapter({ clock, agents: desk.registry, lines: desk.lines, callInfo: (id) => callInfo(deps.calls.get(id)), tuning: opts.pacerTuning });
  desk.on('agentLeg', (e) => pacing.agentLeg(e));
  const dialer = new Dialer({
    store: store.dialer,
    telephony,
    clock,
    log: log.child({ mod: 'dialer' }),
    config: config.dialer,
    startFlow: (call: Call, ctx) => {
      pacing.answered(ctx);
      return calls.handle(call);
    },
    pacer: pacing.pacer,
    onRecorded: (callId, recorded) => pacing.recorded(callId, recorded),
    // The law's calling windows (Sundays, holidays, hours) for every campaign, except a demo
    // campaign while the phones are the simulator's and nobody is called (README "Try it").
    // With a real Asterisk the demo flag changes nothing here.
    windowsFor: (settings) => (telephony.simulated && settings.demo === true ? anyTime : isCallable),
    originateToAnswer: opts.metrics?.originateToAnswer,
  });
  // Preview campaigns: the agent asks for a case and clicks dial (src/dialer/runtime/preview.ts).
  const preview = new PreviewService({
    store: store.dialer, calls: deps.calls, registry: desk.registry, clock, log: log.child({ mod: 'preview' }),
    place: (campaign, c) => dialer.placeClaimed(campaign, c),
  });
  dialer.on('recorded', (callId, recorded) => preview.recorded(callId, recorded));
  let detachInbound = () => {};
  let ttsCache: CachePruner | undefined;
  // Pre-renders stop with the engine: nothing renders into a cache being pruned at shutdown.
  const prerendering = new AbortController();
  const prerenderDeps = { tts, prompts, cases: store.cases, defaults: deps.defaults, recordings, log: log.child({ mod: 'tts' }) };

  let stopping: Promise<void> | undefined;
  return {
    telephony,
    sim,
    tts,
    recordings,
    prompts,
    calls,
    desk,
    dialer,
    pacing,
    preview,
    get ttsCache() {
      return ttsCache;
    },
    async prerender(campaignId) {
      const p = config.tts.prerender;
      // Silence costs nothing to render at call time: pre-rendering it would only fill the disk.
      const worthIt = opts.tts ? opts.prerender === true : (opts.prerender ?? !engineNames(config.tts.engine).every((n) => n === 'silent'));
      if (!worthIt || !p || p.maxContacts === 0 || prerendering.signal.aborted) return undefined;
      return prerenderCampaign(prerenderDeps, campaignId, { maxContacts: p.maxContacts, maxBytes: p.maxMb * 1024 * 1024, concurrency: p.concurrency }, prerendering.signal);
    },
    async start() {
      detachInbound = attachInbound(telephony, calls, log);
      // The configured cache; a TTS engine handed in (tests, embedding) looks after its own files.
      if (!opts.tts) ttsCache = startCachePruning({
        dir: config.tts.cacheDir,
        maxAgeMs: config.tts.cacheMaxAgeDays * 86_400_000,
        maxBytes: config.tts.cacheMaxMb * 1024 * 1024,
        intervalMs: TTS_PRUNE_EVERY_MS,
        log: log.child({ mod: 'tts' }),
      });
      // The last 24 h of live answers and abandons, so the abandon cap survives a restart.
      pacing.seed(store.calls.recentLiveAttempts(isoUtc(clock.now() - 24 * 3600_000)));
      const connected = telephony.start().then(async () => {
        if (!stopping) await dialer.start();
      });
      // Asterisk being down must not keep the API and the agent desktop from starting: wait a
      // moment (wall time: this is about the network), then go on while the client keeps
      // retrying and /healthz says 'connecting'. Refused credentials fail within the wait.
      const waited = await Promise.race([connected.then(() => 'up' as const), wallDelay(START_WAIT_MS)]);
      if (waited !== 'up') {
        log.warn({ url: telephony.health().url, state: telephony.health().state }, 'Asterisk not reachable yet: serving without telephony, still trying');
        connected.catch((err: unknown) => log.error({ err }, 'telephony failed to start'));
      }
    },
    stop() {
      stopping ??= (async () => {
        prerendering.abort();
        await dialer.stop();
        await calls.stopAll();
        pacing.close();
        await desk.close();
        detachInbound();
        await telephony.stop();
        if (ownSim) await sim!.close();
        await ttsCache?.stop();
      })();
      return stopping;
    },
  };
}

/**
 * The owner ledger as the TTS cache sees it: a render about a debtor notes its file there
 * (erasure deletes it). A failed note costs the call nothing; the file still goes with the
 * cache's age limit.
 */
function audioOwners(store: Store, clock: Clock, log: Logger): AudioOwners {
  return {
    own(cacheKey, debtorId) {
      try {
        store.ttsAudio.own(cacheKey, debtorId, isoUtc(clock.now()));
      } catch (err) {
        log.warn({ err }, 'tts: could not note whose audio a cache file is; it goes with tts.cacheMaxAgeDays');
      }
    },
  };
}
