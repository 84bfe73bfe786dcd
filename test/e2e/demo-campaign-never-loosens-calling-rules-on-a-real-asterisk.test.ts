/**
 * The README's demo campaign is dialled at any hour only while Bereik runs on its built-in
 * simulated Asterisk. A service with `ari.url` set (here pointed at a simulator it does not
 * own, which it cannot tell from a real Asterisk) refuses the flag, and a demo campaign
 * already in its database, left by a simulated run, is held to every calling rule: on a
 * Sunday at 23:30 in Amsterdam nobody is dialled and the contact waits for Monday 08:00.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { startSim } from '../../src/sim/index.ts';
import { CampaignService } from '../../src/campaigns/service.ts';
import { startTestApp } from '../helpers/app.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

const SUNDAY_2330_AMSTERDAM = Date.parse('2026-11-29T22:30:00Z');
const MONDAY_0800_AMSTERDAM = '2026-11-30T07:00:00.000Z';
const CSV = 'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Opdrachtgever\nD1;Jan Jansen;06-12345001;€ 1.234,56;F2026-1;31-12-2026;Energie Noord BV\n';
const BODY = { name: 'Demo', mode: 'agentless', callerId: '+31201234567' };

test('with a real Asterisk configured, settings.demo is refused and a stored demo campaign still waits for the calling window', async (t) => {
  const clock = new ScaledClock(20, SUNDAY_2330_AMSTERDAM);
  const sim = await startSim({ port: 0, clock });
  t.after(() => sim.close());
  const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
  t.after(() => rmSync(ttsDir, { recursive: true, force: true }));
  const tts = new SilentTts({ cacheDir: ttsDir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  const h = await startTestApp({ clock, config: { ari: { url: sim.url, user: sim.user, password: sim.password } }, telephony: { tts } });
  t.after(() => h.close());
  const engine = h.app.deps.engine!;
  assert.equal(engine.telephony.simulated, false, 'configured with ari.url: a real Asterisk as far as Bereik knows');
  for (let i = 0; i < 200 && engine.telephony.health().state !== 'connected'; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(engine.telephony.health().state, 'connected');

  // Asked for over the API: refused, naming the field and why.
  const refused = await h.api('/campaigns', { method: 'POST', json: { ...BODY, settings: { demo: true } } });
  assert.equal(refused.status, 400);
  const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
  assert.equal(error.code, 'VALIDATION');
  assert.match(error.message, /settings\.demo.*simulated Asterisk/);
  const plain = (await (await h.api('/campaigns', { method: 'POST', json: BODY })).json()) as { id: number };
  const patched = await h.api(`/campaigns/${plain.id}`, { method: 'PATCH', json: { settings: { demo: true } } });
  assert.equal(patched.status, 400, 'nor can an existing campaign become a demo');
  assert.equal(((await (await h.api(`/campaigns/${plain.id}`)).json()) as { settings: { demo?: boolean } }).settings.demo, undefined);

  // A demo campaign stored by an earlier run on the simulator, then run on this service.
  const earlierRun = new CampaignService({ store: h.app.deps.store, clock, log: silentLogger(), demoAllowed: () => true });
  const demo = earlierRun.create({ ...BODY, mode: 'agentless', settings: { demo: true } });
  assert.equal(demo.settings.demo, true);
  const upload = await h.api(`/campaigns/${demo.id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV });
  assert.equal(upload.status, 201, await upload.clone().text());
  assert.equal((await h.api(`/campaigns/${demo.id}/start`, { method: 'POST' })).status, 200);

  type ContactItem = { status: string; nextAttemptAt: string | null };
  let contacts: ContactItem[] = [];
  for (let i = 0; i < 200; i++) {
    contacts = ((await (await h.api(`/campaigns/${demo.id}/contacts`)).json()) as { items: ContactItem[] }).items;
    if (contacts[0]?.nextAttemptAt) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.deepEqual(contacts.map((c) => [c.status, c.nextAttemptAt]), [['pending', MONDAY_0800_AMSTERDAM]]);
  const deferred = sqliteHandle(h.app.deps.store).prepare(`SELECT data FROM events WHERE kind = 'contact_deferred' AND campaign_id = ?`).all(demo.id) as Array<{ data: string }>;
  assert.deepEqual(deferred.map((e) => (JSON.parse(e.data) as { reason: string }).reason), ['sunday']);
  // A few more ticks (5 s of clock): still nobody dialled.
  await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(((await (await h.api(`/calls?campaign=${demo.id}`)).json()) as { items: unknown[] }).items, []);
  assert.equal(sim.asterisk.calls().length, 0, 'no phone rang');
});
