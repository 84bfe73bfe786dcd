import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { ttsMediaRoutes } from '../../src/tts/media-routes.ts';
import { SilentTts } from '../../src/tts/silent.ts';

const root = mkdtempSync(join(tmpdir(), 'bereik-media-'));
const cacheDir = join(root, 'tts');
after(() => rmSync(root, { recursive: true, force: true }));

test('Asterisk can fetch a rendered prompt over HTTP, and nothing else', async () => {
  const tts = new SilentTts({ cacheDir, delivery: 'http', asteriskPath: '', publicUrl: 'http://127.0.0.1:3000' });
  const out = await tts.render('Tot ziens.', 'nl');
  writeFileSync(join(root, 'secret.txt'), 'not for Asterisk');
  const app = Fastify();
  await app.register(ttsMediaRoutes, { cacheDir });
  try {
    const url = out.media.slice('sound:http://127.0.0.1:3000'.length);
    const ok = await app.inject({ method: 'GET', url });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['content-type'], 'audio/wav');
    assert.deepEqual(ok.rawPayload, readFileSync(join(cacheDir, url.split('/').pop()!)));
    for (const bad of ['/media/tts/..%2Fsecret.txt', '/media/tts/%2E%2E%2Fsecret.txt', `/media/tts/${'0'.repeat(64)}.wav`, '/media/tts/secret.txt']) {
      const res = await app.inject({ method: 'GET', url: bad });
      assert.equal(res.statusCode, 404, bad);
      assert.doesNotMatch(res.body, /not for Asterisk/);
    }
  } finally {
    await app.close();
  }
});
