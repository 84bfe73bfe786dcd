/**
 * A running Bereik for agent-desktop message tests: the built-in simulated Asterisk and SMSC,
 * a clock running in real time from a Monday 10:00 in Amsterdam (inside the sending window),
 * agents with tokens, and calls put through to them.
 */
import { ScaledClock } from '../../src/lib/clock.ts';
import { createToken } from '../../src/http/tokens.ts';
import { createCall } from '../../src/store/calls.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { startTestApp, type TestApp } from './app.ts';
import { MONDAY_10_AMSTERDAM, until } from './until.ts';
export { MONDAY_10_AMSTERDAM, until } from './until.ts';

/** The SMS sender configured by default: a number debtors can answer. */
export const OURS = '+3197010587400';


export interface DeskWorld {
  a: TestApp;
  agent(name: string): { id: number; token: string };
  /** Records that this agent had a call of this debtor put through (an agent leg). */
  putThrough(agentId: number, debtorId: number): void;
  as(token: string, method: string, path: string, json?: unknown): Promise<{ status: number; body: any }>;
}

export async function deskWorld(t: { after(fn: () => Promise<void>): void }): Promise<DeskWorld> {
  const a = await startTestApp({ clock: new ScaledClock(1, MONDAY_10_AMSTERDAM) });
  t.after(() => a.close());
  const { store, clock } = a.app.deps;
  const registry = a.app.deps.engine!.desk.registry;
  let n = 0;
  return {
    a,
    agent(name) {
      const id = registry.create({ name, endpoint: `PJSIP/${name.toLowerCase()}`, skills: [] }).id;
      return { id, token: createToken(store.tokens, clock, { name, role: 'agent', agentId: id }).token };
    },
    putThrough(agentId, debtorId) {
      createCall(sqliteHandle(store), { id: `leg-${++n}`, direction: 'agent', agentId, debtorId, createdAt: new Date(clock.now()).toISOString(), state: 'ended' });
    },
    async as(token, method, path, json) {
      const res = await fetch(a.url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

