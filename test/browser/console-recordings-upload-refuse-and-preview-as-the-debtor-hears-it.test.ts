/**
 * The console's recordings page in Chromium: an admin sees a prompt piece played by TTS,
 * uploads a good take (it is recorded, with its length and who uploaded it), uploads bad
 * ones (silent, clipped, too long, not audio: each refused in the API's own words),
 * listens to the take and to the whole prompt as the debtor will hear it (the <audio> gets
 * an 8 kHz mono WAV), removes the take, and switches to the English set; an operator may
 * listen but gets no upload or remove controls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserFor, byId } from './chromium.ts';
import { openConsole, screenshot } from './console.ts';
import { startTestApp } from '../helpers/app.ts';
import { badTakes, toneTake } from '../helpers/recordings.ts';

const KEY = 'claim_message.0';

/** What the page's <audio> element was given: its duration once loaded, and the WAV header of its source. */
async function audioInPage(page: Page): Promise<{ duration: number; riff: string; rate: number; channels: number; bits: number }> {
  await page.waitForFunction(() => {
    const a = document.querySelector<HTMLAudioElement>('[data-testid="rec-audio"]');
    return !!a && Number.isFinite(a.duration) && a.duration > 0;
  });
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate(async () => {
    const a = document.querySelector<HTMLAudioElement>('[data-testid="rec-audio"]')!;
    const bytes = new Uint8Array(await (await fetch(a.src)).arrayBuffer());
    const head = new DataView(bytes.buffer);
    const riff = `${String.fromCharCode(...bytes.subarray(0, 4))}/${String.fromCharCode(...bytes.subarray(8, 12))}`;
    return { duration: a.duration, riff, channels: head.getUint16(22, true), rate: head.getUint32(24, true), bits: head.getUint16(34, true) };
  });
}

test('an admin uploads a take, sees each bad one refused with its reason, hears the prompt as the debtor will; an operator only listens', { timeout: 180_000 }, async (t) => {
  const browser = await browserFor(t);
  if (!browser) return;
  const takes = mkdtempSync(join(tmpdir(), 'bereik-takes-'));
  t.after(() => rmSync(takes, { recursive: true, force: true }));
  const h = await startTestApp({ config: { tts: { engine: 'silent' } } });
  t.after(() => h.close());

  const made = await h.api('/campaigns', { method: 'POST', role: 'admin', json: { name: 'Energie Noord december', mode: 'agentless', callerId: '+31201234567', language: 'nl' } });
  assert.equal(made.status, 201);

  const page = await openConsole(browser, h, { role: 'admin' });
  await byId(page, 'nav-recordings').click();
  const row = byId(page, `rec-row-${KEY}`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'tts');
  assert.equal((await byId(page, `rec-state-${KEY}`).textContent())!.trim(), 'TTS');
  assert.match((await row.textContent())!, /Wij bellen namens/, 'the words to say');
  assert.match((await byId(page, 'rec-help').textContent())!, /Version 0 of the Dutch takes.*keeps the version it started with/);
  assert.match((await byId(page, 'rec-campaigns').textContent())!, /calling in Dutch plays these takes: Energie Noord december \(draft\)$/);
  assert.match((await byId(page, 'rec-words-count').textContent())!, /^0 recorded, 48 missing\.$/);

  // A good take: 1.2 s of tone with silence either side, trimmed by the service.
  await byId(page, `rec-file-${KEY}`).setInputFiles(toneTake(takes, 'good', { seconds: 1.2 }));
  await page.waitForSelector(`[data-testid="rec-row-${KEY}"][data-state="recorded"]`);
  assert.equal((await byId(page, `rec-state-${KEY}`).textContent())!.trim(), 'Recorded');
  assert.match((await byId(page, `rec-take-${KEY}`).textContent())!, /^1\.2 s · .+ · test-admin · v1$/);
  assert.equal(await byId(page, `rec-msg-${KEY}`).textContent(), 'good.wav accepted: 1.2 s after trimming, version 1.');
  assert.match((await byId(page, 'rec-help').textContent())!, /Version 1 of the Dutch takes/);
  await byId(page, `rec-upload-${KEY}`).filter({ hasText: 'Replace take' }).waitFor();

  // Bad takes (silent, clipped, too long, text, empty, cut off): each refused, and the page shows the API's reason word for word.
  for (const bad of badTakes(takes)) {
    const body = new FormData();
    body.append('file', new Blob([readFileSync(bad.path)]), 'take.wav');
    const api = (await (await h.api('/recordings/nl/claim_message.1', { method: 'PUT', body, role: 'admin' })).json()) as { error: { code: string; message: string } };
    assert.equal(api.error.code, bad.code, bad.name);
    await byId(page, 'rec-file-claim_message.1').setInputFiles(bad.path);
    const shown = byId(page, 'rec-err-claim_message.1');
    await page.waitForFunction(({ id, want }) => document.querySelector(`[data-testid="${id}"]`)?.textContent === want, { id: 'rec-err-claim_message.1', want: api.error.message }, { timeout: 15_000 })
      .catch(async () => assert.fail(`${bad.name}: the API says "${api.error.message}", the page "${await shown.textContent().catch(() => '(nothing)')}"`));
    assert.match((await shown.textContent())!, bad.why, bad.name);
  }
  assert.equal(await byId(page, 'rec-row-claim_message.1').getAttribute('data-state'), 'tts', 'nothing stored');

  // The take on its own, by keyboard (Enter on Play; Tab reaches the file input, its label outlined), then the whole claim message.
  await byId(page, `rec-play-${KEY}`).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), `rec-file-${KEY}`);
  assert.notEqual(await byId(page, `rec-upload-${KEY}`).evaluate((l) => getComputedStyle(l).outlineStyle), 'none', 'the focused upload shows an outline');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  const take = await audioInPage(page);
  assert.deepEqual([take.riff, take.rate, take.channels, take.bits], ['RIFF/WAVE', 8000, 1, 16]);
  assert.ok(Math.abs(take.duration - 1.2) < 0.05, `the take plays 1.2 s: ${take.duration}`);
  const parts = () => byId(page, 'rec-prompt-claim_message').getByTestId('rec-parts').textContent();
  assert.match((await parts())!, /^TTS\s*Wij bellen namens Energie Noord\./, 'one piece of five: the prompt is still synthesised whole');
  assert.match((await byId(page, 'rec-partial-claim_message').textContent())!, /until the 4 missing pieces are recorded/);

  // The other four pieces (over the API), and the page shown again: takes with the creditor synthesised between them.
  for (const n of [1, 2, 3, 4]) {
    const res = await h.api(`/recordings/nl/claim_message.${n}`, { method: 'PUT', body: readFileSync(toneTake(takes, `piece${n}`, { seconds: 0.4, hz: 300 + 50 * n })), headers: { 'content-type': 'audio/wav' }, role: 'admin' });
    assert.equal(res.status, 201);
  }
  await page.reload();
  await page.waitForSelector('[data-testid="rec-row-claim_message.4"][data-state="recorded"]');
  await byId(page, 'rec-error').filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
  assert.match((await parts())!, /^Take\s*Wij bellen namens TTS\s*Energie Noord Take\s*\. Het gaat om factuur TTS/);
  await byId(page, 'rec-preview-claim_message').click();
  await byId(page, 'rec-playing').filter({ hasText: 'claim_message, as the debtor will hear it' }).waitFor();
  const preview = await audioInPage(page);
  assert.deepEqual([preview.riff, preview.rate, preview.channels], ['RIFF/WAVE', 8000, 1]);
  assert.ok(preview.duration > take.duration, `the take and the synthesised rest: ${preview.duration} s`);
  await page.evaluate(() => scrollTo(0, 0));
  await page.setViewportSize({ width: 1280, height: 1000 });
  await screenshot(page, 'recordings', { fullPage: false }); // some 100 rows: the top of the page tells it

  // Removing the take: confirmed, then TTS again from the next version on.
  page.once('dialog', (d) => void d.accept());
  await byId(page, `rec-remove-${KEY}`).click();
  await page.waitForSelector(`[data-testid="rec-row-${KEY}"][data-state="tts"]`);
  assert.equal(await byId(page, `rec-msg-${KEY}`).textContent(), 'Removed from version 6 on.');
  assert.equal((await h.api(`/recordings/nl/${KEY}/audio`)).status, 404);

  // The English set: its own version and words, and the address keeps the language.
  await byId(page, 'rec-lang').selectOption('en');
  await page.waitForURL(/#\/recordings\/en$/);
  await byId(page, `rec-row-${KEY}`).filter({ hasText: 'We are calling on behalf of' }).waitFor();
  assert.match((await byId(page, 'rec-help').textContent())!, /^Version 0 of the English takes/);

  // An operator: the page and its players, no upload or remove.
  await h.api(`/recordings/nl/${KEY}`, { method: 'PUT', body: readFileSync(toneTake(takes, 'again', { seconds: 0.5 })), headers: { 'content-type': 'audio/wav' }, role: 'admin' });
  const op = await openConsole(browser, h, { role: 'operator', lang: 'nl' });
  await byId(op, 'nav-recordings').click();
  await op.waitForSelector(`[data-testid="rec-row-${KEY}"][data-state="recorded"]`);
  assert.equal((await byId(op, 'nav-recordings').textContent())!.trim(), 'Opnames');
  await byId(op, 'rec-read-only').waitFor();
  assert.equal(await op.locator('input[type="file"]').count(), 0, 'no upload control');
  assert.equal(await op.locator('[data-testid^="rec-remove-"]').count(), 0, 'no remove control');
  await byId(op, `rec-play-${KEY}`).click();
  assert.ok((await audioInPage(op)).duration > 0.4, 'an operator listens to the take');
});
