/**
 * The whole service as an operator and debtors meet it: the app with its engine (ARI
 * client ⇄ built-in simulated Asterisk over HTTP + WebSocket), a CSV uploaded over the
 * API, the campaign started over the API, the dialer calling, the IVR talking to virtual
 * phones, outcomes readable over the API. Time runs 20× faster for Bereik and the sim alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { startTestApp } from '../helpers/app.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import type { TtsEngine } from '../../src/tts/types.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Monday 23 Nov 2026 10:00 in Amsterdam: inside the default calling window. */
const MONDAY_10_AMSTERDAM = Date.parse('2026-11-23T09:00:00Z');

const CSV = [
  'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Risico;Opdrachtgever;Betaallink',
  'A1;Piet Pay;06-11111101;€ 250,00;F-1;31-12-2026;laag;Energie Noord BV;https://betaal.example.nl/p/1',
  'A2;Nora Nee;06-11111102;€ 300,00;F-2;31-12-2026;laag;Energie Noord BV;https://betaal.example.nl/p/2',
  'A3;Bas Bezet;06-11111103;€ 400,00;F-3;31-12-2026;laag;Energie Noord BV;',
  'A4;Otto Ongeldig;06-11111104;€ 500,00;F-4;31-12-2026;laag;Energie Noord BV;',
].join('\r\n');

const SCENARIO = {
  endpoints: ['trunk'],
  phones: {
    // confirms identity, then picks 1 (pay link by SMS)
    '+31611111101': { ringMs: 2000, outcome: 'answer', keys: [{ afterPrompt: 1, on: 'end', delayMs: 500, keys: '1' }, { afterPrompt: 2, on: 'end', delayMs: 500, keys: '1' }], hangup: { idleMs: 15000 } },
    // "not me"
    '+31611111102': { ringMs: 2000, outcome: 'answer', keys: [{ afterPrompt: 1, on: 'end', delayMs: 500, keys: '2' }], hangup: { idleMs: 15000 } },
    '+31611111103': { outcome: 'busy' },
    '+31611111104': { outcome: 'sip', sipStatus: 404 },
  },
  default: { outcome: 'noanswer' },
};

test('an operator uploads a CSV, starts the campaign, and the debtors are called and heard the right things', async (t) => {
  const clock = new ScaledClock(20, MONDAY_10_AMSTERDAM);
  // Silent audio of the right length, remembering which text each media file speaks, so the
  // test can read what each virtual phone heard.
  const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
  t.after(() => rmSync(ttsDir, { recursive: true, force: true }));
  const silent = new SilentTts({ cacheDir: ttsDir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const spoken = new Map<string, string>();
  const tts: TtsEngine = {
    async render(text, lang, opts) {
      const r = await silent.render(text, lang, opts);
      spoken.set(r.media, text);
      return r;
    },
  };
  const h = await startTestApp({ clock, config: { dialer: { tickMs: 1000 } }, telephony: { tts } });
  t.after(() => h.close());
  const heardBy = (number: string) => (sim.asterisk.phone(number)?.calls ?? []).flatMap((c) => c.heard.map((m) => spoken.get(m.media) ?? `?${m.media}`));
  const scenarioPath = join(h.dir, 'scenario.json');
  writeFileSync(scenarioPath, JSON.stringify(SCENARIO));
  // The scenario is read when the simulator starts; this app's simulator already runs with the
  // default phones, so behaviours are set per number on the running simulator instead.
  const sim = h.app.deps.engine!.sim!;
  for (const [number, behaviour] of Object.entries(SCENARIO.phones)) sim.asterisk.setBehaviour(number, behaviour as never);

  const created = await h.api('/campaigns', { method: 'POST', json: { name: 'November', mode: 'agentless', callerId: '+31201234567', settings: { maxAttemptsPerDay: 1 } } });
  assert.equal(created.status, 201, await created.clone().text());
  const campaign = (await created.json()) as { id: number };

  const upload = await h.api(`/campaigns/${campaign.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV });
  assert.equal(upload.status, 201, await upload.clone().text());
  const imported = (await upload.json()) as { counts?: Record<string, number> };
  assert.ok(JSON.stringify(imported).includes('4'), `4 rows imported: ${JSON.stringify(imported)}`);

  const started = await h.api(`/campaigns/${campaign.id}/start`, { method: 'POST' });
  assert.equal(started.status, 200, await started.clone().text());

  // Wait (on the wall clock, bounded) until every contact has had its first attempt.
  type Stats = { contacts: Record<string, number>; calls: Record<string, number>; results: Record<string, number> };
  let stats: Stats | undefined;
  for (let i = 0; i < 300; i++) {
    const res = await h.api(`/campaigns/${campaign.id}/stats`);
    assert.equal(res.status, 200);
    stats = (await res.json()) as Stats;
    const calls = await (await h.api(`/calls?campaign=${campaign.id}&limit=100`)).json() as { items: Array<{ state: string }> };
    if (calls.items.length >= 4 && calls.items.every((c) => c.state === 'ended' || c.state === 'interrupted')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { items: calls } = (await (await h.api(`/calls?campaign=${campaign.id}&limit=100`)).json()) as {
    items: Array<{ toNumber: string; disposition: string; result: string | null; dtmfPath: string; messageHeard: boolean; identityConfirmed: boolean; hangupCause: number | null }>;
  };
  const byNumber = new Map(calls.map((c) => [c.toNumber, c]));
  assert.equal(calls.length, 4, `one attempt per debtor (cap 1 a day): ${JSON.stringify(calls)}`);

  const pay = byNumber.get('+31611111101')!;
  assert.equal(pay.disposition, 'answered');
  assert.equal(pay.result, 'paylink_requested');
  assert.equal(pay.identityConfirmed, true);
  assert.equal(pay.messageHeard, true);
  assert.equal(pay.dtmfPath, '11');

  const notMe = byNumber.get('+31611111102')!;
  assert.equal(notMe.result, 'identity_not_confirmed');
  assert.equal(notMe.messageHeard, false);

  assert.equal(byNumber.get('+31611111103')!.disposition, 'busy');
  assert.ok(['failed', 'unreachable'].includes(byNumber.get('+31611111104')!.disposition), 'a 404 number is not reached');

  // What the debtors heard: the one who said "not me" heard no creditor, amount or invoice.
  const notMeHeard = heardBy('+31611111102').join(' | ');
  assert.match(notMeHeard, /Nora Nee/, 'the identity question names the debtor');
  assert.doesNotMatch(notMeHeard, /Energie|euro|F-2|F 2|driehonderd/i, `no debt detail before identity: ${notMeHeard}`);
  const payHeard = heardBy('+31611111101').join(' | ');
  assert.match(payHeard, /Energie Noord/, `the confirmed debtor heard the creditor: ${payHeard}`);
  assert.match(payHeard, /tweehonderdvijftig euro/, 'and the amount in words');
  const stats2 = (await (await h.api(`/campaigns/${campaign.id}/stats`)).json()) as Stats;
  assert.ok(stats2, 'stats are served');
  const contacts = (await (await h.api(`/campaigns/${campaign.id}/contacts`)).json()) as { items: Array<{ debtorRef: string; status: string }> };
  const status = Object.fromEntries(contacts.items.map((c) => [c.debtorRef, c.status]));
  assert.equal(status['A1'], 'done', 'the debtor who asked for the pay link is done');
  assert.equal(status['A4'], 'invalid', 'a number that does not exist closes the contact');
  assert.equal(status['A3'], 'pending', 'busy is retried later');

  const metrics = await (await h.api('/metrics', { role: 'admin' })).text();
  assert.match(metrics, /bereik_calls_total\{direction="outbound",disposition="answered"\} 2/);
  assert.match(metrics, /bereik_dialer_originated_total 4\n/);
  assert.match(metrics, /bereik_ari_state\{state="connected",simulated="true"\} 1/);
  const health = (await (await fetch(`${h.url}/healthz`)).json()) as { status: string; telephony: { state: string; simulated: boolean } };
  assert.deepEqual([health.status, health.telephony.state, health.telephony.simulated], ['ok', 'connected', true]);
  assert.ok(stats, 'stats were read while the campaign ran');
});
