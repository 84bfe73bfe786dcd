/**
 * The agent's line (issue 16 §1): for the whole desktop session the agent sits on one open
 * call in a mixing bridge of their own. Opening it rings the agent's endpoint once (a desk
 * phone, or the desktop's softphone); from then on a debtor is moved into that bridge at
 * once (line-connect.ts), with no ringing and no answer to wait for.
 *
 * A line ends in one of three ways: the agent closes it (desktop logout, going offline,
 * the agent deleted), the service stops, or it drops (the phone hung up, the network went,
 * Asterisk lost the channel). Only a drop is unexpected: the agent is paused (after the
 * conversation on the line, if any, is over), the pacer stops counting them, and the
 * desktop hears `dropped` and opens the line again with backoff.
 */
import { EventEmitter } from 'node:events';
import { isoUtc, type Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { Bridge, Call, Telephony } from '../telephony/types.ts';
import type { AgentRegistry } from './registry.ts';
import { ringUntilAnswered } from './ring-phone.ts';

export const LINE_STATES = ['none', 'opening', 'open', 'dropped'] as const;
export type LineState = (typeof LINE_STATES)[number];

/** What the desktop and the API show of an agent's line. */
export interface LineInfo {
  state: LineState;
  /** UTC ISO time it entered the state. */
  since: string;
  /** Why it is 'dropped' or why opening failed: the phone's hang-up cause in words. */
  reason?: string;
}

/** An open line: the agent's channel, alone in their bridge between debtors. */
export interface OpenLine {
  readonly agentId: number;
  readonly leg: Call;
  readonly bridge: Bridge;
  /** The debtor's call on the line now (Bereik call id), if any. */
  debtorCallId: string | undefined;
}

export interface LineEvents {
  line: [agentId: number, info: LineInfo];
}

export interface LinesOptions {
  clock: Clock;
  log: Logger;
  telephony: Telephony;
  registry: AgentRegistry;
  /** How long the agent's phone rings when the line is opened (config agents.ringTimeoutSec). */
  ringTimeoutSec: number;
  /** Music between calls; silence when unset. */
  mohClass?: string;
  /**
   * The phone the line rings when not the agent's own endpoint: the desktop softphone's
   * per-login endpoint (softphone.ts). The line is the same call either way.
   */
  phoneOf?: (agentId: number) => string | undefined;
}

interface Entry {
  info: LineInfo;
  line?: OpenLine;
  /** Set while the line is being closed on purpose: its end is not a drop. */
  closing?: boolean;
}

export class AgentLines extends EventEmitter<LineEvents> {
  private readonly entries = new Map<number, Entry>();
  private readonly opening = new Map<number, Promise<LineInfo>>();

  constructor(private readonly o: LinesOptions) {
    super();
    o.registry.on('changed', (a) => {
      if (a.state === 'offline' && this.entries.get(a.id)?.line) void this.close(a.id);
    });
    o.registry.on('removed', (id) => void this.close(id));
  }

  info(agentId: number): LineInfo {
    return { ...(this.entries.get(agentId)?.info ?? { state: 'none', since: isoUtc(this.o.clock.now()) }) };
  }

  /** The agent's line when it is open. */
  get(agentId: number): OpenLine | undefined {
    const e = this.entries.get(agentId);
    return e?.info.state === 'open' ? e.line : undefined;
  }

  isOpen(agentId: number): boolean {
    return this.entries.get(agentId)?.info.state === 'open';
  }

  /**
   * Rings the agent's endpoint once and keeps the answered call in the agent's bridge.
   * Resolves with the line open; an open line is returned as it is (a desktop reconnecting).
   * Throws AGENT_LINE_FAILED when the phone does not answer within the ring timeout.
   */
  open(agentId: number): Promise<LineInfo> {
    const cur = this.entries.get(agentId);
    if (cur?.info.state === 'open') return Promise.resolve({ ...cur.info });
    let p = this.opening.get(agentId);
    if (!p) {
      p = this.dial(agentId).finally(() => this.opening.delete(agentId));
      this.opening.set(agentId, p);
    }
    return p;
  }

  /** Hangs the line up on purpose (logout, offline, shutdown): not a drop. */
  async close(agentId: number): Promise<void> {
    const e = this.entries.get(agentId);
    if (!e) return;
    e.closing = true;
    const line = e.line;
    this.entries.delete(agentId);
    if (line) {
      await line.leg.hangup().catch(() => {});
      await line.bridge.destroy().catch(() => {});
    }
    this.emit('line', agentId, this.info(agentId));
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.opening.values()]);
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }

  private set(agentId: number, e: Entry, state: LineState, reason?: string): void {
    e.info = { state, since: isoUtc(this.o.clock.now()), ...(reason ? { reason } : {}) };
    this.emit('line', agentId, { ...e.info });
  }

  private async dial(agentId: number): Promise<LineInfo> {
    const agent = this.o.registry.get(agentId);
    if (!agent) throw new BereikError('NOT_FOUND', `agents: no agent ${agentId}`, undefined, 404);
    const e: Entry = { info: { state: 'none', since: isoUtc(this.o.clock.now()) } };
    this.entries.set(agentId, e);
    this.set(agentId, e, 'opening');
    const log = this.o.log.child({ agentId });
    const endpoint = this.o.phoneOf?.(agentId) ?? agent.endpoint;
    const fail = (reason: string, err?: unknown): never => {
      if (this.entries.get(agentId) === e) this.set(agentId, e, 'dropped', reason);
      log.warn({ err, reason }, 'agent line could not be opened');
      throw new BereikError('AGENT_LINE_FAILED', `agent ${agentId}: the line to ${endpoint} could not be opened: ${reason}`, { agentId, reason }, 503);
    };
    const rung = await ringUntilAnswered(this.o, {
      endpoint,
      route: { kind: 'app', args: ['agent', `line-${agentId}`, String(agentId)] },
      channelId: `line-${agentId}-${this.o.clock.now().toString(36)}`,
      variables: { BEREIK_AGENT_LINE: String(agentId) },
    }, this.o.ringTimeoutSec);
    if ('failed' in rung) return e.closing ? this.info(agentId) : fail(rung.failed, rung.err);
    const { leg } = rung;
    if (e.closing) {
      await leg.hangup().catch(() => {});
      return this.info(agentId);
    }
    let bridge: Bridge;
    try {
      bridge = await this.o.telephony.createBridge('mixing', { name: `line-${agentId}` });
      await bridge.addChannel(leg);
      if (this.o.mohClass) await bridge.startMoh(this.o.mohClass);
    } catch (err) {
      await leg.hangup().catch(() => {});
      return fail('the line bridge could not be set up', err);
    }
    const line: OpenLine = { agentId, leg, bridge, debtorCallId: undefined };
    e.line = line;
    this.set(agentId, e, 'open');
    log.info('agent line open');
    void leg.whenEnded().then((info) => this.ended(agentId, e, info.causeText));
    return { ...e.info };
  }

  /** The line's call ended: a drop unless it was closed on purpose. */
  private async ended(agentId: number, e: Entry, causeText: string): Promise<void> {
    if (e.closing || this.entries.get(agentId) !== e) return;
    const bridge = e.line?.bridge;
    e.line = undefined;
    // Dropped and paused before the bridge is torn down: while that request is out, a debtor
    // looking for an agent must not take this one for an agent without a line and ring them.
    this.set(agentId, e, 'dropped', causeText || 'the call ended');
    this.o.log.warn({ agentId, causeText }, 'agent line dropped');
    // An agent on a call is paused once that conversation has wound down (line-connect.ts).
    this.o.registry.tryApply(agentId, 'pause');
    await bridge?.destroy().catch(() => {});
  }
}
