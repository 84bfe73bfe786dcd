/**
 * The simulated Asterisk: channels, their state machine and the events an app sees,
 * driven by virtual phones. Follows ../shared/ari-traces/README.md "Behaviour a
 * simulator must copy": event order, cause codes, who gets ChannelDestroyed.
 * Playbacks live in playbacks.ts, bridges in bridges.ts, the dialplan in dialplan.ts.
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { maskPhone } from '../lib/log.ts';
import { AriError, badRequest, channelNotFound, notInStasis } from './ari-error.ts';
import { causeText, HANGUP_REASON_CAUSE } from './causes.ts';
import { EventHub } from './event-hub.ts';
import type { OriginateParams, SimCore } from './core.ts';
import { channelJson, type SimBridge, type SimChannel, type SimPlayback } from './model.ts';
import type { CallResult, PhoneCallRecord } from './phone.ts';
import { drawBehaviour } from './population.ts';
import type { PhoneBehaviour, Population, Scenario } from './scenario.ts';
import { leaveBridge } from './bridges.ts';
import { stopAllOn } from './playbacks.ts';
import { dial } from './outbound.ts';
import { newChannel } from './channels.ts';
import { endSnoopsOf } from './snoop.ts';
import { refreshHearing } from './hearing.ts';
import { SimRecordings } from './recordings.ts';
import { resolveDialString } from './endpoints.ts';
import { moveInDialplan } from './dialplan.ts';
import { endpointListeners, unsubscribeChannel } from './subscriptions.ts';
import { SimPjsipConfig } from './pjsip-config.ts';

export interface SimAsteriskOptions {
  clock: Clock;
  scenario: Scenario;
  app: string;
  log: Logger;
}

export interface CallInOptions {
  /** Caller number as the network sends it: E.164, national (0612345678) or '' when withheld. */
  from: string;
  /** The number dialled (becomes EXTEN in bereik-inbound). */
  exten: string;
  behaviour?: PhoneBehaviour;
}

export type { OriginateParams } from './core.ts';

export interface PhoneRecord {
  phone: string;
  calls: PhoneCallRecord[];
}

interface SimEvents {
  callStarted: [record: PhoneCallRecord];
  callEnded: [record: PhoneCallRecord];
}

const MAX_RECORDS = 20_000;
/** Events res_stasis publishes on the app's topic rather than the channel's. */
const APP_TOPIC_ONLY = new Set(['StasisStart', 'StasisEnd']);
/** A phone that answers after 2 s, listens, and hangs up after 15 s of silence. */
const BUILTIN_DEFAULT: PhoneBehaviour = { outcome: 'answer', ringMs: 2000, hangup: { idleMs: 15000 } };

export class SimulatedAsterisk extends EventEmitter<SimEvents> implements SimCore {
  readonly channels = new Map<string, SimChannel>();
  readonly bridges = new Map<string, SimBridge>();
  readonly playbacks = new Map<string, SimPlayback>();
  readonly recordings = new SimRecordings();
  readonly hub: EventHub;
  readonly clock: Clock;
  readonly app: string;
  readonly log: Logger;
  readonly startedAtMs: number;
  private readonly records: PhoneCallRecord[] = [];
  private readonly behaviours = new Map<string, PhoneBehaviour>();
  private wildcards: { pattern: string; re: RegExp; endpoint: boolean; behaviour: PhoneBehaviour }[] = [];
  private readonly callCounts = new Map<string, number>();
  private readonly simTimers = new Set<TimerHandle>();
  private population: Population | undefined;
  private readonly defaultBehaviour: PhoneBehaviour;
  readonly knownEndpoints: Set<string>;
  /** PJSIP objects pushed over ARI and the softphones registered with them (pjsip-config.ts). */
  readonly pjsip = new SimPjsipConfig({
    registerEndpoint: (name, b) => this.setBehaviour(`PJSIP/${name}`, b),
    forgetEndpoint: (name) => {
      this.behaviours.delete(`PJSIP/${name}`);
      this.knownEndpoints.delete(name);
      // Like a softphone whose registration was removed: its open call ends.
      for (const ch of this.channels.values()) if (ch.name.startsWith(`PJSIP/${name}-`) && !ch.gone) this.hangUpPhone(ch.id, 16);
    },
  });
  private seq = 0;
  private readonly idBase: number;
  private closed = false;

  constructor(opts: SimAsteriskOptions) {
    super();
    this.clock = opts.clock;
    this.app = opts.app;
    this.log = opts.log;
    this.startedAtMs = opts.clock.now();
    this.idBase = Math.floor(this.startedAtMs / 1000);
    this.hub = new EventHub('02:fc:00:00:00:01', opts.clock);
    this.hub.apps.add(opts.app);
    const sc = opts.scenario;
    this.population = sc.population;
    this.defaultBehaviour = sc.default ?? BUILTIN_DEFAULT;
    this.knownEndpoints = new Set(sc.endpoints ?? ['trunk']);
    for (const [k, b] of Object.entries(sc.phones ?? {})) this.setBehaviour(k, b);
    for (const c of sc.inbound ?? []) this.timer(c.at, () => void this.callIn(c));
  }

  /** Whether a PJSIP endpoint of this name exists (configured, or matched by a wildcard phone like PJSIP/agent*). */
  hasEndpoint(name: string): boolean {
    return this.knownEndpoints.has(name) || this.wildcards.some((w) => w.endpoint && w.re.test(`PJSIP/${name}`));
  }

  // ---- public API for tests and the CLI -------------------------------------------

  /** Sets how the phone behind a number or endpoint (PJSIP/agent1, +31612345678) behaves on its next calls. */
  setBehaviour(numberOrEndpoint: string, behaviour: PhoneBehaviour): void {
    const endpoint = /^PJSIP\/[^@]+$/.test(numberOrEndpoint);
    if (numberOrEndpoint.includes('*')) {
      // A wildcard: PJSIP/agent* stands for every agent phone, +3120* for every Amsterdam number.
      const re = new RegExp(`^${numberOrEndpoint.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
      this.wildcards = [...this.wildcards.filter((w) => w.pattern !== numberOrEndpoint), { pattern: numberOrEndpoint, re, endpoint, behaviour }];
      return;
    }
    this.behaviours.set(numberOrEndpoint, behaviour);
    if (endpoint) this.knownEndpoints.add(numberOrEndpoint.slice('PJSIP/'.length));
  }

  /** Numbers without their own behaviour are drawn from this population (undefined: use the default). */
  setPopulation(population: Population | undefined): void {
    this.population = population;
  }

  /** Every call to or from this phone, oldest first. */
  phone(numberOrEndpoint: string): PhoneRecord {
    const key = phoneKey(numberOrEndpoint);
    return { phone: key, calls: this.records.filter((r) => r.phone === key || r.phone === numberOrEndpoint || r.phone === `PJSIP/${key}`) };
  }

  calls(): PhoneCallRecord[] {
    return [...this.records];
  }

  /** Snapshot of live channels as GET /channels would answer. */
  channelsSnapshot(): Record<string, unknown>[] {
    return [...this.channels.values()].map(channelJson);
  }

  /** Closes every events WebSocket; the calls live on and their events are lost meanwhile (trace 08). */
  dropEventSockets(): number {
    return this.hub.dropAll();
  }

  /** The virtual phone on this channel hangs up now (as if its user put the phone down). */
  hangUpPhone(channelId: string, cause = 16): void {
    const ch = this.channels.get(channelId);
    if (ch) this.phoneHangup(ch, cause);
  }

  /** A virtual debtor calls in: the call enters Stasis(bereik,inbound,EXTEN) ringing, not yet answered. */
  async callIn(opts: CallInOptions): Promise<string> {
    const b = opts.behaviour ?? this.behaviourFor(opts.from, opts.from);
    const trunk = [...this.knownEndpoints][0] ?? 'trunk';
    // A call without a dialled number lands on the s extension of bereik-inbound.
    const exten = opts.exten || 's';
    const ch = newChannel(this, {
      id: undefined,
      endpointName: trunk,
      dialstring: trunk,
      caller: { name: b.name ?? '', number: opts.from },
      connected: { name: '', number: '' },
      dialplan: { context: 'bereik-inbound', exten, priority: 1, app_name: '', app_data: '' },
      originatedByApp: false,
      behaviour: b,
      record: { direction: 'inbound', phone: opts.from, endpoint: `PJSIP/${trunk}`, from: opts.from, to: exten },
    });
    ch.state = 'Ring';
    this.log.debug({ channel: ch.id, from: maskPhone(opts.from) }, 'simulated inbound call');
    this.enterStasis(ch, ['inbound', exten], { context: 'bereik-inbound', exten, priority: 2 });
    this.channelTimer(ch, b.giveUpMs ?? 60000, () => {
      if (ch.state !== 'Up') this.phoneHangup(ch, ch.phone.hangupCause, 'abandoned');
    });
    return ch.id;
  }

  // ---- ARI operations ------------------------------------------------------------

  originate(p: OriginateParams): Record<string, unknown> {
    if (!p.endpoint) throw badRequest('Endpoint must be specified');
    if (!p.app && !p.extension && !p.context) throw badRequest('Application or extension must be specified');
    const target = resolveDialString(p.endpoint, (name) => this.hasEndpoint(name));
    if (!target) throw new AriError(500, { error: 'Allocation failed' });
    if (p.channelId && this.channels.has(p.channelId)) throw new AriError(409, { message: 'Channel with given unique ID already exists' });
    const key = target.number ?? p.endpoint;
    const b = this.behaviourFor(key, p.endpoint);
    const caller = parseCallerId(p.callerId ?? '');
    const ch = newChannel(this, {
      id: p.channelId,
      endpointName: target.endpoint,
      dialstring: target.dialstring,
      caller,
      connected: { ...caller },
      dialplan: { context: b.context ?? 'bereik-outbound', exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
      originatedByApp: true,
      behaviour: b,
      record: { direction: 'outbound', phone: key, endpoint: p.endpoint, from: caller.number, to: target.number ?? p.endpoint },
    });
    for (const [k, v] of Object.entries(p.variables ?? {})) ch.vars.set(k, String(v));
    // With app+appArgs the app is subscribed from the start and sees Dial/state events;
    // through a dialplan context it sees nothing until Stasis() (trace 05).
    if (p.app) {
      ch.app = p.app;
      ch.subscriptions = 1;
    }
    const snapshot = channelJson(ch);
    const timeoutSec = p.timeout === undefined || p.timeout === '' ? 30 : Number(p.timeout);
    const timeoutMs = timeoutSec > 0 ? timeoutSec * 1000 : Infinity;
    this.log.debug({ channel: ch.id, endpoint: target.number ? maskPhone(target.number) : p.endpoint }, 'simulated originate');
    dial(this, ch, b, timeoutMs, p);
    return snapshot;
  }

  getChannel(id: string): SimChannel {
    const ch = this.channels.get(id);
    if (!ch) throw channelNotFound();
    return ch;
  }

  /** A channel the app controls (in Stasis), else 404/409 as ari_channels.c answers. */
  control(id: string, notInStasisStatus = 409): SimChannel {
    const ch = this.getChannel(id);
    if (!ch.inStasis || ch.hangingUp) throw notInStasis(notInStasisStatus);
    return ch;
  }

  hangupByApp(id: string, reason?: string, reasonCode?: string): void {
    const ch = this.getChannel(id);
    if (ch.hangingUp) return;
    const cause = reasonCode ? Number(reasonCode) : (HANGUP_REASON_CAUSE[reason ?? 'normal'] ?? 16);
    if (!ch.inStasis && ch.state !== 'Up' && ch.originatedByApp) {
      // Cancelling a call that is still ringing.
      ch.hangingUp = true;
      this.publishChannel(ch, 'ChannelHangupRequest', { cause: 32, soft: true });
      this.publishOn(ch, 'Dial', { dialstatus: 'CANCEL', forward: '', dialstring: ch.dialstring, peer: channelJson(ch) });
      this.publishChannel(ch, 'ChannelDestroyed', { cause, cause_txt: causeText(cause) });
      this.destroy(ch, 'noanswer', cause, 'app');
      return;
    }
    this.teardown(ch, { requestCause: 32, soft: true, destroyCause: cause, by: 'app', result: ch.state === 'Up' ? 'answered' : 'noanswer' });
  }

  answer(id: string): void {
    const ch = this.control(id);
    if (ch.state === 'Up') return;
    ch.state = 'Up';
    this.publishChannel(ch, 'ChannelStateChange');
    ch.phone.answered();
  }

  getVar(id: string, name: string | undefined): string {
    const ch = this.getChannel(id);
    if (!name) throw badRequest('Variable name is required');
    const builtin: Record<string, string> = {
      'CALLERID(num)': ch.caller.number,
      'CALLERID(name)': ch.caller.name,
      'CONNECTEDLINE(num)': ch.connected.number,
      'CHANNEL(name)': ch.name,
      UNIQUEID: ch.id,
    };
    const v = ch.vars.get(name) ?? builtin[name];
    if (v === undefined) throw new AriError(404, { message: 'Provided variable was not found' });
    return v;
  }

  setVar(id: string, name: string | undefined, value: string): void {
    const ch = this.getChannel(id);
    if (!name) throw badRequest('Variable name is required');
    ch.vars.set(name, value);
    this.publishChannel(ch, 'ChannelVarset', { variable: name, value });
  }

  // ---- internals shared with playbacks.ts, bridges.ts, dialplan.ts ------------------

  publish(app: string | null, type: string, fields: Record<string, unknown>): boolean {
    return this.hub.publish(app, type, fields);
  }

  publishChannel(ch: SimChannel, type: string, fields: Record<string, unknown> = {}): boolean {
    return this.publishOn(ch, type, { ...fields, channel: channelJson(ch) });
  }

  /**
   * An event on the channel's topic: the app subscribed to the channel hears it, and so does
   * every app subscribed to the channel's endpoint (subscriptions.ts). StasisStart/StasisEnd
   * go to the Stasis app's own topic only (res_stasis), never through an endpoint.
   */
  publishOn(ch: SimChannel, type: string, fields: Record<string, unknown>): boolean {
    const apps = APP_TOPIC_ONLY.has(type) ? [] : endpointListeners(this, ch);
    if (ch.app) apps.unshift(ch.app);
    return this.hub.publishMany(apps, type, fields);
  }

  timer(ms: number, fn: () => void): TimerHandle {
    const h = this.clock.setTimeout(() => {
      this.simTimers.delete(h);
      if (!this.closed) fn();
    }, ms);
    this.simTimers.add(h);
    return h;
  }

  channelTimer(ch: SimChannel, ms: number, fn: () => void): TimerHandle {
    const h = this.clock.setTimeout(() => {
      ch.timers.delete(h);
      if (!ch.gone && !this.closed) fn();
    }, ms);
    ch.timers.add(h);
    return h;
  }

  /** The channel enters the Stasis app with these args. */
  enterStasis(ch: SimChannel, args: string[], loc: { context: string; exten: string; priority: number }): void {
    ch.preStasisDialplan = { ...ch.dialplan };
    // An app already subscribed (through the dialplan, AMD) sees the step to Stasis() first.
    moveInDialplan(this, ch, { ...loc, app_name: 'Stasis', app_data: [this.app, ...args].join(',') });
    ch.app ??= this.app;
    ch.subscriptions++;
    ch.inStasis = true;
    this.publishChannel(ch, 'StasisStart', { args });
  }

  /** The phone hangs up (cause 0 sends none; ChannelDestroyed then says 0 "Unknown", trace 09). */
  phoneHangup(ch: SimChannel, cause: number, result: CallResult = 'answered'): void {
    if (ch.gone || ch.hangingUp) return;
    this.teardown(ch, { requestCause: cause || undefined, destroyCause: cause, by: 'phone', result });
  }

  /** Hang-up of a live channel: HangupRequest → PlaybackFinished(failed) → LeftBridge → StasisEnd → Destroyed. */
  teardown(
    ch: SimChannel,
    o: { requestCause: number | undefined; soft?: boolean; destroyCause: number; by: 'app' | 'phone' | 'network'; result: CallResult },
  ): void {
    ch.hangingUp = true;
    const req: Record<string, unknown> = {};
    if (o.requestCause !== undefined) req.cause = o.requestCause;
    if (o.soft) req.soft = true;
    this.publishChannel(ch, 'ChannelHangupRequest', req);
    stopAllOn(this, ch);
    if (ch.moh) ch.moh = null;
    if (ch.bridgeId) leaveBridge(this, ch, { byApp: false });
    if (ch.inStasis) {
      ch.inStasis = false;
      this.publishChannel(ch, 'StasisEnd');
      ch.dialplan = ch.preStasisDialplan;
      // Leaving Stasis drops the subscription it took: a channel that entered Stasis from the
      // dialplan is then no longer the app's (no ChannelDestroyed), unless the app also
      // subscribed to it, or originated it with app+appArgs.
      unsubscribeChannel(ch);
    }
    this.publishChannel(ch, 'ChannelDestroyed', { cause: o.destroyCause, cause_txt: causeText(o.destroyCause) });
    this.destroy(ch, o.result, o.destroyCause, o.by);
    endSnoopsOf(this, ch.id);
    refreshHearing(this);
  }

  /** Removes the channel and closes its phone's record. */
  destroy(ch: SimChannel, result: CallResult, cause: number, by: PhoneCallRecord['hungUpBy']): void {
    ch.gone = true;
    ch.hangingUp = true;
    for (const t of ch.timers) t.cancel();
    ch.timers.clear();
    this.channels.delete(ch.id);
    ch.phone.ended(result, cause, causeText(cause), by);
    this.emit('callEnded', ch.phone.record);
  }

  private behaviourFor(key: string, endpoint: string): PhoneBehaviour {
    const direct =
      this.behaviours.get(endpoint) ??
      this.behaviours.get(key) ??
      this.wildcards.find((w) => w.re.test(endpoint) || w.re.test(key))?.behaviour;
    if (direct) return direct;
    const nth = this.callCounts.get(key) ?? 0;
    this.callCounts.set(key, nth + 1);
    if (this.population) return drawBehaviour(this.population, key, nth);
    return this.defaultBehaviour;
  }

  /** @internal for channels.ts: the next channel number and id. */
  nextChannelId(wanted: string | undefined): { n: number; id: string } {
    const n = this.seq++;
    return { n, id: wanted ?? `${this.idBase}.${n}` };
  }

  /** @internal for channels.ts */
  register(ch: SimChannel): void {
    this.channels.set(ch.id, ch);
    this.records.push(ch.phone.record);
    // A demo can run for days: keep the most recent calls, not all of them.
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    this.emit('callStarted', ch.phone.record);
  }

  /** Stops every timer; the simulator is being shut down. */
  close(): void {
    this.closed = true;
    for (const t of this.simTimers) t.cancel();
    this.simTimers.clear();
    for (const ch of this.channels.values()) {
      for (const t of ch.timers) t.cancel();
      ch.phone.dispose();
    }
    for (const pb of this.playbacks.values()) pb.timer?.cancel();
    this.hub.dropAll(1001, 'simulator shutting down');
  }
}

/** "Incasso" <+31201234567> → name + number; a bare number has an empty name. */
export function parseCallerId(s: string): { name: string; number: string } {
  const m = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(s);
  if (m) return { name: (m[1] ?? m[2] ?? '').trim(), number: (m[3] ?? '').trim() };
  return { name: '', number: s.trim() };
}

/** PJSIP/+31612345678@trunk → +31612345678; PJSIP/debtor stays as it is. */
export function phoneKey(s: string): string {
  const m = /^[A-Za-z0-9]+\/([^@]+)@.+$/.exec(s);
  return m?.[1] ?? s;
}
