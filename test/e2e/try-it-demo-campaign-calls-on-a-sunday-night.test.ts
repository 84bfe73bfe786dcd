/**
 * The README's "Try it" on a Sunday at 23:30 in Amsterdam, when Dutch rules forbid calling a
 * debtor: the demo campaign it creates is dialled anyway, because the phones are the built-in
 * simulated Asterisk's, and the call runs to its end (identity, message, pay link). A campaign
 * without the demo flag, created on the same service at the same moment, waits for Monday 08:00.
 *
 * The campaign body and the CSV are read from README.md, so the test follows the README.
 * Bereik and the simulator share one clock, set to Sunday 23:30 and running 20× faster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/lib/clock.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import { startTestApp } from '../helpers/app.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';

/** Sunday 29 November 2026, 23:30 in Amsterdam (CET, UTC+1). */
const SUNDAY_2330_AMSTERDAM = Date.parse('2026-11-29T22:30:00Z');
/** Monday 30 November 2026, 08:00 in Amsterdam: the first moment the default window opens. */
const MONDAY_0800_AMSTERDAM = '2026-11-30T07:00:00.000Z';

/** The "Try it" block of README.md: the campaign JSON after -d, and the CSV that printf writes. */
function readmeTryIt(): { campaign: Record<string, unknown>; csv: string } {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it'));
  const body = /-d '(\{[^']*\})'/.exec(section);
  const csv = /printf '([^']*)' > demo\.csv/.exec(section);
  assert.ok(body && csv, 'README "Try it" creates a campaign with curl -d and writes demo.csv with printf');
  return { campaign: JSON.parse(body[1]!) as Record<string, unknown>, csv: csv[1]!.replaceAll('\\n', '\n') };
}

type CallItem = { toNumber: string; state: string; disposition: string | null; result: string | null; createdAt: string; answeredAt: string | null };
type ContactItem = { status: string; nextAttemptAt: string | null };

test('the README demo campaign is called on a Sunday at 23:30 and runs to the pay link; a real campaign waits for Monday 08:00', async (t) => {
  const { campaign, csv } = readmeTryIt();
  assert.deepEqual(campaign['settings'], { demo: true }, 'the README creates a demo campaign');

  const clock = new ScaledClock(20, SUNDAY_2330_AMSTERDAM);
  const ttsDir = mkdtempSync(join(tmpdir(), 'bereik-tts-'));
  t.after(() => rmSync(ttsDir, { recursive: true, force: true }));
  const tts = new SilentTts({ cacheDir: ttsDir, delivery: 'file', asteriskPath: '', publicUrl: '' });
  // No ari.url: the built-in simulated Asterisk with its default phones, as `npm start` runs.
  const h = await startTestApp({ clock, telephony: { tts } });
  t.after(() => h.close());
  assert.equal(h.app.deps.engine?.telephony.simulated, true);

  const create = async (body: Record<string, unknown>, rows: string) => {
    const res = await h.api('/campaigns', { method: 'POST', json: body });
    assert.equal(res.status, 201, await res.clone().text());
    const { id } = (await res.json()) as { id: number };
    const upload = await h.api(`/campaigns/${id}/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: rows });
    assert.equal(upload.status, 201, await upload.clone().text());
    return id;
  };
  const demo = await create(campaign, csv);
  // Another debtor: one person is never called twice at once, which would hide the window rule.
  const { settings: _demoFlag, ...withoutDemo } = campaign;
  const real = await create({ ...withoutDemo, name: 'Real' }, csv.replace('\nD1;', '\nD2;').replace('06-12345001', '06-12345002'));
  for (const id of [demo, real]) assert.equal((await h.api(`/campaigns/${id}/start`, { method: 'POST' })).status, 200);

  const calls = async (id: number) => ((await (await h.api(`/calls?campaign=${id}`)).json()) as { items: CallItem[] }).items;
  let demoCalls: CallItem[] = [];
  for (let i = 0; i < 600; i++) {
    demoCalls = await calls(demo);
    if (demoCalls.some((c) => c.state === 'ended')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(demoCalls.length, 1, `one call: ${JSON.stringify(demoCalls)}`);
  const [call] = demoCalls;
  assert.equal(call!.toNumber, '+31612345001');
  assert.ok(Date.parse(call!.answeredAt!) < Date.parse(MONDAY_0800_AMSTERDAM), `answered on Sunday night: ${call!.createdAt} → ${call!.answeredAt}`);
  assert.deepEqual([call!.state, call!.disposition, call!.result], ['ended', 'answered', 'paylink_requested']);
  const stats = (await (await h.api(`/campaigns/${demo}/stats`)).json()) as { contacts: Record<string, number> };
  assert.equal(stats.contacts['done'], 1, `the demo contact is done: ${JSON.stringify(stats)}`);

  // The same campaign without the demo flag follows the law on the very same service.
  assert.deepEqual(await calls(real), [], 'a real campaign dials nobody on a Sunday night');
  const contacts = ((await (await h.api(`/campaigns/${real}/contacts`)).json()) as { items: ContactItem[] }).items;
  assert.deepEqual(contacts.map((c) => [c.status, c.nextAttemptAt]), [['pending', MONDAY_0800_AMSTERDAM]]);
  const deferred = sqliteHandle(h.app.deps.store).prepare(`SELECT data FROM events WHERE kind = 'contact_deferred' AND campaign_id = ?`).all(real) as Array<{ data: string }>;
  assert.deepEqual(deferred.map((e) => (JSON.parse(e.data) as { reason: string }).reason), ['sunday']);
  assert.equal(h.app.deps.engine!.sim!.asterisk.calls().length, 1, 'the simulator saw the demo call only');
});
