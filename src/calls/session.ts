/**
 * One CallSession per live call (STYLE.md: one session owns a call). Its state is an
 * explicit enum kept here; its playbacks and timers die with it. A hang-up at any point
 * aborts `signal`, which cancels the running step, stops what is playing and clears the
 * timers; the flow then unwinds through CallEnded and the session writes the final row.
 */
import { isoUtc, type TimerHandle } from '../lib/clock.ts';
import { maskPhone, type Logger } from '../lib/log.ts';
import type { CampaignSettings, Language } from '../campaigns/settings.ts';
import type { AmdStatus, AmdVerdict, Call, HangupInfo, Playback } from '../telephony/types.ts';
import type { PromptKey, PromptVars, RenderedPrompt } from '../tts/types.ts';
import type { CallPatch } from '../store/calls.ts';
import type { CallCase, CallDeps, CallResultCode, CallSummary, MenuAction } from './deps.ts';
import { guarded } from '../lib/handler-errors.ts';
import { baseVars, caseLanguage, plannedParts, type PromptParts } from './personal-prompts.ts';
import { planMenu, realise, type JoinRecordings, type RecordingSet } from '../recordings/compose.ts';
import type { RecordingVersions } from '../recordings/library.ts';

export const SESSION_STATES = ['starting', 'identity', 'message', 'menu', 'transferring', 'closing', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** Thrown into a running step when the call is over; flows let it pass. */
export class CallEnded extends Error {
  constructor(readonly info: HangupInfo | undefined) {
    super('the call has ended');
    this.name = 'CallEnded';
  }
}

export function isCallEnded(err: unknown): err is CallEnded {
  return err instanceof CallEnded;
}

export interface SessionInfo {
  callId: string;
  direction: 'outbound' | 'inbound';
  /** The number on the other end (E.164 or as Asterisk gave it), for the masked log field. */
  phone: string;
}

export type Flow = (s: CallSession) => Promise<CallResultCode>;

/** Prompts that already end the conversation politely: no extra goodbye after them. */
const FAREWELL_KEYS: ReadonlySet<PromptKey> = new Set(['goodbye', 'identity_not_confirmed', 'no_agent_available']);

export class CallSession {
  private _state: SessionState = 'starting';
  /** Bumped on every state change: a late result of an earlier step can tell it is stale. */
  private _generation = 0;
  private readonly abort = new AbortController();
  private readonly timers = new Set<TimerHandle>();
  private readonly playbacks = new Set<Playback>();
  private _log: Logger;
  private _case: CallCase | null = null;
  private _dtmfPath = '';
  private _identityConfirmed = false;
  private _messageHeard = false;
  private answeredAt: string | null = null;
  private disposition: CallSummary['disposition'];
  private amdStatus: AmdStatus | null = null;
  /** Recorded prompts: the version of each language's set when the call started, kept to its end. */
  private readonly recordingVersions: RecordingVersions | undefined;
  /** Clock ms of the latest key not yet answered by a prompt (bereik_dtmf_to_prompt_seconds). */
  private keyAt: number | null = null;
  /** The flow's outcome so far; a hang-up after it was reached does not undo it. */
  result: CallResultCode | null = null;
  lang: Language;
  settings: CampaignSettings;
  /** A farewell prompt was played (see FAREWELL_KEYS). */
  farewellSaid = false;
  /** E.164 number an SMS reaches (the dialled phone, or a recognisable caller's), if any. */
  replyTo: string | null = null;

  constructor(
    readonly call: Call,
    readonly deps: CallDeps,
    readonly info: SessionInfo,
  ) {
    this.lang = deps.defaults.language;
    this.settings = deps.defaults.settings;
    this._log = deps.log.child({ callId: info.callId, dir: info.direction, phone: maskPhone(info.phone) });
    this.recordingVersions = deps.recordings?.versions();
    const recordings = deps.recordings;
    this.joinTakes = recordings && ((parts) => recordings.join(parts));
  }

  get state(): SessionState {
    return this._state;
  }
  get generation(): number {
    return this._generation;
  }
  get signal(): AbortSignal {
    return this.abort.signal;
  }
  get ended(): boolean {
    return this._state === 'ended';
  }
  get log(): Logger {
    return this._log;
  }
  get case(): CallCase | null {
    return this._case;
  }
  get dtmfPath(): string {
    return this._dtmfPath;
  }
  get identityConfirmed(): boolean {
    return this._identityConfirmed;
  }
  get messageHeard(): boolean {
    return this._messageHeard;
  }
  get callId(): string {
    return this.info.callId;
  }

  setState(next: SessionState): void {
    if (this._state === 'ended' || this._state === next) return;
    this._log.debug({ from: this._state, to: next }, 'session state');
    this._state = next;
    this._generation++;
  }

  /** Throws CallEnded if the call is over: every step calls it between awaits. */
  throwIfEnded(): void {
    if (this.abort.signal.aborted) throw new CallEnded(this.call.endInfo);
  }

  /** Keeps the calls row current. A store failure is logged, never allowed to drop the call. */
  record(patch: CallPatch): void {
    try {
      this.deps.calls.update(this.info.callId, patch);
    } catch (err) {
      this._log.error({ err }, 'could not update the call row');
    }
  }

  now(): string {
    return isoUtc(this.deps.clock.now());
  }

  /** The call is answered and the flow starts talking (outbound: reached Stasis after AMD). */
  markAnswered(disposition: 'answered' | 'machine', amd?: AmdVerdict): void {
    // The dialer may have stored the real answer time (AMD listens for seconds before Stasis).
    this.answeredAt ??= this.deps.calls.get(this.info.callId)?.answeredAt ?? this.now();
    this.disposition = disposition;
    this.amdStatus = amd?.status ?? null;
    this.record({ state: 'up', answeredAt: this.answeredAt, disposition, amdStatus: amd?.status, amdCause: amd?.cause });
  }

  /** Who we are talking to: sets the language and the campaign's settings for what follows. */
  setCase(c: CallCase): void {
    this._case = c;
    this.settings = c.campaign?.settings ?? this.deps.defaults.settings;
    this.lang = caseLanguage(c, this.deps.defaults.language);
    this._log = this._log.child({ campaignId: c.campaign?.id ?? null, contactId: c.contactId });
    this.record({
      campaignId: c.campaign?.id,
      contactId: c.contactId ?? undefined,
      debtorId: c.debtor.id,
      phoneId: c.phone?.id,
    });
  }

  confirmIdentity(): void {
    this._identityConfirmed = true;
    this.record({ identityConfirmed: true });
    this._log.info('identity confirmed');
  }

  /**
   * The confirmed debtor heard the claim message (to its end, or chose a menu option
   * during it). Recorded once, at that moment, so a later hang-up does not undo it.
   */
  markMessageHeard(): void {
    const c = this._case;
    if (this._messageHeard || !c || !this._identityConfirmed) return;
    this._messageHeard = true;
    const at = this.now();
    this.record({ messageHeard: true });
    try {
      this.deps.effects.messageHeard({ callId: this.info.callId, contactId: c.contactId, claimId: c.claim.id, at });
    } catch (err) {
      this._log.error({ err }, 'could not record that the message was heard');
    }
    this._log.info('claim message heard');
  }

  /** Renders a prompt in the session's language; the text may hold personal data, so it is never logged at info. */
  async prompt(key: PromptKey, vars: PromptVars = {}): Promise<RenderedPrompt> {
    return this.prompts([[key, vars]]);
  }

  /** Several prompts said as one piece of audio (one playback, one barge-in). */
  async prompts(parts: PromptParts): Promise<RenderedPrompt> {
    const base = baseVars(this.settings, this._case);
    const rendered = await realise(plannedParts(this.deps.prompts, this.lang, parts, base, this.recordingSet()), this.deps.tts, this.lang, this.joinTakes, { owner: this._case?.debtor.id });
    this.throwIfEnded();
    if (parts.some(([key]) => FAREWELL_KEYS.has(key))) this.farewellSaid = true;
    return rendered;
  }

  async menuPrompt(options: readonly MenuAction[]): Promise<RenderedPrompt> {
    const set = this.recordingSet();
    const rendered = set
      ? await realise(planMenu(this.deps.prompts, options, this.lang, set), this.deps.tts, this.lang, this.joinTakes)
      : await this.deps.tts.render(this.deps.prompts.menuText(options, this.lang), this.lang);
    this.throwIfEnded();
    return rendered;
  }

  private readonly joinTakes: JoinRecordings | undefined;

  /** The recordings of the session's language at the version the call started with; undefined when there are none. */
  private recordingSet(): RecordingSet | undefined {
    const version = this.recordingVersions?.[this.lang] ?? 0;
    const set = version > 0 ? this.deps.recordings?.set(this.lang, version) : undefined;
    return set?.size ? set : undefined;
  }

  /** Plays media (a list: one after another) on the call; the playback is stopped if the session ends first. */
  async play(media: string | string[]): Promise<Playback> {
    this.throwIfEnded();
    const pb = await this.call.play(media, { lang: this.lang });
    this.timeReaction();
    this.playbacks.add(pb);
    void pb.finished.then(() => this.playbacks.delete(pb));
    if (this.abort.signal.aborted) void pb.stop().catch(() => {});
    this.throwIfEnded();
    return pb;
  }

  /** A timer owned by the session: cleared when the call ends. */
  setTimer(ms: number, fn: () => void): TimerHandle {
    const h = this.deps.clock.setTimeout(() => {
      this.timers.delete(h);
      if (!this.ended) guarded(this._log, 'timer', { timer: 'call session' }, fn);
    }, ms);
    this.timers.add(h);
    return h;
  }

  /** Waits for p, or throws CallEnded as soon as the call ends. */
  until<T>(p: Promise<T>): Promise<T> {
    this.throwIfEnded();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new CallEnded(this.call.endInfo));
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => this.abort.signal.removeEventListener('abort', onAbort));
    });
  }

  /** Runs the flow to its end and writes the final row. Resolves once the call is over. */
  async run(flow: Flow): Promise<CallSummary> {
    const onDtmf = (digit: string) => {
      this.keyAt = this.deps.clock.now();
      this._dtmfPath += digit;
      this.record({ dtmfPath: this._dtmfPath });
    };
    const onEnded = (info: HangupInfo) => this.end(info);
    this.call.on('dtmf', onDtmf);
    this.call.once('ended', onEnded);
    if (this.call.ended) this.end(this.call.endInfo);
    try {
      this.result = await flow(this);
    } catch (err) {
      // A request that raced the hang-up (404 on a gone channel) is the hang-up, not a failure.
      if (!isCallEnded(err) && !this.call.ended) {
        this._log.error({ err }, 'call flow failed');
        this.result ??= 'failed';
      } else if (!isCallEnded(err)) {
        this._log.debug({ err }, 'request raced the hang-up');
      }
    }
    if (!this.call.ended) {
      this.setState('closing');
      await this.call.hangup().catch((err: unknown) => this._log.warn({ err }, 'hang-up failed'));
    }
    const info = await this.call.whenEnded();
    this.end(info);
    this.call.off('dtmf', onDtmf);
    this.call.off('ended', onEnded);
    return this.finish(info);
  }

  /** A prompt started: the reaction to the debtor's latest key, if one is waiting for it. */
  private timeReaction(): void {
    if (this.keyAt === null) return;
    this.deps.dtmfToPrompt?.observe((this.deps.clock.now() - this.keyAt) / 1000);
    this.keyAt = null;
  }

  private end(info: HangupInfo | undefined): void {
    if (this.abort.signal.aborted) return;
    this.setState('ended');
    this.abort.abort(new CallEnded(info));
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const pb of this.playbacks) void pb.stop().catch(() => {});
    this.playbacks.clear();
  }

  private finish(info: HangupInfo): CallSummary {
    // Hanging up before any outcome was reached is its own retry outcome (settings.RETRY_OUTCOMES).
    const result = this.result ?? 'hangup_early';
    const endedAt = this.now();
    const c = this._case;
    const summary: CallSummary = {
      callId: this.info.callId,
      direction: this.info.direction,
      campaignId: c?.campaign?.id ?? null,
      contactId: c?.contactId ?? null,
      debtorId: c?.debtor.id ?? null,
      claimId: c?.claim.id ?? null,
      disposition: this.disposition,
      result,
      amdStatus: this.amdStatus,
      identityConfirmed: this._identityConfirmed,
      messageHeard: this._messageHeard,
      dtmfPath: this._dtmfPath,
      answeredAt: this.answeredAt,
      endedAt,
      hangupCause: info.cause,
      hungUpBy: info.byApp ? 'app' : 'debtor',
    };
    this._log.info({ result, cause: info.cause, heard: this._messageHeard, keys: this._dtmfPath.length }, 'call finished');
    const writes = () => {
      this.record({ state: 'ended', endedAt, hangupCause: info.cause, hangupText: info.causeText, dtmfPath: this._dtmfPath, result });
      try {
        this.deps.onCallFinished(summary);
      } catch (err) {
        this._log.error({ err }, 'onCallFinished failed');
      }
    };
    const inTransaction = this.deps.inTransaction;
    if (!inTransaction) {
      writes();
      return summary;
    }
    try {
      inTransaction(writes);
    } catch (err) {
      // Only the commit itself can fail here (each write catches its own errors).
      this._log.error({ err }, 'could not commit the end of the call');
    }
    return summary;
  }
}
