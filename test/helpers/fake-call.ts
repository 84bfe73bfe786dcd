/**
 * Test doubles for the calls module: the suite's one fake Call (a phone that presses keys
 * after the n-th prompt and may hang up during one, or a dialled call the dialer tests
 * answer and end by hand), the silent TTS remembering which
 * text each media stands for, an AgentDesk whose answer the test chooses, and a seeded
 * store with the deps wired to it (real prompts, real segmentation).
 */
import { prompts } from './prompts.ts';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, SystemClock, type Clock } from '../../src/lib/clock.ts';
import { runOnFakeTime } from './fake-time.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { DEFAULT_SETTINGS, type CampaignSettings, type Language } from '../../src/campaigns/settings.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { createCallHandler } from '../../src/calls/index.ts';
import { createCall, getCall } from '../../src/store/calls.ts';
import { createCallDeps } from '../../src/calls/wire.ts';
import type { Call, CallEvents, ChannelState, CollectOptions, CollectResult, HangupInfo, OriginateOptions, Playback, PlaybackEnd, StasisEntry } from '../../src/telephony/types.ts';
import { parseStasisEntry } from '../../src/telephony/stasis-entry.ts';
import type { RenderOptions, RenderedPrompt, TtsEngine } from '../../src/tts/types.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import type { AgentDesk, CallDeps, CallSummary, TransferOutcome, TransferRequest } from '../../src/calls/deps.ts';
import { DigitBuffer } from '../../src/telephony/dtmf.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { loadConfig } from '../../src/config/load.ts';

/** The shipped defaults, with unknown callers hearing the message (the flows' tests expect that). */
const TEST_CONFIG = loadConfig({}, { inbound: { unknownCaller: 'message' } });

// ---- TTS ------------------------------------------------------------------------------

/**
 * The silent engine (writes silence as long as the text would take to say, so the
 * simulator plays it for that long) that remembers which text each media stands for.
 */
export class TextTts implements TtsEngine {
  readonly textOf = new Map<string, string>();
  readonly durationOf = new Map<string, number>();
  /** The debtor each audio was rendered about (RenderOptions.owner: erasure deletes it). */
  readonly ownerOf = new Map<string, number | undefined>();
  private readonly engine: TtsEngine;
  /** `engine`: another engine to remember texts for (a fallback chain, a counting one); by default the silent one in `dir`. */
  constructor(readonly dir: string, engine?: TtsEngine) {
    this.engine = engine ?? new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  }
  /** Renders still writing their file (virtual time waits for them: test/helpers/fake-time.ts). */
  readonly inFlight = new Set<Promise<unknown>>();
  async render(text: string, lang: Language, opts?: RenderOptions): Promise<RenderedPrompt> {
    const pending = this.engine.render(text, lang, opts);
    this.inFlight.add(pending);
    const r = await pending.finally(() => this.inFlight.delete(pending));
    this.textOf.set(r.media, r.text);
    this.durationOf.set(r.media, r.durationMs);
    this.ownerOf.set(r.media, opts?.owner);
    return r;
  }
}

// ---- agents ---------------------------------------------------------------------------

export class FakeAgentDesk implements AgentDesk {
  readonly requests: TransferRequest[] = [];
  constructor(
    public outcome: TransferOutcome['kind'] = 'no_agent',
    public available = true,
  ) {}
  hasAgents(): boolean {
    return this.available;
  }
  async transfer(req: TransferRequest): Promise<TransferOutcome> {
    this.requests.push(req);
    if (this.outcome === 'connected') {
      // Stand-in for the agent conversation: it ends as soon as it began.
      void Promise.resolve().then(() => req.call.hangup());
      return { kind: 'connected', agentId: 7 };
    }
    return { kind: this.outcome } as TransferOutcome;
  }
}

// ---- a scripted call ------------------------------------------------------------------

export interface KeyScript {
  /** 1-based prompt number (each play() is one prompt). */
  afterPrompt: number;
  on?: 'start' | 'end';
  delayMs?: number;
  keys: string;
}

export interface PhoneScript {
  keys?: KeyScript[];
  /** Hang up delayMs after the n-th prompt started. */
  hangupDuringPrompt?: { prompt: number; delayMs: number };
  /** Hang up when nothing has played for this long after a prompt (default 30 s). */
  idleHangupMs?: number;
  /** Prompt numbers Asterisk cannot play (a missing file): they end at once, as failed. */
  unplayable?: number[];
}

export interface HeardItem {
  media: string;
  text: string;
  end: PlaybackEnd | 'playing';
}

/** One playback: one media, or a list whose items play one after another (next()), as on Asterisk. */
class FakePlayback implements Playback {
  readonly finished: Promise<PlaybackEnd>;
  private settle!: (e: PlaybackEnd) => void;
  private readonly nextListeners: ((index: number) => void)[] = [];
  done = false;
  /** The item playing now (undefined before the first starts). */
  item: HeardItem | undefined;
  index = -1;
  constructor(
    readonly id: string,
    readonly media: string,
  ) {
    this.finished = new Promise((r) => (this.settle = r));
  }
  onNext(listener: (index: number) => void): void {
    this.nextListeners.push(listener);
  }
  /** The current item played to its end and the next one starts. */
  next(item: HeardItem): void {
    if (this.item) {
      if (this.item.end === 'playing') this.item.end = 'done';
      // Asterisk says "continuing" after a failed item too.
      for (const l of this.nextListeners) l(this.index);
    }
    this.item = item;
    this.index++;
  }
  end(how: PlaybackEnd): void {
    if (this.done) return;
    this.done = true;
    if (this.item) this.item.end = how;
    this.settle(how);
  }
  async stop(): Promise<void> {
    this.end('stopped');
  }
}

export interface FakeCallOptions {
  /** Times prompts, key presses and the idle hang-up (default: the system clock; a dialled call that never plays needs none). */
  clock?: Clock;
  /** Plays prompts for as long as their text takes to say (without it the call plays nothing). */
  tts?: TextTts;
  /** Stasis arguments of a call already in the app (an inbound call, or an answered outbound one). */
  args?: string[];
  script?: PhoneScript;
  callerNumber?: string;
  id?: string;
  /**
   * A call the dialer placed and the test drives: it starts ringing (state Down, not in
   * Stasis) until enterStasis(); end() ends it with any cause.
   */
  originate?: OriginateOptions;
}

/**
 * The one fake Call of the test suite: a scripted phone (keys after the n-th prompt, a
 * hang-up during one, silence) for the call flows, or a dialled call whose answer and end
 * the dialer tests decide (enterStasis, end).
 */
export class FakeCall extends EventEmitter<CallEvents> implements Call {
  readonly id: string;
  state: ChannelState;
  callerName = '';
  readonly callerNumber: string;
  exten: string;
  /** Why the call is in the app (null while a dialled call rings). */
  entry: StasisEntry | null;
  inStasis: boolean;
  endInfo: HangupInfo | undefined;
  /** Bereik hung this call up (not the phone). */
  hungUp = false;
  readonly opts: OriginateOptions | undefined;
  readonly heard: HeardItem[] = [];
  readonly pressed: string[] = [];
  answeredByApp = false;
  private readonly clock: Clock;
  private readonly tts: TextTts | undefined;
  private readonly script: PhoneScript;
  private readonly digits: DigitBuffer;
  private prompts = 0;
  private playing: FakePlayback | undefined;
  private idle: ReturnType<Clock['setTimeout']> | undefined;
  private readonly stasisWaiters: ((e: StasisEntry | null) => void)[] = [];

  constructor(o: FakeCallOptions = {}) {
    super();
    this.id = o.id ?? o.originate?.channelId ?? `fake-${Math.random().toString(36).slice(2, 10)}`;
    this.clock = o.clock ?? new SystemClock();
    this.tts = o.tts;
    this.script = o.script ?? {};
    this.callerNumber = o.callerNumber ?? '';
    this.opts = o.originate;
    this.inStasis = !o.originate;
    this.entry = o.originate ? null : parseStasisEntry(o.args ?? []);
    this.state = o.originate ? 'Down' : 'Up';
    this.exten = this.entry?.kind === 'inbound' ? this.entry.exten : '';
    this.digits = new DigitBuffer(this.clock);
    // The idle timer starts with the first prompt: a cold first render (module loading,
    // TTS cache) on a busy machine must not look like silence to the phone.
  }

  get ended(): boolean {
    return this.endInfo !== undefined;
  }
  /** The number a dialled call went to (PJSIP/<number>@trunk). */
  get number(): string {
    const endpoint = this.opts?.endpoint ?? '';
    return /PJSIP\/([^@]+)/.exec(endpoint)?.[1] ?? endpoint;
  }
  get pendingDigits(): string {
    return this.digits.pending;
  }
  /** The texts this phone heard, in order (cut-off ones included). */
  get texts(): string[] {
    return this.heard.map((h) => h.text);
  }

  whenEnded(): Promise<HangupInfo> {
    return this.endInfo ? Promise.resolve(this.endInfo) : new Promise((r) => this.once('ended', r));
  }
  whenInStasis(): Promise<StasisEntry | null> {
    if (this.inStasis) return Promise.resolve(this.entry);
    if (this.ended) return Promise.resolve(null);
    return new Promise((r) => this.stasisWaiters.push(r));
  }
  /** The dialled phone answered and the dialplan reached Stasis with this AMD verdict. */
  enterStasis(amd = 'HUMAN'): void {
    this.state = 'Up';
    this.inStasis = true;
    const entry = parseStasisEntry(['outbound', this.id, amd, '']);
    this.entry = entry;
    this.emit('answered');
    this.emit('stasisStart', entry);
    for (const w of this.stasisWaiters.splice(0)) w(entry);
  }
  async answer(): Promise<void> {
    this.answeredByApp = true;
  }
  async ring(): Promise<void> {}
  /** Each media of a list counts as one prompt for the script, as if played one by one. */
  async play(media: string | string[]): Promise<Playback> {
    const tts = this.tts;
    if (!tts) throw new Error('this fake call plays nothing: give it a TextTts');
    const list = Array.isArray(media) ? media : [media];
    const pb = new FakePlayback(`pb-${this.heard.length}`, list.join(','));
    if (this.ended) {
      pb.end('hangup');
      return pb;
    }
    this.playing = pb;
    this.idle?.cancel();
    let n = 0;
    const playItem = (i: number) => {
      const m = list[i]!;
      const item: HeardItem = { media: m, text: tts.textOf.get(m) ?? m, end: 'playing' };
      if (i > 0) this.afterPrompt(n, 'end');
      pb.next(item);
      this.heard.push(item);
      n = ++this.prompts;
      const fails = this.script.unplayable?.includes(n) ?? false;
      if (fails) item.end = 'failed';
      this.clock.setTimeout(() => {
        if (pb.done || pb.item !== item) return;
        if (i + 1 < list.length) playItem(i + 1);
        else pb.end(fails ? 'failed' : 'done');
      }, fails ? 0 : (tts.durationOf.get(m) ?? 1000));
      this.afterPrompt(n, 'start');
      const h = this.script.hangupDuringPrompt;
      if (h && h.prompt === n) this.clock.setTimeout(() => this.remoteHangup(), h.delayMs);
    };
    playItem(0);
    void pb.finished.then((end) => {
      if (this.playing === pb) this.playing = undefined;
      if (end !== 'hangup') this.afterPrompt(n, 'end');
      this.armIdle();
    });
    return pb;
  }
  private afterPrompt(n: number, on: 'start' | 'end'): void {
    for (const k of this.script.keys ?? []) {
      if (k.afterPrompt === n && (k.on ?? 'end') === on) this.clock.setTimeout(() => this.pressKeys(k.keys), k.delayMs ?? 300);
    }
  }
  private armIdle(): void {
    this.idle?.cancel();
    if (this.ended) return;
    this.idle = this.clock.setTimeout(() => this.remoteHangup(), this.script.idleHangupMs ?? 30000);
  }
  /** The phone presses keys, 250 ms apart. */
  pressKeys(keys: string): void {
    const [first, ...rest] = keys;
    if (!first || this.ended) return;
    this.pressed.push(first);
    this.emit('dtmf', first, 120);
    this.digits.push(first);
    if (rest.length) this.clock.setTimeout(() => this.pressKeys(rest.join('')), 250);
  }
  clearDigits(): void {
    this.digits.clear();
  }
  collectDigits(opts: CollectOptions): Promise<CollectResult> {
    return this.digits.collect(opts);
  }
  async startMoh(): Promise<void> {}
  async stopMoh(): Promise<void> {}
  async getVar(): Promise<string | undefined> {
    return undefined;
  }
  async setVar(): Promise<void> {}
  async hangup(): Promise<void> {
    this.hungUp = true;
    this.end({ cause: 16, causeText: 'Normal Clearing', byApp: true });
  }
  /** The phone hangs up. */
  remoteHangup(): void {
    this.end({ cause: 16, causeText: 'Normal Clearing', byApp: false });
  }
  /** The call ends with this cause (busy, no answer, the phone hanging up…); answered is what the state says unless given. */
  end(info: Partial<HangupInfo> & { cause: number }): void {
    if (this.ended) return;
    const endInfo: HangupInfo = { causeText: '', answered: this.state === 'Up', byApp: false, ...info };
    this.endInfo = endInfo;
    this.state = 'Down';
    this.inStasis = false;
    this.idle?.cancel();
    this.digits.close();
    this.playing?.end('hangup');
    for (const w of this.stasisWaiters.splice(0)) w(null);
    this.emit('ended', endInfo);
  }
}

// ---- a seeded store and the deps wired to it ---------------------------------------------

export interface SeedOptions {
  name?: string;
  externalRef?: string;
  language?: Language;
  risk?: 'low' | 'medium' | 'high';
  phone?: string;
  creditor?: string;
  invoiceRef?: string;
  amountCents?: number;
  dueDate?: string | null;
  payUrl?: string | null;
  /** Default agentless: the automated IVR (agent campaigns put a person straight through to an agent). */
  mode?: 'agentless' | 'progressive' | 'predictive' | 'preview';
  settings?: Partial<CampaignSettings>;
  messageHeardAt?: string | null;
  /** Create an outbound calls row for this call id (as the dialer does when it dials). */
  callId?: string;
  /** More claims of the same debtor (not in the campaign), with their amount and status (default open). */
  otherClaims?: { amountCents: number; status?: string }[];
}

export interface Seeded {
  campaignId: number;
  debtorId: number;
  claimId: number;
  contactId: number;
  phoneId: number;
}

const T0 = '2026-11-23T09:00:00.000Z';

/** Test data written straight into the schema (the campaign import is another module's job). */
export function seedCase(db: Db, o: SeedOptions = {}): Seeded {
  const one = (sql: string, ...args: unknown[]) => Number(db.prepare(sql).run(...args).lastInsertRowid);
  const campaign = db.prepare('SELECT id FROM campaigns WHERE name = ?').get(`test-${o.mode ?? 'agentless'}`) as { id: number } | undefined;
  const campaignId =
    campaign?.id ??
    one(
      `INSERT INTO campaigns (name, mode, state, caller_id, language, settings, created_at, updated_at) VALUES (?, ?, 'running', '+31201234567', 'nl', ?, ?, ?)`,
      `test-${o.mode ?? 'agentless'}`,
      o.mode ?? 'agentless',
      JSON.stringify({ ...DEFAULT_SETTINGS, answeredBy: 'ivr', ...o.settings }),
      T0,
      T0,
    );
  // The agent FakeAgentDesk connects to.
  db.prepare(`INSERT OR IGNORE INTO agents (id, name, endpoint, state, state_since, created_at, updated_at) VALUES (7, 'Agent Zeven', 'PJSIP/agent1', 'available', ?, ?, ?)`).run(T0, T0, T0);
  const debtorId = one(
    `INSERT INTO debtors (external_ref, name, language, risk, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    o.externalRef ?? `D${Math.floor(Math.random() * 1e9)}`,
    o.name ?? 'Jan Jansen',
    o.language ?? 'nl',
    o.risk ?? 'medium',
    T0,
    T0,
  );
  const phoneId = one(`INSERT INTO phones (debtor_id, e164, created_at, updated_at) VALUES (?, ?, ?, ?)`, debtorId, o.phone ?? '+31612345678', T0, T0);
  const claimId = one(
    `INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, due_date, pay_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    debtorId,
    o.creditor ?? 'Energie Noord',
    o.invoiceRef ?? 'F2026-0042',
    o.amountCents ?? 250_00,
    o.dueDate === undefined ? '2026-10-31' : o.dueDate,
    o.payUrl === undefined ? 'https://pay.example/abc' : o.payUrl,
    T0,
    T0,
  );
  const contactId = one(
    `INSERT INTO contacts (campaign_id, claim_id, debtor_id, status, message_heard_at, created_at, updated_at) VALUES (?, ?, ?, 'in_progress', ?, ?, ?)`,
    campaignId,
    claimId,
    debtorId,
    o.messageHeardAt ?? null,
    T0,
    T0,
  );
  (o.otherClaims ?? []).forEach((c, i) =>
    one(
      `INSERT INTO claims (debtor_id, creditor, invoice_ref, amount_cents, status, created_at, updated_at) VALUES (?, 'Telecom NL', ?, ?, ?, ?, ?)`,
      debtorId, `T-${i}`, c.amountCents, c.status ?? 'open', T0, T0,
    ),
  );
  if (o.callId) {
    createCall(db, { id: o.callId, direction: 'outbound', campaignId, contactId, debtorId, phoneId, toNumber: o.phone ?? '+31612345678', state: 'dialing', createdAt: T0 });
  }
  return { campaignId, debtorId, claimId, contactId, phoneId };
}

export function makeDeps(db: Db, clock: Clock, tts: TtsEngine, over: Partial<CallDeps> = {}): CallDeps & { finished: CallSummary[] } {
  const finished: CallSummary[] = [];
  const deps = createCallDeps({
    store: createSqliteStore(db),
    clock,
    log: silentLogger(),
    tts,
    prompts,
    config: TEST_CONFIG,
    agents: new FakeAgentDesk(),
    onCallFinished: (s) => finished.push(s),
  });
  return { ...deps, ...over, finished };
}

/** Rows a call left behind, for assertions. */
export function storedOutcome(db: Db, callId: string) {
  return {
    call: getCall(db, callId),
    sms: db.prepare('SELECT to_addr AS to_e164, body FROM messages WHERE call_id = ?').all(callId) as { to_e164: string; body: string }[],
    callbacks: db.prepare('SELECT reason FROM callback_requests WHERE call_id = ?').all(callId) as { reason: string }[],
  };
}

export function claimStatus(db: Db, claimId: number): string {
  return (db.prepare('SELECT status FROM claims WHERE id = ?').get(claimId) as { status: string }).status;
}

export function contactHeardAt(db: Db, contactId: number): string | null {
  return (db.prepare('SELECT message_heard_at FROM contacts WHERE id = ?').get(contactId) as { message_heard_at: string | null }).message_heard_at;
}

// ---- one call through the real flows on a FakeCall ----------------------------------------

export interface RunCallOptions {
  args: string[];
  script?: PhoneScript;
  callerNumber?: string;
  /** Seed cases first (each creates a debtor with one claim). */
  seeds?: SeedOptions[];
  deps?: Partial<CallDeps>;
}

/** Seeds an in-memory store, runs one call on a FakeCall through createCallHandler on virtual time (a FakeClock that jumps to its next timer whenever the call waits), and returns what was heard and stored. */
export async function runCall(o: RunCallOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-calls-'));
  const db = openDb(':memory:');
  try {
    const clock = new FakeClock(T0);
    const tts = new TextTts(dir);
    const seeded = (o.seeds ?? []).map((s) => seedCase(db, s));
    const deps = makeDeps(db, clock, tts, o.deps);
    const phone = new FakeCall({ clock, tts, args: o.args, script: o.script, callerNumber: o.callerNumber });
    const summary = await runOnFakeTime(clock, createCallHandler(deps).handle(phone), { busy: tts.inFlight });
    const stored = storedOutcome(db, summary.callId);
    return {
      phone,
      summary,
      row: stored.call!,
      sms: stored.sms,
      callbacks: stored.callbacks,
      seeded,
      finished: deps.finished,
      heardAt: seeded.map((s) => contactHeardAt(db, s.contactId)),
      claimStatus: seeded.map((s) => claimStatus(db, s.claimId)),
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
