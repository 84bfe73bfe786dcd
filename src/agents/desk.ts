/**
 * The AgentDesk the call flows use: agent registry + warm transfers + the case each
 * agent is working on (so a desktop that reconnects gets it back).
 */
import { EventEmitter, setMaxListeners } from 'node:events';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { Telephony } from '../telephony/types.ts';
import type { TtsEngine } from '../tts/types.ts';
import type { PromptCatalog } from '../tts/prompts.ts';
import type { Language } from '../campaigns/settings.ts';
import type { Store } from '../store/repositories.ts';
import { AgentRegistry } from './registry.ts';
import { buildScreenPop, type ScreenPop } from './case.ts';
import { agentLegs } from './agent-legs.ts';
import { TransferSession } from './transfer.ts';
import { AgentLines, type LineInfo } from './line.ts';
import { SoftphoneAccounts } from './softphone.ts';
import type { TransferDeps } from './transfer-deps.ts';
import { LiveCalls } from './live-calls.ts';
import { ConversationRecorder } from './recorder.ts';
import { SupervisorService, type SuperviseAudit } from './supervise.ts';
import type { CallRecordingFiles } from '../recordings/call-files.ts';
import type { Agent, AgentDesk, AgentLegEvent, TransferOutcome, TransferRequest } from './types.ts';

export interface DeskOptions {
  store: Pick<Store, 'agents' | 'calls' | 'cases'> & Partial<Pick<Store, 'callRecordings'>>;
  clock: Clock;
  log: Logger;
  telephony: Telephony;
  tts: TtsEngine;
  /** The prompt catalogue (the agent's whisper). */
  prompts: PromptCatalog;
  /** config agents.ringTimeoutSec: how long one agent's phone rings. */
  ringTimeoutSec: number;
  /** config agents.wrapUpSec. */
  wrapUpSec: number;
  /** Longest a debtor waits for a busy agent to come free (default 60 s). */
  maxWaitSec?: number;
  /** Language of the whisper (agents are Dutch by default). */
  whisperLang?: Language;
  mohClass?: string;
  /** Music on an agent's open line between calls; silence when unset. */
  lineMohClass?: string;
  /** Where recordings of agent conversations are kept; without it nothing is recorded. */
  recordingFiles?: CallRecordingFiles;
  /** Writes a supervisor's action to the access audit. */
  auditSupervision?: (e: SuperviseAudit) => void;
  /** The desktop softphone (config agents.softphone*); off when unset. */
  softphone?: { wsUrl: string; ttlSec: number; codecs: string[] };
}

export interface DeskEvents {
  /** The screen pop of an agent changed (ringing, whisper, connected, ended). */
  pop: [agentId: number, pop: ScreenPop];
  agent: [agent: Agent];
  /** An agent's leg for a debtor's call rang, was bridged with the debtor, or ended (the pacer follows these). */
  agentLeg: [e: AgentLegEvent];
  /** An agent's line opened, dropped or was closed (line.ts). */
  line: [agentId: number, info: LineInfo];
}

export class AgentDeskService extends EventEmitter<DeskEvents> implements AgentDesk {
  readonly registry: AgentRegistry;
  /** Agents' open lines (issue 16 §1): debtors reach an agent with one without ringing. */
  readonly lines: AgentLines;
  /** Per-login SIP accounts of the desktop softphone (softphone.ts). */
  readonly softphones: SoftphoneAccounts;
  /** The case on each agent's screen: from ringing until the disposition/wrap-up is done. */
  private readonly cases = new Map<number, ScreenPop>();
  private readonly finished = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private readonly transfers: TransferDeps;
  /** Conversations going on now (supervisors list them). */
  readonly live = new LiveCalls();
  /** Supervisors listening in, whispering, barging (issue 16 §3). */
  readonly supervisors: SupervisorService;

  constructor(private readonly opts: DeskOptions) {
    super();
    // Every waiting debtor and live conversation listens for shutdown: hundreds at once is normal.
    setMaxListeners(0, this.shutdown.signal);
    this.registry = new AgentRegistry({ agents: opts.store.agents, clock: opts.clock, log: opts.log.child({ mod: 'agents' }), wrapUpSec: opts.wrapUpSec });
    this.registry.on('changed', (a) => this.emit('agent', a));
    const sp = opts.softphone ?? { wsUrl: '', ttlSec: 3600, codecs: ['ulaw', 'alaw'] };
    this.softphones = new SoftphoneAccounts({ clock: opts.clock, log: opts.log.child({ mod: 'softphone' }), pjsip: opts.telephony.pjsip, ...sp });
    this.registry.on('removed', (id) => void this.softphones.revoke(id));
    this.lines = new AgentLines({
      clock: opts.clock,
      log: opts.log.child({ mod: 'agent-line' }),
      telephony: opts.telephony,
      registry: this.registry,
      ringTimeoutSec: opts.ringTimeoutSec,
      ...(opts.lineMohClass ? { mohClass: opts.lineMohClass } : {}),
      phoneOf: (id) => this.softphones.endpointOf(id),
    });
    this.lines.on('line', (id, info) => this.emit('line', id, info));
    const whisperLang = opts.whisperLang ?? 'nl';
    const { callRecordings } = opts.store;
    const recorder =
      opts.recordingFiles && callRecordings
        ? new ConversationRecorder({
            telephony: opts.telephony,
            tts: opts.tts,
            prompts: opts.prompts,
            clock: opts.clock,
            log: opts.log.child({ mod: 'recorder' }),
            rows: callRecordings,
            files: opts.recordingFiles,
          })
        : undefined;
    this.supervisors = new SupervisorService({
      telephony: opts.telephony,
      live: this.live,
      clock: opts.clock,
      log: opts.log.child({ mod: 'supervisor' }),
      ringTimeoutSec: opts.ringTimeoutSec,
      audit: (e) => opts.auditSupervision?.(e),
    });
    this.transfers = {
      clock: opts.clock,
      log: opts.log.child({ mod: 'transfer' }),
      telephony: opts.telephony,
      tts: opts.tts,
      registry: this.registry,
      legs: agentLegs(opts.store.calls),
      lines: this.lines,
      phoneOf: (id) => this.softphones.endpointOf(id),
      live: this.live,
      ...(recorder ? { recorder } : {}),
      ringTimeoutSec: opts.ringTimeoutSec,
      maxWaitSec: opts.maxWaitSec ?? 60,
      whisperLang,
      mohClass: opts.mohClass,
      shutdown: this.shutdown.signal,
      screenPop: (req, agentCallId, startedAt) => buildScreenPop(opts.store.cases, opts.prompts, req, agentCallId, whisperLang, startedAt),
      pop: (agentId, pop) => this.showPop(agentId, pop),
      agentLeg: (e) => this.emit('agentLeg', e),
    };
  }

  hasAgents(skill: string): boolean {
    return this.registry.hasAvailable(skill);
  }

  /** The case on this agent's screen, if any. */
  activeCase(agentId: number): ScreenPop | undefined {
    return this.cases.get(agentId);
  }

  /** The agent is done with the case (disposition recorded, or wrap-up ended). */
  clearCase(agentId: number): void {
    const pop = this.cases.get(agentId);
    if (pop?.phase !== 'ended') return;
    this.cases.delete(agentId);
    this.emit('pop', agentId, pop);
  }

  transfer(req: TransferRequest, signal?: AbortSignal): Promise<TransferOutcome> {
    const session = new TransferSession(this.transfers, req, signal);
    const p = session.run().then((outcome) => {
      if (outcome.kind === 'connected') this.track(req.callId, session.finished);
      return outcome;
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => {});
    return p;
  }

  whenFinished(callId: string): Promise<void> {
    return this.finished.get(callId) ?? Promise.resolve();
  }

  private track(callId: string, done: Promise<void>): void {
    const p = done.catch((err: unknown) => this.opts.log.error({ err, callId }, 'ending a transferred call failed')).finally(() => this.finished.delete(callId));
    this.finished.set(callId, p);
  }

  private showPop(agentId: number, pop: ScreenPop): void {
    const cur = this.cases.get(agentId);
    // A rung-out leg must not wipe the case of the conversation the agent is still recording.
    if (pop.phase === 'ended' && cur && cur.agentCallId !== pop.agentCallId) return;
    if (pop.phase === 'ended' && !pop.connectedAt) this.cases.delete(agentId);
    else this.cases.set(agentId, pop);
    this.emit('pop', agentId, pop);
  }

  /** Ends waiting transfers and live conversations (both legs hung up), then stops the timers. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await this.supervisors.closeAll();
    await Promise.allSettled([...this.running, ...this.finished.values()]);
    await this.lines.closeAll();
    await this.softphones.revokeAll();
    this.registry.close();
  }
}
