import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.ts';
import { startSimTtsEndpoint } from '../../src/sim/tts-endpoint.ts';

test('prompts the cloud service could not speak in time are spoken by the next engine and counted on /metrics by reason', async (t) => {
  const sim = await startSimTtsEndpoint({ key: '' });
  const dir = mkdtempSync(join(tmpdir(), 'bereik-fallback-metrics-'));
  const http = { preset: 'generic', url: `${sim.url}/tts`, voiceNl: 'dutch', voiceEn: 'english', timeoutMs: 5000, retries: 0, perSecond: 50 };
  const h = await startTestApp({ telephony: {}, config: { tts: { engine: ['http', 'silent'], cacheDir: dir, renderTimeoutMs: 300, http } } });
  t.after(async () => {
    await h.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tts = h.app.deps.engine!.tts;
  const spoken = await tts.render('Door de dienst zelf.', 'nl');
  assert.ok(spoken.durationMs > 0);
  sim.always({ kind: 'slow', ms: 1500 });
  await tts.render('Te laat voor de dienst.', 'nl');
  await tts.render('Ook te laat.', 'nl');
  sim.always({ kind: 'status', status: 500 });
  await tts.render('De dienst faalt.', 'nl');
  sim.always(undefined);
  const metrics = await (await h.api('/metrics', { role: 'admin' })).text();
  assert.match(metrics, /bereik_tts_fallbacks_total\{from="http",to="silent",reason="timeout"\} 2\n/);
  assert.match(metrics, /bereik_tts_fallbacks_total\{from="http",to="silent",reason="error"\} 1\n/);
  // Let the slow answers arrive before the directory goes.
  await new Promise((r) => setTimeout(r, 1300));
});
