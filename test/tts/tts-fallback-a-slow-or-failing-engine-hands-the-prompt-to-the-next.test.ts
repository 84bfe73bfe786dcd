import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/lib/clock.ts';
import { openDb } from '../../src/store/db.ts';
import { createCallHandler } from '../../src/calls/index.ts';
import { FallbackTts } from '../../src/tts/fallback.ts';
import { prerenderPersonal } from '../../src/tts/prewarm.ts';
import { HttpTts } from '../../src/tts/http.ts';
import { SilentTts } from '../../src/tts/silent.ts';
import type { Language } from '../../src/campaigns/settings.ts';
import type { RenderOptions, RenderedPrompt } from '../../src/tts/types.ts';
import { startSimTtsEndpoint, type SimTtsEndpoint, type TtsFault } from '../../src/sim/tts-endpoint.ts';
import { FakeCall, TextTts, makeDeps, seedCase } from '../helpers/fake-call.ts';
import { runOnFakeTime } from '../helpers/fake-time.ts';

const dir = mkdtempSync(join(tmpdir(), 'bereik-fallback-'));
let sim: SimTtsEndpoint;
before(async () => void (sim = await startSimTtsEndpoint({ key: 'k' })));
after(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The chain as the call flows use it, remembering which text each media is (for what the phone heard) and how long each render took. */
class ChainTts extends TextTts {
  readonly waitedMs: number[] = [];
  constructor(readonly chain: FallbackTts) {
    super(join(dir, 'unused'));
  }
  override async render(text: string, lang: Language, opts?: RenderOptions): Promise<RenderedPrompt> {
    const t0 = Date.now();
    const pending = this.chain.render(text, lang, opts);
    this.inFlight.add(pending);
    const r = await pending.finally(() => this.inFlight.delete(pending));
    this.waitedMs.push(Date.now() - t0);
    this.textOf.set(r.media, r.text);
    this.durationOf.set(r.media, r.durationMs);
    return r;
  }
}

function chain(name: string, renderTimeoutMs: number, now?: () => number) {
  const media = (sub: string) => ({ cacheDir: join(dir, name, sub), delivery: 'file' as const, asteriskPath: '', publicUrl: '' });
  const http = new HttpTts({ ...media('http'), preset: 'generic', url: `${sim.url}/tts`, voices: { nl: 'dutch', en: 'english' }, key: 'k', timeoutMs: 5000, retries: 0, perSecond: 100 });
  const silent = new SilentTts(media('silent'));
  return new FallbackTts([{ name: 'http', engine: http }, { name: 'silent', engine: silent }], renderTimeoutMs, undefined, now);
}

/** One call while the service meets `fault` on every request. */
async function callWith(tts: ChainTts, fault: TtsFault) {
  const db = openDb(':memory:');
  sim.always(fault);
  try {
    const clock = new FakeClock('2026-11-23T09:00:00.000Z');
    seedCase(db, { callId: 'call-1' });
    const deps = makeDeps(db, clock, tts);
    // The debtor says no: identity question, then the polite close.
    const phone = new FakeCall({ clock, tts, args: ['outbound', 'call-1', 'HUMAN', 'x'], script: { keys: [{ afterPrompt: 1, keys: '2' }] } });
    await runOnFakeTime(clock, createCallHandler(deps).handle(phone), { busy: tts.inFlight });
    return phone;
  } finally {
    sim.always(undefined);
    db.close();
  }
}

test('a cloud engine slower than tts.renderTimeoutMs: the call hears the question from the next engine, within the timeout', async () => {
  const tts = new ChainTts(chain('slow', 300));
  const phone = await callWith(tts, { kind: 'slow', ms: 1500 });
  assert.match(phone.texts[0]!, /Spreek ik met Jan Jansen\?/, 'the identity question was played');
  assert.equal(phone.heard[0]!.end, 'done');
  assert.ok(phone.heard[0]!.media.includes(join(dir, 'slow', 'silent')), 'spoken by the second engine');
  assert.ok(tts.waitedMs[0]! < 1000, `the first prompt waited ${tts.waitedMs[0]} ms, not the 1.5 s the service took`);
  assert.deepEqual(tts.chain.fallbacks().map((f) => `${f.from}>${f.to}:${f.reason}`).sort(), ['http>silent:timeout']);
  assert.equal(tts.chain.fallbacks()[0]!.count, 2, 'both prompts of the call fell back');

  // The slow renders went on in the background: the next call with the same question gets the service's audio at once.
  await new Promise((r) => setTimeout(r, 1500));
  const again = await tts.chain.render(phone.texts[0]!, 'nl');
  assert.ok(again.media.includes(join(dir, 'slow', 'http')), 'a cache hit of the first engine');
});

test('a cloud engine that fails (500) hands over at once, counted as an error', async () => {
  const tts = new ChainTts(chain('failing', 5000));
  const phone = await callWith(tts, { kind: 'status', status: 500 });
  assert.match(phone.texts[0]!, /Spreek ik met Jan Jansen\?/);
  assert.ok(tts.waitedMs[0]! < 2000, `waited ${tts.waitedMs[0]} ms`);
  assert.deepEqual(tts.chain.fallbacks().map((f) => `${f.from}>${f.to}:${f.reason}`), ['http>silent:error']);
});

test('during an outage the service is degraded after 3 misses: prompts fall through at once, pre-rendered ones keep its voice, and one success restores it', async () => {
  let now = 1_000_000;
  const tts = chain('outage', 400, () => now);
  const fromHttp = (media: string) => media.includes(join(dir, 'outage', 'http'));
  const prerendered = await tts.render('Vooraf gerenderd.', 'nl');
  assert.ok(fromHttp(prerendered.media));
  sim.always({ kind: 'slow', ms: 1500 });
  try {
    const waited: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const out = await tts.render(`Tijdens de storing ${i}.`, 'nl');
      waited.push(Date.now() - t0);
      assert.ok(!fromHttp(out.media));
    }
    assert.ok(waited.slice(0, 3).every((ms) => ms >= 380), `the first three waited the timeout: ${waited}`);
    assert.ok(waited.slice(3).every((ms) => ms < 300), `then no longer: ${waited}`);
    assert.ok(fromHttp((await tts.render('Vooraf gerenderd.', 'nl')).media), 'a cache hit of the service is still its voice');
  } finally {
    sim.always(undefined);
  }
  now += 31_000;
  assert.ok(fromHttp((await tts.render('Na de storing.', 'nl')).media), 'after the cool-down the service is asked again and speaks');
  sim.always({ kind: 'slow', ms: 600 });
  try {
    assert.ok(!fromHttp((await tts.render('Weer traag.', 'nl')).media));
    const t0 = Date.now();
    await tts.render('Weer traag, tweede.', 'nl');
    assert.ok(Date.now() - t0 >= 380, 'one success gave it its full timeout back');
  } finally {
    sim.always(undefined);
  }
  await new Promise((r) => setTimeout(r, 1600)); // the slow answers arrive before the directory goes
});

test('the pre-render waits for a slow first engine, so its voice is cached, and counts no fallback', async () => {
  const tts = chain('patient', 300);
  sim.always({ kind: 'slow', ms: 700 });
  try {
    const r = await prerenderPersonal(tts, [{ lang: 'nl', texts: ['Spreek ik met Jan Jansen?'] }], { maxContacts: 10, maxBytes: 1e9, concurrency: 1 });
    assert.equal(r.renders, 1);
    const later = await tts.render('Spreek ik met Jan Jansen?', 'nl');
    assert.ok(later.media.includes(join(dir, 'patient', 'http')), 'the call finds the service’s audio');
    assert.deepEqual(tts.fallbacks(), []);
  } finally {
    sim.always(undefined);
  }
});
