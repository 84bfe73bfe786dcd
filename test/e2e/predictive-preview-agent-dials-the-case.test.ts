/**
 * Preview mode over the HTTP API, the real dialer and the simulated Asterisk: agents ask for
 * a case, see the debtor and claims, skip or dial; the debtor who answers is put through to
 * the agent who dialled, and nobody else's phone rings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createApp } from '../../src/app.ts';
import { createToken } from '../../src/http/tokens.ts';
import { startSim } from '../../src/sim/index.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { openDb } from '../../src/store/db.ts';
import { seedCampaign } from '../unit/dialer-fixture.ts';
import { callRows } from './predictive-harness.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';

const ORIGIN = Date.parse('2026-11-23T09:00:00Z');

test('preview: the dialer waits for the agent; a skipped case goes to another agent, who dials it and talks to the debtor', { timeout: 60_000 }, async (t) => {
  const clock = new ScaledClock(10, ORIGIN);
  const agentPhone = { outcome: 'answer' as const, ringMs: 300, context: 'bereik-agents', hangup: { afterMs: 15_000 } };
  const sim = await startSim({
    port: 0,
    clock,
    scenario: { endpoints: ['trunk'], population: { seed: 1, weights: { answer: 1 }, ringMs: { min: 1000, max: 1500 } }, phones: { 'PJSIP/agent1': agentPhone, 'PJSIP/agent2': agentPhone } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'bereik-preview-'));
  const db = openDb(':memory:');
  const config = loadConfig({}, { http: { host: '127.0.0.1', port: 0 }, log: { level: 'silent' }, dialer: { tickMs: 1000 }, agents: { ringTimeoutSec: 10, wrapUpSec: 5 } });
  const tts = new SilentTts({ cacheDir: dir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const app = await createApp({ config, clock, log: silentLogger(), store: createSqliteStore(db), telephony: { sim, tts } });
  t.after(async () => {
    await app.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = await app.listen();
  const { registry } = app.deps.engine!.desk;
  const agents = [1, 2].map((n) => registry.create({ name: `Agent ${n}`, endpoint: `PJSIP/agent${n}`, skills: [] }).id);
  const token = agents.map((id) => createToken(createSqliteStore(db).tokens, clock, { name: `agent ${id}`, role: 'agent', agentId: id }).token);
  const api = (who: 0 | 1, method: string, path: string) => fetch(url + path, { method, headers: { authorization: `Bearer ${token[who]}` } });
  const { campaignId, contactIds } = seedCampaign(db, {
    mode: 'preview',
    at: new Date(ORIGIN).toISOString(),
    settings: { amd: false, ringTimeoutSec: 15 },
    debtors: [{ phones: ['+31640000001'] }, { phones: ['+31640000002'] }],
  });

  assert.equal((await api(0, 'GET', '/agent/preview/next')).status, 409, 'an offline agent gets no case');
  for (const id of agents) registry.apply(id, 'go_available');

  const first = await api(0, 'GET', '/agent/preview/next');
  assert.equal(first.status, 200);
  const a = (await first.json()) as { contactId: number; campaignId: number; phone: string; debtor: { name: string }; claims: { amountCents: number }[] };
  assert.deepEqual([a.campaignId, a.contactId, a.phone], [campaignId, contactIds[0], '+31640000001']);
  assert.equal(a.debtor.name, 'Debtor 0');
  assert.equal(a.claims[0]?.amountCents, 12345);
  const b = (await (await api(1, 'GET', '/agent/preview/next')).json()) as { contactId: number };
  assert.equal(b.contactId, contactIds[1], 'a case held by one agent is not offered to another');

  // Ten seconds later nothing was dialled: preview campaigns wait for the agent's click.
  await clock.delay(10_000);
  assert.equal(callRows(db).length, 0);

  assert.equal((await api(1, 'POST', `/agent/preview/${a.contactId}/skip`)).status, 404, 'only the holder can skip it');
  assert.equal((await api(0, 'POST', `/agent/preview/${a.contactId}/skip`)).status, 204);
  const again = (await (await api(1, 'GET', '/agent/preview/next')).json()) as { contactId: number };
  assert.equal(again.contactId, a.contactId, 'the skipped case goes to the next agent who asks');

  const dial = await api(1, 'POST', `/agent/preview/${again.contactId}/dial`);
  assert.equal(dial.status, 202);
  const { callId } = (await dial.json()) as { callId: string };
  assert.equal(registry.get(agents[1]!)!.state, 'reserved', 'the agent is reserved while the debtor’s phone rings');
  const done = () => callRows(db).find((r) => r.id === callId && r.state === 'ended' && r.result);
  while (!done()) await clock.delay(1000);

  const row = callRows(db).find((r) => r.id === callId)!;
  assert.deepEqual([row.disposition, row.result, row.agent_id], ['answered', 'transferred', agents[1]]);
  const debtorPhone = sim.asterisk.phone('+31640000001').calls[0]!;
  assert.ok(debtorPhone.bridgedWith.some((p) => p.includes('agent2')), `the debtor talked to agent 2 (${debtorPhone.bridgedWith.join(',')})`);
  assert.equal(sim.asterisk.phone('PJSIP/agent1').calls.length, 0, 'agent 1’s phone never rang');
});
