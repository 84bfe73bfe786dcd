/**
 * SIPp phones for the real Asterisk of ../shared/asterisk (its etc/pjsip.conf puts each
 * endpoint's contact on a loopback port): one `sipp` process per phone, playing one of
 * the scenario files beside this module. Tests start the phones a scenario needs and
 * stop them after; the same ports serve the contract suite, the smoke and the bench.
 *
 * SIPp's media ports stay out of Asterisk's RTP range (10000–10999, rtp.conf).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dtmfPcap } from './dtmf.ts';

export const SCENARIOS = join(import.meta.dirname, 'scenarios');
/** Asterisk's SIP listener (pjsip.conf transport-udp). */
export const ASTERISK_SIP = '127.0.0.1:5060';

/** The contact port of each endpoint in shared/asterisk/etc/pjsip.conf. */
export const PORTS = {
  debtor: 5070, busy: 5071, noanswer: 5072, unreachable: 5073,
  e404: 5074, e480: 5075, e503: 5076, e603: 5077, hangup: 5078,
  agent1: 5080, trunk: 5090,
} as const;

export interface PhoneSpec {
  /** A file in scenarios/ without .xml. */
  scenario: string;
  /** Local SIP port (a UAS listens there; a UAC sends from there). */
  port: number;
  /** SIPp -key values the scenario reads in its messages ([caller], [dialled]). */
  keys?: Record<string, string>;
  /**
   * Values put in place of {{name}} in the scenario file before SIPp reads it, for what
   * SIPp checks when it loads the file (a response code) or reads as a number (a pause).
   */
  vars?: Record<string, string | number>;
  /** UAC only: place this many calls, then exit. */
  calls?: number;
  /** UAC only: calls per second (SIPp -r), and at most this many at once (-l). */
  rate?: number;
  limit?: number;
  /** Files the scenario reads from its working directory (the greeting). */
  files?: Record<string, Buffer>;
  /** Extra SIPp arguments. */
  args?: string[];
}

export interface SippPhone {
  spec: PhoneSpec;
  pid: number;
  /** Resolves with SIPp's exit code (0: every call succeeded; 1: some failed). */
  exited: Promise<number | null>;
  /** SIPp's stderr and error log so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Media port of a SIPp phone: 20000 + 10 × (SIP port − 5000), far from 10000–10999. */
export function mediaPortFor(sipPort: number): number {
  return 20_000 + (sipPort - 5000) * 10;
}

export function startPhone(spec: PhoneSpec): SippPhone {
  const source = join(SCENARIOS, `${spec.scenario}.xml`);
  if (!existsSync(source)) throw new Error(`SIPp scenario ${spec.scenario}: no file ${source}`);
  const dir = mkdtempSync(join(tmpdir(), `sipp-${spec.scenario}-`));
  for (const [name, data] of Object.entries(spec.files ?? {})) writeFileSync(join(dir, name), data);
  const file = join(dir, 'scenario.xml');
  writeFileSync(file, fillVars(readFileSync(source, 'utf8'), spec));
  const errors = join(dir, 'errors.log');
  const args = ['-sf', file, '-i', '127.0.0.1', '-p', String(spec.port), '-mp', String(mediaPortFor(spec.port)), '-nostdin',
    '-trace_err', '-error_file', errors];
  for (const [k, v] of Object.entries(spec.keys ?? {})) args.push('-key', k, v);
  if (spec.calls !== undefined) args.push('-m', String(spec.calls));
  if (spec.rate !== undefined) args.push('-r', String(spec.rate));
  if (spec.limit !== undefined) args.push('-l', String(spec.limit));
  args.push(...(spec.args ?? []));
  const uac = spec.scenario.startsWith('uac-');
  if (uac) args.push(ASTERISK_SIP);
  const child: ChildProcess = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (e) => {
      err += String(e);
      resolve(null);
    });
  });
  return {
    spec,
    pid: child.pid ?? -1,
    exited,
    output: () => {
      // SIPp writes the error log only when something went wrong.
      const log = existsSync(errors) ? readFileSync(errors, 'utf8') : '';
      return `${err}${log}`;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function fillVars(xml: string, spec: PhoneSpec): string {
  return xml.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = spec.vars?.[name];
    if (v === undefined) throw new Error(`SIPp scenario ${spec.scenario}: no value for {{${name}}} (PhoneSpec.vars)`);
    return String(v);
  });
}

/** A key a SIPp phone presses, at a moment counted from the answer. */
export interface Press {
  atMs: number;
  digit: string;
}

/**
 * The {{keys}} part of uas-answer-keys / uac-call-keys and the pcap files it plays: for
 * each press, wait (ending the call cleanly on a BYE meanwhile), then play the key. The
 * i-th press plays a copy shifted i steps (dtmf.ts).
 */
export function keyScript(presses: readonly Press[]): { keys: string; files: Record<string, Buffer> } {
  const files: Record<string, Buffer> = {};
  let last = 0;
  const parts = [...presses].sort((a, b) => a.atMs - b.atMs).map((p, i) => {
    const file = `key${i}.pcap`;
    // Every press moves on in sequence and time, whatever the digit: Asterisk drops a key
    // whose RTP timestamp is behind the previous one as stale.
    files[file] = dtmfPcap(p.digit, i);
    const wait = Math.max(1, p.atMs - last);
    last = p.atMs;
    return [
      `  <recv request="BYE" timeout="${wait}" ontimeout="press${i}" next="bye"/>`,
      `  <label id="press${i}"/>`,
      `  <nop><action><exec play_pcap_audio="${file}"/></action></nop>`,
    ].join('\n');
  });
  return { keys: parts.join('\n'), files };
}

/** A UAS phone that answers after ringMs and presses keys (uas-answer-keys). */
export function answeringPhone(port: number, ringMs: number, presses: readonly Press[]): PhoneSpec {
  const { keys, files } = keyScript(presses);
  return { scenario: 'uas-answer-keys', port, vars: { ringMs, keys }, files };
}

/**
 * The phones of DESIGN.md's contract table, one per endpoint, each playing its part for
 * as many calls as come (UAS phones never exit on their own).
 */
export function contractPhones(): PhoneSpec[] {
  const reject = (port: number, code: number, reason: string): PhoneSpec => ({ scenario: 'uas-reject', port, vars: { code, reason } });
  return [
    { scenario: 'uas-keys', port: PORTS.debtor },
    reject(PORTS.busy, 486, 'Busy Here'),
    { scenario: 'uas-noanswer', port: PORTS.noanswer },
    reject(PORTS.e404, 404, 'Not Found'),
    reject(PORTS.e480, 480, 'Temporarily Unavailable'),
    reject(PORTS.e503, 503, 'Service Unavailable'),
    reject(PORTS.e603, 603, 'Decline'),
    { scenario: 'uas-hangup', port: PORTS.hangup },
    { scenario: 'uas-agent', port: PORTS.agent1 },
  ];
}

/** A set of running phones where one port's phone can be swapped for a test and put back. */
export class PhoneBank {
  private readonly running = new Map<number, SippPhone>();
  private readonly standard = new Map<number, PhoneSpec>();

  constructor(specs: PhoneSpec[]) {
    for (const s of specs) this.standard.set(s.port, s);
  }

  private stopping = false;

  async start(): Promise<void> {
    for (const s of this.standard.values()) this.running.set(s.port, this.watched(startPhone(s)));
    await settle();
    for (const p of this.running.values()) {
      const code = await Promise.race([p.exited, Promise.resolve('running' as const)]);
      if (code === 'running') continue;
      await this.stop();
      throw new Error(`SIPp ${p.spec.scenario} on port ${p.spec.port} exited (${code}): ${p.output()}`);
    }
  }

  /** Runs fn with another scenario on a port, then puts the standard phone back. */
  async with<T>(spec: PhoneSpec, fn: () => Promise<T>): Promise<T> {
    const standard = this.running.get(spec.port);
    this.running.delete(spec.port);
    await standard?.stop();
    const special = startPhone(spec);
    this.running.set(spec.port, special);
    await settle();
    try {
      return await fn();
    } finally {
      await special.stop();
      this.running.delete(spec.port);
      const back = this.standard.get(spec.port);
      if (back) {
        this.running.set(spec.port, this.watched(startPhone(back)));
        await settle();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.values()].map((p) => p.stop()));
    this.running.clear();
  }

  /** A standard phone that dies mid-suite says so at once, or the calls to it just time out. */
  private watched(p: SippPhone): SippPhone {
    void p.exited.then((code) => {
      if (!this.stopping && this.running.get(p.spec.port) === p) console.error(`SIPp ${p.spec.scenario} on port ${p.spec.port} exited (${code}): ${p.output()}`);
    });
    return p;
  }
}

/** SIPp binds its sockets within a few ms of starting; give it a moment before calls come. */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 300));
}
