/**
 * The dialer's view of its calls in flight: from originate to the recorded outcome.
 * A call that reaches Stasis is handed to the flow; its end is recorded once, with the
 * flow's summary when there is one. A call that never reaches Stasis (busy, no answer,
 * unreachable) ends through its handle. Every timer here is on the injected clock and
 * dies with the attempt.
 */
import type { CallSummary } from '../../calls/deps.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { DialerRepository } from '../../store/dialer.ts';
import type { AmdVerdict, Call, HangupInfo, StasisEntry } from '../../telephony/types.ts';
import type { OutboundCallContext, OutboundFlowStarter, WindowsFor } from './deps.ts';
import { recordAttempt, type Recorded } from './record.ts';

const NOT_CHECKED: AmdVerdict = { status: 'NOTCHECKED', cause: '' };

/** After a call that was in the flow ends, how long to wait for the flow's summary (clock ms). */
export const SUMMARY_GRACE_MS = 10_000;

export interface LiveDeps {
  store: DialerRepository;
  clock: Clock;
  log: Logger;
  startFlow: OutboundFlowStarter;
  /** Told after each recorded attempt (tests and the live view listen). */
  onRecorded?: (callId: string, recorded: Recorded) => void;
  /** The calling-window rule for retries (default: the law's). */
  windowsFor?: WindowsFor | undefined;
}

interface Attempt {
  ctx: Omit<OutboundCallContext, 'amd'>;
  call: Call | null;
  startedAt: number;
  answeredAt: number | null;
  reachedStasis: boolean;
  /** AMD's verdict, once the call reached Stasis. */
  amd: AmdVerdict | null;
  summary: CallSummary | null;
  grace: TimerHandle | null;
}

export class LiveAttempts {
  private readonly byId = new Map<string, Attempt>();

  constructor(private readonly deps: LiveDeps) {}

  get size(): number {
    return this.byId.size;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  has(callId: string): boolean {
    return this.byId.has(callId);
  }

  /** Follows a call from its originate (or its re-attachment after a restart) to its recorded end. */
  watch(call: Call, ctx: Attempt['ctx'], startedAt = this.deps.clock.now()): void {
    const a: Attempt = { ctx, call, startedAt, answeredAt: null, reachedStasis: false, amd: null, summary: null, grace: null };
    this.byId.set(ctx.callId, a);
    const { store, clock } = this.deps;
    call.on('ringing', () => store.setCallState(ctx.callId, 'ringing', null));
    call.on('answered', () => {
      if (a.answeredAt !== null) return;
      a.answeredAt = clock.now();
      store.setCallState(ctx.callId, 'up', new Date(a.answeredAt).toISOString());
    });
    void call.whenInStasis().then((entry) => {
      if (entry) this.inStasis(a, call, entry);
    });
    void call.whenEnded().then((info) => this.ended(a, info));
  }

  /** The flow's report of a finished call (CallDeps.onCallFinished). */
  summary(s: CallSummary): void {
    const a = this.byId.get(s.callId);
    if (!a) return;
    a.summary = s;
    // After a transfer the call may go on with an agent: the attempt ends with the channel.
    if (a.call && !a.call.ended) return;
    this.finish(a, a.call?.endInfo ?? { cause: s.hangupCause ?? 16, causeText: 'ended by the flow', answered: true, byApp: s.hungUpBy === 'app' });
  }

  /** An originate Asterisk refused: a failed attempt, rescheduled like any other. */
  originateFailed(callId: string, error: string): void {
    this.byId.delete(callId);
    const r = recordAttempt(this.deps, callId, { hangup: null, reachedStasis: false, amdStatus: '', summary: null });
    this.deps.log.warn({ callId, error }, 'originate failed; attempt rescheduled');
    if (r) this.deps.onRecorded?.(callId, r);
  }

  /** Stops following every call (the calls themselves go on; a restart re-attaches them). */
  release(): void {
    for (const a of this.byId.values()) a.grace?.cancel();
    this.byId.clear();
  }

  /** Calls started before `olderThan` that never reached Stasis (for the watchdog). */
  stuck(olderThan: number): { callId: string; call: Call | null }[] {
    return [...this.byId.values()].filter((a) => !a.reachedStasis && a.startedAt < olderThan).map((a) => ({ callId: a.ctx.callId, call: a.call }));
  }

  /** The watchdog found the channel gone without an end event. */
  gone(callId: string): void {
    const a = this.byId.get(callId);
    if (a) this.finish(a, a.call?.endInfo ?? { cause: 0, causeText: 'channel gone', answered: false, byApp: false });
  }

  private inStasis(a: Attempt, call: Call, entry: StasisEntry): void {
    a.reachedStasis = true;
    // Arguments Bereik does not produce: the flow logs them and hangs up; AMD told us nothing.
    a.amd = entry.kind === 'outbound' ? entry.amd : NOT_CHECKED;
    // A dialplan-routed call shows its answer only now (the app hears nothing before Stasis).
    if (a.answeredAt === null) {
      a.answeredAt = this.deps.clock.now();
      this.deps.store.setCallState(a.ctx.callId, 'up', new Date(a.answeredAt).toISOString());
    }
    const ctx: OutboundCallContext = { ...a.ctx, amd: a.amd };
    Promise.resolve()
      .then(() => this.deps.startFlow(call, ctx))
      .then((s) => {
        if (s) this.summary(s);
      })
      .catch((err: unknown) => {
        this.deps.log.error({ err, callId: a.ctx.callId }, 'outbound flow failed');
        void call.hangup().catch(() => undefined);
      });
  }

  private ended(a: Attempt, info: HangupInfo): void {
    if (!this.byId.has(a.ctx.callId)) return;
    if (!a.reachedStasis || a.summary) return this.finish(a, info);
    // In the flow: its summary says what the debtor chose; give it a moment to arrive.
    a.grace = this.deps.clock.setTimeout(() => this.finish(a, info), SUMMARY_GRACE_MS);
  }

  private finish(a: Attempt, info: HangupInfo): void {
    if (this.byId.get(a.ctx.callId) !== a) return;
    this.byId.delete(a.ctx.callId);
    a.grace?.cancel();
    const r = recordAttempt(
      this.deps,
      a.ctx.callId,
      { hangup: info, reachedStasis: a.reachedStasis, amdStatus: a.amd?.status ?? '', summary: a.summary },
      { amdCause: a.amd?.cause ?? '', answeredAt: a.answeredAt },
    );
    if (r) this.deps.onRecorded?.(a.ctx.callId, r);
  }
}
