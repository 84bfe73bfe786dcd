/**
 * Supervisors listening in (issue 16 §3, docs/supervisors.md). A supervisor's phone is rung
 * once per session (the endpoint of the agent record their token is linked to, like an
 * agent's desk phone) and answered into a mixing bridge of its own. Then, on the agent's
 * channel of a live conversation (live-calls.ts):
 *
 * - listen: a snoop channel spying both directions (the agent's voice and what the agent
 *   hears, the debtor) joins the supervisor's bridge; nobody hears the supervisor;
 * - whisper: the same snoop, whispering `out`: what the supervisor says goes to the agent's
 *   channel only, so the agent hears it and the debtor does not;
 * - barge: the supervisor's channel moves into the conversation's own bridge: all three hear
 *   each other.
 *
 * Switching mode replaces the snoop (or moves the supervisor's channel back); stop hangs up
 * the supervisor's channel and the snoop and destroys their bridge. A session also ends by
 * itself when the conversation ends or the supervisor hangs up. Every start, switch and end
 * is written to the access audit with who, which call and which mode (`audit` below).
 */
import { randomUUID } from 'node:crypto';
import { isoUtc, type Clock } from '../lib/clock.ts';
import { BereikError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { Bridge, Call, Telephony } from '../telephony/types.ts';
import type { LiveCalls, LiveConversation } from './live-calls.ts';
import { ringUntilAnswered } from './ring-phone.ts';

export const SUPERVISE_MODES = ['listen', 'whisper', 'barge'] as const;
export type SuperviseMode = (typeof SUPERVISE_MODES)[number];

export interface Supervisor {
  /** The supervisor's token id: one session per token. */
  tokenId: number;
  name: string;
  /** Dial string of their phone. */
  endpoint: string;
  /** The address they called from (the audit's actor). */
  address: string | null;
}

export type SuperviseAction = 'start' | 'switch' | 'stop' | 'ended';

/** One audit entry: who did what on which call, in which mode. */
export interface SuperviseAudit {
  supervisor: Supervisor;
  action: SuperviseAction;
  conversation: LiveConversation;
  mode: SuperviseMode;
  sessionId: string;
  /** Why a session ended by itself. */
  reason?: string;
}

export interface SessionView {
  id: string;
  callId: string;
  agentId: number;
  mode: SuperviseMode;
  startedAt: string;
}

interface Session {
  id: string;
  supervisor: Supervisor;
  conv: LiveConversation;
  mode: SuperviseMode;
  leg: Call;
  own: Bridge;
  snoop: Call | undefined;
  startedAt: string;
  over: boolean;
  /** Mode changes run one after another. */
  queue: Promise<unknown>;
}

export interface SupervisorOptions {
  telephony: Pick<Telephony, 'originate' | 'createBridge' | 'snoop'>;
  live: LiveCalls;
  clock: Clock;
  log: Logger;
  ringTimeoutSec: number;
  audit(e: SuperviseAudit): void;
}

export class SupervisorService {
  private readonly sessions = new Map<number, Session>();

  constructor(private readonly o: SupervisorOptions) {
    o.live.on('ended', (c) => {
      for (const s of this.sessions.values()) if (s.conv.callId === c.callId) void this.end(s, 'ended', 'the conversation ended');
    });
  }

  /** This supervisor's session, if any. */
  sessionOf(tokenId: number): SessionView | undefined {
    const s = this.sessions.get(tokenId);
    return s && view(s);
  }

  /** Sessions on a call (the list shows who listens where). */
  sessionsOn(callId: string): SessionView[] {
    return [...this.sessions.values()].filter((s) => s.conv.callId === callId).map(view);
  }

  /** Starts listening in on a live call, or switches this supervisor's session to `mode`. */
  async supervise(who: Supervisor, callId: string, mode: SuperviseMode): Promise<SessionView> {
    const conv = this.o.live.get(callId);
    if (!conv) throw new BereikError('NOT_FOUND', `supervisor: call ${callId} is not a live conversation with an agent`, { callId }, 404);
    const cur = this.sessions.get(who.tokenId);
    if (cur && cur.conv.callId === callId) {
      cur.queue = cur.queue.then(() => this.apply(cur, mode, 'switch'));
      await cur.queue;
      return view(cur);
    }
    if (cur) await this.end(cur, 'stop', 'moved to another call');
    const s = await this.open(who, conv, mode);
    return view(s);
  }

  /** Stops this supervisor's session; undefined when there was none. */
  async stop(tokenId: number): Promise<SessionView | undefined> {
    const s = this.sessions.get(tokenId);
    if (!s) return undefined;
    await this.end(s, 'stop');
    return view(s);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.end(s, 'ended', 'service stopping')));
  }

  private async open(who: Supervisor, conv: LiveConversation, mode: SuperviseMode): Promise<Session> {
    const id = randomUUID();
    const log = this.o.log.child({ supervisor: who.tokenId, callId: conv.callId });
    const failed = (reason: string, err?: unknown): never => {
      log.warn({ err, reason }, 'supervisor phone could not be reached');
      throw new BereikError('SUPERVISOR_PHONE_FAILED', `supervisor ${who.name}: the phone ${who.endpoint} could not be reached: ${reason}`, { reason }, 503);
    };
    const rung = await ringUntilAnswered(this.o, { endpoint: who.endpoint, route: { kind: 'app', args: ['supervisor', id] }, channelId: `sup-${id}` }, this.o.ringTimeoutSec);
    if ('failed' in rung) return failed(rung.failed, rung.err);
    const { leg } = rung;
    let own: Bridge;
    try {
      own = await this.o.telephony.createBridge('mixing', { name: `supervise-${id}` });
      await own.addChannel(leg);
    } catch (err) {
      await leg.hangup().catch(() => {});
      return failed('the supervisor bridge could not be set up', err);
    }
    const s: Session = { id, supervisor: who, conv, mode, leg, own, snoop: undefined, startedAt: isoUtc(this.o.clock.now()), over: false, queue: Promise.resolve() };
    this.sessions.set(who.tokenId, s);
    void leg.whenEnded().then(() => this.end(s, 'ended', 'the supervisor hung up'));
    try {
      await this.apply(s, mode, 'start');
    } catch (err) {
      await this.end(s, 'ended', 'could not listen in');
      throw err;
    }
    return s;
  }

  private async apply(s: Session, mode: SuperviseMode, action: 'start' | 'switch'): Promise<void> {
    if (s.over) return;
    if (action === 'switch' && mode === s.mode) return;
    const { conv } = s;
    const old = s.snoop;
    if (mode === 'barge') {
      // Adding the supervisor to the conversation's bridge moves them out of their own.
      await conv.bridge.addChannel(s.leg);
      s.snoop = undefined;
    } else {
      const snoop = await this.o.telephony.snoop(conv.agentLeg, { spy: 'both', whisper: mode === 'whisper' ? 'out' : 'none', args: ['supervisor-snoop', s.id] });
      await snoop.whenInStasis();
      s.snoop = snoop;
      if (s.over) return void (await snoop.hangup().catch(() => {}));
      await s.own.addChannel(snoop);
      if (s.mode === 'barge' && action === 'switch') await s.own.addChannel(s.leg);
    }
    await old?.hangup().catch(() => {});
    s.mode = mode;
    this.o.audit({ supervisor: s.supervisor, action, conversation: conv, mode, sessionId: s.id });
  }

  private async end(s: Session, action: 'stop' | 'ended', reason?: string): Promise<void> {
    if (s.over) return;
    s.over = true;
    if (this.sessions.get(s.supervisor.tokenId) === s) this.sessions.delete(s.supervisor.tokenId);
    await s.snoop?.hangup().catch(() => {});
    await s.leg.hangup().catch(() => {});
    await s.own.destroy().catch(() => {});
    this.o.audit({ supervisor: s.supervisor, action, conversation: s.conv, mode: s.mode, sessionId: s.id, ...(reason ? { reason } : {}) });
  }
}

function view(s: Session): SessionView {
  return { id: s.id, callId: s.conv.callId, agentId: s.conv.agentId, mode: s.mode, startedAt: s.startedAt };
}
