/**
 * What an administrator's Prometheus scrapes after a debtor was called through the
 * simulated Asterisk: the call is timed (key → next prompt, originate → answer), the
 * API's requests by route pattern, the store's transactions, Node's process figures; no
 * label names a phone number or an id; and the Grafana dashboard in docs/ charts only
 * metrics that /metrics serves, so it cannot drift from the code.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/** Monday 23 Nov 2026 10:00 in Amsterdam: inside the default calling window. */
const MONDAY_10_AMSTERDAM = Date.parse('2026-11-23T09:00:00Z');
const PHONE = '+31611111101';
const CSV = [
  'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Risico;Opdrachtgever;Betaallink',
  'A1;Piet Pay;06-11111101;€ 250,00;F-1;31-12-2026;laag;Energie Noord BV;https://betaal.example.nl/p/1',
].join('\r\n');

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `a Prometheus sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const s = samples.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  assert.ok(s.length > 0, `${name}${JSON.stringify(labels)} is on /metrics`);
  return s.reduce((sum, x) => sum + x.value, 0);
}

let h: TestApp;
let text: string;
let callIds: string[];

before(async () => {
  const clock = new ScaledClock(20, MONDAY_10_AMSTERDAM);
  // The engine's own (silent) TTS, so its cache is pruned at start and the TTS figures show.
  h = await startTestApp({ clock, config: { dialer: { tickMs: 1000 }, tts: { engine: 'silent' } }, telephony: {} });
  const sim = h.app.deps.engine!.sim!;
  // Confirms identity with 1, then picks 1 (pay link) in the menu: two keys, two answers.
  sim.asterisk.setBehaviour(PHONE, { ringMs: 2000, outcome: 'answer', keys: [{ afterPrompt: 1, on: 'end', delayMs: 500, keys: '1' }, { afterPrompt: 2, on: 'end', delayMs: 500, keys: '1' }], hangup: { idleMs: 15000 } });
  const created = await h.api('/campaigns', { method: 'POST', json: { name: 'November', mode: 'agentless', callerId: '+31201234567', settings: { maxAttemptsPerDay: 1 } } });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = (await created.json()) as { id: number };
  const upload = await h.api(`/campaigns/${id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV });
  assert.equal(upload.status, 201, await upload.clone().text());
  assert.equal((await h.api(`/campaigns/${id}/start`, { method: 'POST' })).status, 200);
  let calls: { id: string; state: string; result: string | null }[] = [];
  for (let i = 0; i < 300 && !(calls.length === 1 && calls[0]!.state === 'ended'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    calls = ((await (await h.api(`/calls?campaign=${id}`)).json()) as { items: typeof calls }).items;
  }
  assert.equal(calls[0]?.result, 'paylink_requested', `the debtor went through the menu: ${JSON.stringify(calls)}`);
  callIds = calls.map((c) => c.id);
  assert.equal((await h.api(`/campaigns/${id}`)).status, 200);
  // The TTS cache's first prune runs at start; its figures join /metrics once it has finished.
  for (let i = 0; i < 50; i++) {
    text = await (await h.api('/metrics', { role: 'admin' })).text();
    if (/^bereik_tts_cache_files /m.test(text)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(() => h?.close());

test('after a simulated call, /metrics has timed the key → prompt, the originate → answer, the HTTP routes and the store', () => {
  const s = parse(text);
  assert.equal(value(s, 'bereik_dtmf_to_prompt_seconds_count'), 2, 'each of the two keys was answered by a prompt, timed once');
  assert.equal(value(s, 'bereik_originate_to_answer_seconds_count'), 1, 'the answered call');
  assert.ok(value(s, 'bereik_originate_to_answer_seconds_sum') >= 2 * 0.9, 'the phone rang 2 s (call clock) before answering');
  assert.ok(value(s, 'bereik_http_request_duration_seconds_count', { method: 'GET', route: '/campaigns/:id', status_class: '2xx' }) >= 1);
  assert.ok(value(s, 'bereik_http_request_duration_seconds_count', { method: 'POST', route: '/campaigns/:id/imports', status_class: '2xx' }) >= 1);
  assert.ok(value(s, 'bereik_sqlite_transaction_seconds_count') > 0, 'the import batch and the claim ran in transactions');
  // The figures that were there before prom-client keep their names and meaning.
  assert.equal(value(s, 'bereik_calls_total', { direction: 'outbound', disposition: 'answered' }), 1);
  assert.equal(value(s, 'bereik_dialer_originated_total'), 1);
  assert.equal(value(s, 'bereik_ari_state', { state: 'connected', simulated: 'true' }), 1);
  for (const edge of ['http', 'ws', 'ari', 'timer', 'process']) value(s, 'bereik_handler_errors_total', { edge });
  // Node's own figures (prom-client's default metrics).
  for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) value(s, name);
});

test('no label on /metrics carries a phone number, a call id or a raw URL with an id', () => {
  assert.ok(!text.includes(PHONE) && !text.includes('0611111101') && !text.includes('11111101'), 'the number called is nowhere');
  for (const id of callIds) assert.ok(!text.includes(id), `call id ${id} is nowhere`);
  for (const { name, labels } of parse(text)) {
    for (const [k, v] of Object.entries(labels)) {
      if (k === 'le' || name === 'nodejs_version_info') continue;
      assert.doesNotMatch(v, /(^|[/=])\d+([/&?]|$)|\d{4,}/, `${name}{${k}="${v}"} holds no number or id`);
    }
  }
});

test('the Grafana dashboard in docs/ charts only metrics that /metrics serves, through its datasource variable', () => {
  const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/grafana-dashboard.json'), 'utf8')) as {
    templating: { list: { name: string; type: string }[] };
    panels: { title: string; type: string; datasource?: { uid?: string }; targets?: { expr: string }[] }[];
  };
  const variable = dashboard.templating.list.find((v) => v.type === 'datasource');
  assert.ok(variable, 'a datasource variable, so the dashboard imports into any Grafana');
  const served = new Set(parse(text).map((x) => x.name));
  const queried = new Set<string>();
  const charts = dashboard.panels.filter((p) => p.type !== 'row');
  assert.ok(charts.length >= 10);
  for (const p of charts) {
    assert.equal(p.datasource?.uid, `\${${variable.name}}`, `panel "${p.title}" reads the chosen datasource`);
    assert.ok(p.targets?.length, `panel "${p.title}" has a query`);
    for (const t of p.targets!) for (const m of t.expr.matchAll(/\b(?:bereik|process|nodejs)_[a-zA-Z0-9_]+/g)) queried.add(m[0]);
  }
  const missing = [...queried].filter((n) => !served.has(n));
  assert.deepEqual(missing, [], 'every metric the dashboard queries is served');
  for (const n of ['bereik_dtmf_to_prompt_seconds_bucket', 'bereik_originate_to_answer_seconds_bucket', 'bereik_http_request_duration_seconds_bucket', 'bereik_sqlite_transaction_seconds_bucket', 'bereik_handler_errors_total', 'bereik_tts_cache_files', 'nodejs_eventloop_lag_seconds']) {
    assert.ok(queried.has(n), `the dashboard charts ${n}`);
  }
});
