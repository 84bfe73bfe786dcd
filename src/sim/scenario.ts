/**
 * Scenario files for the virtual phones (like SIPp scenario files, but as data): who
 * answers, after how long, which keys they press when, when they hang up. Validated on
 * load; a bad file names the phone and the field.
 */
import { readFileSync } from 'node:fs';
import { BereikError } from '../lib/errors.ts';

export const OUTCOMES = ['answer', 'machine', 'busy', 'noanswer', 'unreachable', 'invalid', 'unavailable', 'congestion', 'rejected', 'sip'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const AMD_STATUSES = ['HUMAN', 'MACHINE', 'NOTSURE', 'HANGUP'] as const;
export type AmdStatus = (typeof AMD_STATUSES)[number];

/** Keys a phone presses: at a moment after answer, or relative to the n-th prompt it hears. */
export interface KeyAction {
  keys: string;
  /** Clock ms after the call was answered. */
  atMs?: number;
  /** 1-based: the n-th prompt (playback) this phone hears. */
  afterPrompt?: number;
  /** Relative to the prompt's start (default) or its end. */
  on?: 'start' | 'end';
  delayMs?: number;
  /** Between the digits of a multi-key string (default 250 ms). */
  gapMs?: number;
}

export interface HangupAction {
  /** Clock ms after answer. */
  afterMs?: number;
  /** Hang up delayMs after the n-th prompt starts (cuts it). */
  duringPrompt?: number;
  /** Hang up delayMs after the n-th prompt ends. */
  afterPrompt?: number;
  delayMs?: number;
  /** Hang up when nothing has played to the phone for this long (a person giving up on silence). */
  idleMs?: number;
  /** Cause sent with the phone's BYE: 16 by default; 0 sends none (ChannelDestroyed then says 0 "Unknown", trace 09). */
  cause?: number;
}

export interface AmdVerdict {
  status: AmdStatus;
  /** AMDCAUSE, e.g. TOOLONG-4921; a plausible one is made up when absent. */
  cause?: string;
  /** How long AMD listens after answer before the verdict. */
  ms?: number;
}

export interface PhoneBehaviour {
  /** Ring time before answering (or before the final failure answer). */
  ringMs?: number;
  outcome?: Outcome;
  /** With outcome 'sip': the final SIP status the phone answers (404, 480, 486, 503, 603…). */
  sipStatus?: number;
  /** What AMD concludes when the call goes through the bereik-outbound dialplan (may be wrong on purpose). */
  amd?: AmdVerdict;
  /** false: AMD() is not loaded, so the dialplan fails and the call vanishes after answer. */
  amdLoaded?: boolean;
  keys?: KeyAction[];
  hangup?: HangupAction;
  /** Inbound caller: hangs up if not answered within this long (default 60 s). */
  giveUpMs?: number;
  /** Dialplan context Asterisk shows on channels to this endpoint (its pjsip.conf context). */
  context?: string;
  /** Caller name sent on inbound calls. */
  name?: string;
}

export interface InboundCall {
  /** Clock ms after the simulator started. */
  at: number;
  from: string;
  exten: string;
  behaviour?: PhoneBehaviour;
}

export type PopulationOutcome = 'answer' | 'machine' | 'busy' | 'noanswer' | 'unreachable' | 'invalid';
export interface Range {
  min: number;
  max: number;
}
export interface Population {
  seed?: number;
  /** Relative weights of outcomes for numbers not listed under phones. */
  weights: Partial<Record<PopulationOutcome, number>>;
  ringMs?: Range;
  /** Time a person takes to press a key after a prompt ends. */
  thinkMs?: Range;
  /** Relative weights of the key pressed after each prompt; '' = presses nothing. */
  keys?: Record<string, number>;
  /** Probability that an answering person hangs up during the first prompt. */
  hangupDuringPrompt?: number;
}

export interface Scenario {
  /** PJSIP endpoints that exist besides the phones (trunks): PJSIP/<number>@trunk dials through them. */
  endpoints?: string[];
  /** Per dialled endpoint (PJSIP/debtor) or number (+31612345678). */
  phones?: Record<string, PhoneBehaviour>;
  /** For any other number when no population is given. */
  default?: PhoneBehaviour;
  population?: Population;
  inbound?: InboundCall[];
}

class ScenarioError extends BereikError {
  constructor(source: string, where: string, what: string) {
    super('CONFIG_INVALID', `sim scenario ${source}: ${where}: ${what}`, { source, where });
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DIGITS = /^[0-9*#A-D]+$/;

function checkKeys(src: string, where: string, v: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(v)) {
    if (k.startsWith('$') || k.startsWith('_')) continue; // $comment and friends
    if (!allowed.includes(k)) throw new ScenarioError(src, where, `unknown field '${k}' (allowed: ${allowed.join(', ')})`);
  }
}

function num(src: string, where: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ScenarioError(src, where, `must be a number ≥ ${min} (got ${JSON.stringify(v)})`);
  return v;
}
function optNum(src: string, where: string, v: unknown, min = 0): number | undefined {
  return v === undefined ? undefined : num(src, where, v, min);
}
function str(src: string, where: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new ScenarioError(src, where, `must be a non-empty string (got ${JSON.stringify(v)})`);
  return v;
}
function oneOf<T extends string>(src: string, where: string, v: unknown, values: readonly T[]): T {
  if (!values.includes(v as T)) throw new ScenarioError(src, where, `must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`);
  return v as T;
}
function range(src: string, where: string, v: unknown): Range | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) throw new ScenarioError(src, where, 'must be an object {min, max}');
  checkKeys(src, where, v, ['min', 'max']);
  const r = { min: num(src, `${where}.min`, v.min), max: num(src, `${where}.max`, v.max) };
  if (r.max < r.min) throw new ScenarioError(src, where, `max (${r.max}) is below min (${r.min})`);
  return r;
}

function parseKeyAction(src: string, where: string, v: unknown): KeyAction {
  if (!isObj(v)) throw new ScenarioError(src, where, 'must be an object like {"afterPrompt": 1, "keys": "1", "delayMs": 800}');
  checkKeys(src, where, v, ['keys', 'atMs', 'afterPrompt', 'on', 'delayMs', 'gapMs']);
  const keys = str(src, `${where}.keys`, v.keys);
  if (!DIGITS.test(keys)) throw new ScenarioError(src, `${where}.keys`, `only 0-9, *, #, A-D can be pressed (got ${JSON.stringify(keys)})`);
  const a: KeyAction = { keys };
  a.atMs = optNum(src, `${where}.atMs`, v.atMs);
  a.afterPrompt = optNum(src, `${where}.afterPrompt`, v.afterPrompt, 1);
  if ((a.atMs === undefined) === (a.afterPrompt === undefined)) throw new ScenarioError(src, where, 'needs exactly one of atMs or afterPrompt');
  if (v.on !== undefined) a.on = oneOf(src, `${where}.on`, v.on, ['start', 'end'] as const);
  a.delayMs = optNum(src, `${where}.delayMs`, v.delayMs);
  a.gapMs = optNum(src, `${where}.gapMs`, v.gapMs);
  return strip(a);
}

function parseHangup(src: string, where: string, v: unknown): HangupAction {
  if (!isObj(v)) throw new ScenarioError(src, where, 'must be an object like {"afterMs": 2000}');
  checkKeys(src, where, v, ['afterMs', 'duringPrompt', 'afterPrompt', 'delayMs', 'idleMs', 'cause']);
  const h: HangupAction = {
    afterMs: optNum(src, `${where}.afterMs`, v.afterMs),
    duringPrompt: optNum(src, `${where}.duringPrompt`, v.duringPrompt, 1),
    afterPrompt: optNum(src, `${where}.afterPrompt`, v.afterPrompt, 1),
    delayMs: optNum(src, `${where}.delayMs`, v.delayMs),
    idleMs: optNum(src, `${where}.idleMs`, v.idleMs),
    cause: optNum(src, `${where}.cause`, v.cause),
  };
  return strip(h);
}

export function parseBehaviour(src: string, where: string, v: unknown): PhoneBehaviour {
  if (!isObj(v)) throw new ScenarioError(src, where, 'must be an object');
  checkKeys(src, where, v, ['ringMs', 'outcome', 'sipStatus', 'amd', 'amdLoaded', 'keys', 'hangup', 'giveUpMs', 'context', 'name']);
  const b: PhoneBehaviour = {};
  b.ringMs = optNum(src, `${where}.ringMs`, v.ringMs);
  if (v.outcome !== undefined) b.outcome = oneOf(src, `${where}.outcome`, v.outcome, OUTCOMES);
  if (v.sipStatus !== undefined) {
    const s = num(src, `${where}.sipStatus`, v.sipStatus, 400);
    if (s > 699 || !Number.isInteger(s)) throw new ScenarioError(src, `${where}.sipStatus`, `must be a final SIP failure status 400-699 (got ${s})`);
    b.sipStatus = s;
  }
  if (b.outcome === 'sip' && b.sipStatus === undefined) throw new ScenarioError(src, `${where}.sipStatus`, "is required when outcome is 'sip'");
  if (v.amd !== undefined) {
    const w = `${where}.amd`;
    if (!isObj(v.amd)) throw new ScenarioError(src, w, 'must be an object like {"status": "HUMAN"}');
    checkKeys(src, w, v.amd, ['status', 'cause', 'ms']);
    b.amd = strip({
      status: oneOf(src, `${w}.status`, v.amd.status, AMD_STATUSES),
      cause: v.amd.cause === undefined ? undefined : str(src, `${w}.cause`, v.amd.cause),
      ms: optNum(src, `${w}.ms`, v.amd.ms),
    });
  }
  if (v.amdLoaded !== undefined) {
    if (typeof v.amdLoaded !== 'boolean') throw new ScenarioError(src, `${where}.amdLoaded`, 'must be true or false');
    b.amdLoaded = v.amdLoaded;
  }
  if (v.keys !== undefined) {
    if (!Array.isArray(v.keys)) throw new ScenarioError(src, `${where}.keys`, 'must be a list');
    b.keys = v.keys.map((k, i) => parseKeyAction(src, `${where}.keys[${i}]`, k));
  }
  if (v.hangup !== undefined) b.hangup = parseHangup(src, `${where}.hangup`, v.hangup);
  b.giveUpMs = optNum(src, `${where}.giveUpMs`, v.giveUpMs);
  if (v.context !== undefined) b.context = str(src, `${where}.context`, v.context);
  if (v.name !== undefined) {
    if (typeof v.name !== 'string') throw new ScenarioError(src, `${where}.name`, 'must be a string');
    b.name = v.name;
  }
  return strip(b);
}

function parsePopulation(src: string, v: unknown): Population {
  const where = 'population';
  if (!isObj(v)) throw new ScenarioError(src, where, 'must be an object');
  checkKeys(src, where, v, ['seed', 'weights', 'ringMs', 'thinkMs', 'keys', 'hangupDuringPrompt']);
  if (!isObj(v.weights)) throw new ScenarioError(src, `${where}.weights`, 'must be an object of outcome → weight');
  const outcomes = ['answer', 'machine', 'busy', 'noanswer', 'unreachable', 'invalid'] as const;
  const weights: Population['weights'] = {};
  for (const [k, w] of Object.entries(v.weights)) weights[oneOf(src, `${where}.weights key`, k, outcomes)] = num(src, `${where}.weights.${k}`, w);
  if (!Object.values(weights).some((w) => w > 0)) throw new ScenarioError(src, `${where}.weights`, 'needs at least one weight above 0');
  let keys: Record<string, number> | undefined;
  if (v.keys !== undefined) {
    if (!isObj(v.keys)) throw new ScenarioError(src, `${where}.keys`, 'must be an object of key → weight');
    keys = {};
    for (const [k, w] of Object.entries(v.keys)) {
      if (k !== '' && !DIGITS.test(k)) throw new ScenarioError(src, `${where}.keys`, `'${k}' is not a key on a phone`);
      keys[k] = num(src, `${where}.keys.${k}`, w);
    }
  }
  const p = optNum(src, `${where}.hangupDuringPrompt`, v.hangupDuringPrompt);
  if (p !== undefined && p > 1) throw new ScenarioError(src, `${where}.hangupDuringPrompt`, `is a probability 0..1 (got ${p})`);
  return strip({
    seed: optNum(src, `${where}.seed`, v.seed),
    weights,
    ringMs: range(src, `${where}.ringMs`, v.ringMs),
    thinkMs: range(src, `${where}.thinkMs`, v.thinkMs),
    keys,
    hangupDuringPrompt: p,
  });
}

/** Validates a scenario object (from JSON); source names the file in errors. */
export function parseScenario(v: unknown, source = 'scenario'): Scenario {
  if (!isObj(v)) throw new ScenarioError(source, '(top level)', 'must be a JSON object');
  checkKeys(source, '(top level)', v, ['endpoints', 'phones', 'default', 'population', 'inbound']);
  const s: Scenario = {};
  if (v.endpoints !== undefined) {
    if (!Array.isArray(v.endpoints)) throw new ScenarioError(source, 'endpoints', 'must be a list of endpoint names');
    s.endpoints = v.endpoints.map((e, i) => str(source, `endpoints[${i}]`, e));
  }
  if (v.phones !== undefined) {
    if (!isObj(v.phones)) throw new ScenarioError(source, 'phones', 'must be an object of endpoint or number → behaviour');
    s.phones = {};
    for (const [k, b] of Object.entries(v.phones)) {
      if (k.startsWith('$')) continue;
      s.phones[k] = parseBehaviour(source, `phones[${JSON.stringify(k)}]`, b);
    }
  }
  if (v.default !== undefined) s.default = parseBehaviour(source, 'default', v.default);
  if (v.population !== undefined) s.population = parsePopulation(source, v.population);
  if (v.inbound !== undefined) {
    if (!Array.isArray(v.inbound)) throw new ScenarioError(source, 'inbound', 'must be a list');
    s.inbound = v.inbound.map((c, i) => {
      const w = `inbound[${i}]`;
      if (!isObj(c)) throw new ScenarioError(source, w, 'must be an object {at, from, exten, behaviour}');
      checkKeys(source, w, c, ['at', 'from', 'exten', 'behaviour']);
      if (typeof c.from !== 'string') throw new ScenarioError(source, `${w}.from`, "must be a string ('' for a withheld number)");
      return strip({
        at: num(source, `${w}.at`, c.at),
        from: c.from,
        exten: str(source, `${w}.exten`, c.exten),
        behaviour: c.behaviour === undefined ? undefined : parseBehaviour(source, `${w}.behaviour`, c.behaviour),
      });
    });
  }
  return s;
}

/** Reads and validates a scenario file. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BereikError('CONFIG_INVALID', `sim scenario ${path}: cannot read it (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BereikError('CONFIG_INVALID', `sim scenario ${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenario(json, path);
}

/** Drops undefined fields so records and comparisons stay clean. */
function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
