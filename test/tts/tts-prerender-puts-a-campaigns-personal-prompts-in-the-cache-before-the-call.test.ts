import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { createSqliteStore } from '../../src/store/sqlite.ts';
import { createCallHandler } from '../../src/calls/index.ts';
import { prerenderCampaign } from '../../src/calls/prerender.ts';
import { DEFAULT_SETTINGS } from '../../src/campaigns/settings.ts';
import { FakeCall, TextTts, makeDeps, seedCase } from '../helpers/fake-call.ts';
import { runOnFakeTime } from '../helpers/fake-time.ts';
import { prompts } from '../helpers/prompts.ts';
import { CountingTts } from '../helpers/counting-tts.ts';

const root = mkdtempSync(join(tmpdir(), 'bereik-prerender-'));
after(() => rmSync(root, { recursive: true, force: true }));


function campaignOf(db: Db, n: number) {
  const seeded = Array.from({ length: n }, (_, i) =>
    seedCase(db, { callId: `call-${i + 1}`, name: `Debiteur ${i + 1}`, phone: `+3161234${String(i).padStart(4, '0')}`, invoiceRef: `F2026-${i}`, amountCents: 100_00 + i }),
  );
  // Not yet called: what the dialer will take, in this order.
  db.prepare(`UPDATE contacts SET status = 'pending'`).run();
  return seeded;
}

const limits = { maxContacts: 1000, maxBytes: 256 * 1024 * 1024, concurrency: 2 };
const deps = (db: Db, tts: CountingTts) => ({ tts, prompts, cases: createSqliteStore(db).cases, defaults: { language: 'nl' as const, settings: DEFAULT_SETTINGS }, log: silentLogger() });

test('after the pre-render, a call of the campaign finds its identity question and claim message in the cache', async () => {
  const db = openDb(':memory:');
  try {
    const tts = new CountingTts(join(root, 'hit'));
    const [first] = campaignOf(db, 3);
    const result = await prerenderCampaign(deps(db, tts), first!.campaignId, limits);
    assert.deepEqual({ contacts: result.contacts, renders: result.renders, failed: result.failed, stoppedBy: result.stoppedBy }, { contacts: 3, renders: 6, failed: 0, stoppedBy: 'done' });
    const before = tts.produced.length;

    // Contact 2 answers, confirms and presses 1 for the pay link.
    const clock = new FakeClock('2026-11-23T09:00:00.000Z');
    const text = new TextTts(join(root, 'unused'), tts);
    const phone = new FakeCall({ clock, tts: text, args: ['outbound', 'call-2', 'HUMAN', 'x'], script: { keys: [{ afterPrompt: 1, keys: '1' }, { afterPrompt: 3, keys: '1' }] } });
    db.prepare(`UPDATE contacts SET status = 'in_progress' WHERE id = ?`).run(2);
    await runOnFakeTime(clock, createCallHandler(makeDeps(db, clock, text)).handle(phone), { busy: text.inFlight });

    assert.match(phone.texts[0]!, /Spreek ik met Debiteur 2\?/);
    assert.match(phone.texts[1]!, /Energie Noord.*honderd euro en één cent/);
    const missed = tts.produced.slice(before);
    assert.ok(!missed.includes(phone.texts[0]!), 'the identity question was a cache hit');
    assert.ok(!missed.includes(phone.texts[1]!), 'the claim message was a cache hit');
  } finally {
    db.close();
  }
});

test('the pre-render stops at tts.prerender.maxContacts or maxMb, in the order the dialer calls', async () => {
  const db = openDb(':memory:');
  try {
    const [first] = campaignOf(db, 6);
    const byCount = new CountingTts(join(root, 'count'));
    const r = await prerenderCampaign(deps(db, byCount), first!.campaignId, { ...limits, maxContacts: 2 });
    assert.equal(r.contacts, 2);
    assert.equal(r.stoppedBy, 'count');
    const names = byCount.produced.filter((t) => t.startsWith('Spreek ik met') || /Debiteur/.test(t)).join(' ');
    assert.match(names, /Debiteur 1\b/);
    assert.match(names, /Debiteur 2\b/);
    assert.doesNotMatch(names, /Debiteur 3\b/, 'the third contact is left for its call');

    const bySize = new CountingTts(join(root, 'size'));
    // One contact's two prompts are ≈ 10 s of audio, 160 KB: a 100 KB budget allows starting one (or two in parallel), never all six.
    const s = await prerenderCampaign(deps(db, bySize), first!.campaignId, { ...limits, maxBytes: 100 * 1024, concurrency: 1 });
    assert.equal(s.stoppedBy, 'size');
    assert.equal(s.contacts, 1);
  } finally {
    db.close();
  }
});
