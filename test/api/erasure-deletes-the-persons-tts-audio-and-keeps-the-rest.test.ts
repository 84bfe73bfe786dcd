/**
 * Personalised TTS audio speaks a person's name, creditor, amount and due date. A render
 * about a debtor notes its cache file in the owner ledger (src/store/tts-audio.ts), so
 * erasing the debtor deletes their audio at once instead of leaving it for
 * tts.cacheMaxAgeDays. Another debtor's audio and the prompts every call shares stay, and
 * the ledger forgets ownership after the cache's age limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { createCampaign, uploadRaw } from '../helpers/imports.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { RetentionJob } from '../../src/privacy/retention-job.ts';
import { silentLogger } from '../../src/lib/log.ts';

const NOW = '2026-11-23T09:00:00.000Z';
const CSV = [
  'Debiteurnummer;Naam;Telefoon;Bedrag;Factuurnummer;Vervaldatum;Opdrachtgever',
  'D900;Wilhelmina Zwartkop;06-24681357;250,00;F900-1;31-12-2026;Acme BV',
  'D901;Karel Blijft;06-11112222;100,00;F901-1;31-12-2026;Acme BV',
].join('\r\n') + '\r\n';

test("erasing a person deletes the TTS audio that speaks about them, and only theirs", { timeout: 60_000 }, async (t) => {
  const clock = new FakeClock(NOW);
  const cacheDir = mkdtempSync(join(tmpdir(), 'bereik-test-tts-owners-'));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  const app = await startTestApp({
    clock,
    config: { tts: { engine: 'espeak', cacheDir, cacheMaxAgeDays: 3, prerender: { maxContacts: 100, maxMb: 50, concurrency: 1 } } },
  });
  t.after(() => app.close());
  const db = sqliteHandle(app.app.deps.store);
  const campaignId = await createCampaign(app);
  assert.equal((await uploadRaw(app, campaignId, CSV)).status, 201);
  const idOf = (ref: string) => (db.prepare(`SELECT id FROM debtors WHERE external_ref = ?`).get(ref) as { id: number }).id;
  const her = idOf('D900');
  const him = idOf('D901');

  // What a campaign start does: the shared prompts, then each contact's identity question and claim message.
  const done = await app.app.deps.engine!.prerender(campaignId);
  assert.equal(done?.contacts, 2);
  const keysOf = (debtor: number) => (db.prepare(`SELECT cache_key AS k FROM tts_audio_owners WHERE debtor_id = ? ORDER BY 1`).all(debtor) as { k: string }[]).map((r) => r.k);
  const hers = keysOf(her);
  const his = keysOf(him);
  assert.ok(hers.length >= 2, `her identity question and claim message are on her record: ${hers.length}`);
  assert.equal(hers.filter((k) => his.includes(k)).length, 0, 'their personalised audio differs');
  const wavs = () => new Set(readdirSync(cacheDir).filter((n) => n.endsWith('.wav')));
  const before = wavs();
  for (const k of [...hers, ...his]) assert.ok(before.has(`${k}.wav`), `rendered: ${k}`);
  const shared = [...before].filter((n) => !hers.includes(n.slice(0, -4)) && !his.includes(n.slice(0, -4)));
  assert.ok(shared.length > 0, 'the prompts every call shares are in the cache too (the check below is not vacuous)');

  db.prepare(`UPDATE claims SET status = 'paid' WHERE debtor_id = ?`).run(her);
  const res = await app.api('/debtors/D900/erase', { method: 'POST', role: 'admin', json: {} });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(((await res.json()) as { erased: { ttsAudio: number } }).erased.ttsAudio, hers.length);

  const after = wavs();
  for (const k of hers) assert.equal(after.has(`${k}.wav`), false, `her audio ${k} is gone`);
  for (const k of his) assert.ok(after.has(`${k}.wav`), `his audio ${k} stays`);
  for (const n of shared) assert.ok(after.has(n), `the shared prompt ${n} stays`);
  assert.deepEqual(keysOf(her), [], 'the ledger holds nothing of her');

  // The daily retention pass forgets ownership once the cache's age limit has passed, not before.
  const pass = (days: number) =>
    new RetentionJob({ store: app.app.deps.store, clock: new FakeClock(Date.parse(NOW) + days * 86_400_000), log: silentLogger(), limits: app.app.deps.config.retention, ttsAudioDays: 3 }).runOnce();
  assert.equal(pass(2.9).tts_audio_owners, 0);
  assert.deepEqual(keysOf(him), his);
  assert.equal(pass(3.1).tts_audio_owners, his.length);
  assert.deepEqual(keysOf(him), [], 'his ownership is forgotten after tts.cacheMaxAgeDays');
});
