/**
 * POST /campaigns/:id/start renders the campaign's prompts, personalised ones included,
 * into the TTS cache in the background. The clock stands on a Sunday night, when the law
 * forbids calling, so nobody is dialled while the pre-render runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeClock } from '../../src/lib/clock.ts';
import { sqliteHandle } from '../../src/store/sqlite.ts';
import { startTestApp } from '../helpers/app.ts';
import { CountingTts } from '../helpers/counting-tts.ts';
import { seedCampaign } from '../unit/dialer-fixture.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';


test('starting a campaign pre-renders every debtor’s identity question and claim message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-start-prerender-'));
  const tts = new CountingTts(dir);
  const app = await startTestApp({ clock: new FakeClock('2026-11-22T02:00:00.000Z'), telephony: { tts, prerender: true } });
  t.after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { campaignId } = seedCampaign(sqliteHandle(app.app.deps.store), { state: 'draft', debtors: Array.from({ length: 5 }, (_, i) => ({ phones: [`+3161300000${i}`] })) });
  const started = await app.api(`/campaigns/${campaignId}/start`, { method: 'POST' });
  assert.equal(started.status, 200, await started.clone().text());
  // The fixture's debtors are called "Debtor 0" to "Debtor 4": the identity question, heard by
  // whoever answers, says the name without the word that gives the subject away.
  const questions = () => tts.produced.filter((t) => /Spreek ik met \d\?/.test(t));
  const messages = () => tts.produced.filter((t) => /Wij bellen namens Acme/.test(t));
  for (let waited = 0; questions().length + messages().length < 10 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  assert.equal(questions().length, 5, 'five identity questions');
  assert.equal(messages().length, 5, 'five claim messages');
  assert.ok(tts.produced.some((t) => /Welkom bij Bereik/.test(t)), 'and the shared prompts');
});
