/**
 * The console's live page in Chromium, on the whole service with the simulated Asterisk:
 * the operator opens a running campaign and, without reloading, sees the counters move as
 * the virtual phones answer, are busy or do not answer, ending on the API's own figures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot, startOnSimulator, tableRows } from './console.ts';

const CSV = [
  'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Opdrachtgever;Betaallink',
  'L1;Lotte Luister;06-44444401;€ 10,00;F-1;Water Zuid BV;https://betaal.example.nl/p/1',
  'L2;Bert Bezet;06-44444402;€ 20,00;F-2;Water Zuid BV;',
  'L3;Nico Nooit;06-44444403;€ 30,00;F-3;Water Zuid BV;',
].join('\r\n');

test('the live page counts calls as the simulated phones answer, are busy or ring out, without a reload', { timeout: 120_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const h = await startOnSimulator(t, 10);
  const sim = h.app.deps.engine!.sim!.asterisk;
  sim.setBehaviour('+31644444401', { ringMs: 3000, outcome: 'answer', hangup: { idleMs: 20000 }, keys: [{ afterPrompt: 1, on: 'end', delayMs: 500, keys: '1' }, { afterPrompt: 2, on: 'end', delayMs: 500, keys: '1' }] } as never);
  sim.setBehaviour('+31644444402', { ringMs: 1000, outcome: 'busy' } as never);
  sim.setBehaviour('+31644444403', { outcome: 'noanswer' } as never);
  const campaign = (await (await h.api('/campaigns', { method: 'POST', json: { name: 'Live', mode: 'agentless', callerId: '+31201234567', settings: { maxAttemptsPerDay: 1 } } })).json()) as { id: number };
  assert.equal((await h.api(`/campaigns/${campaign.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV })).status, 201);

  assert.equal((await h.api('/agents', { method: 'POST', json: { name: 'Ada', endpoint: 'PJSIP/agent1001' } })).status, 201);
  const page = await openConsole(browser, h);
  const streams: string[] = [];
  page.on('request', (r) => void (r.url().includes('/live/events') && streams.push(r.url())));
  await page.goto(`${h.url}/console#/live/${campaign.id}`);
  await byId(page, 'l-total').waitFor();
  assert.equal(await byId(page, 'l-total').textContent(), '0');
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  assert.equal((await h.api(`/campaigns/${campaign.id}/start`, { method: 'POST' })).status, 200);
  const figures = () => Promise.all(['l-total', 'l-ringing', 'l-up', 'l-busy', 'l-noanswer', 'l-per-minute'].map((id) => byId(page, id).textContent())).then((v) => v.join(' '));
  const seen = new Set<string>();
  type Stats = { calls: { total: number; live: number }; answered: number; busy: number };
  let stats: Stats | undefined;
  for (const until = Date.now() + 90_000; Date.now() < until; await new Promise((r) => setTimeout(r, 300))) {
    seen.add(await figures());
    stats = (await (await h.api(`/campaigns/${campaign.id}/stats`)).json()) as Stats;
    if (stats.calls.total === 3 && stats.calls.live === 0 && (await byId(page, 'l-busy').textContent()) === '1' && (await byId(page, 'l-up').textContent()) === '0') break;
  }
  assert.equal(stats?.calls.total, 3, 'the dialer called all three');
  await page.waitForFunction(() => document.querySelector('[data-testid="l-total"]')?.textContent === '3');
  // total, ringing, up, busy, no answer: from nothing, through ringing, to every call ended.
  assert.ok(seen.size >= 3, `the counters moved on the open page: ${[...seen].join(' → ')}`);
  assert.ok([...seen].some((f) => Number(f.split(' ')[1]) > 0), `calls were seen ringing: ${[...seen].join(' → ')}`);
  assert.ok([...seen].some((f) => Number(f.split(' ')[5]) > 0), `calls per minute rose: ${[...seen].join(' → ')}`);
  assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'no reload');
  assert.equal(streams.length, 1, 'one server-sent-events stream fed the page, no polling');
  // Agentless: nobody abandoned, shown against the campaign's Ofcom cap (3 %); no agents, so no dial ratio.
  const live = (await (await h.api(`/campaigns/${campaign.id}/live`)).json()) as { abandon24h: { rate: number | null; cap: number }; messages: { sent: number } };
  assert.equal(await byId(page, 'l-abandon').textContent(), `${live.abandon24h.rate === null ? '—' : (100 * live.abandon24h.rate).toFixed(1) + ' %'} / ${(100 * live.abandon24h.cap).toFixed(1)} %`);
  assert.equal(await byId(page, 'l-dial-ratio').textContent(), '—');
  assert.equal(await byId(page, 'l-agents-by-state').textContent(), 'offline 1');
  const [ada] = await tableRows(page, 'l-agents');
  assert.deepEqual(ada!.slice(0, 2), ['Ada', 'offline']);
  assert.match(ada![2]!, /^\d+ s$/);
  assert.match((await byId(page, 'l-messages').textContent())!, new RegExp(`${live.messages.sent}`));
  assert.equal(await byId(page, 'l-busy').textContent(), String(stats!.busy));
  assert.equal(await byId(page, 'l-answer-rate').textContent(), `${Math.round((100 * stats!.answered) / 3)} %`);
  await screenshot(page, 'live');
});
