/**
 * GET /media/tts/:file — the cached prompt audio for tts.delivery = 'http'. Only cache
 * file names (64 hex characters + .wav) are served, so no path can leave the cache dir.
 * Register with: app.register(ttsMediaRoutes, { cacheDir: config.tts.cacheDir }).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { CACHE_FILE } from './cache.ts';

export interface TtsMediaRoutesOptions {
  cacheDir: string;
  /** Default /media/tts; recorded prompts are served from /media/recordings (also named by SHA-256). */
  prefix?: string;
}

export const ttsMediaRoutes: FastifyPluginAsync<TtsMediaRoutesOptions> = async (app, opts) => {
  const dir = resolve(opts.cacheDir);
  app.get<{ Params: { file: string } }>(`${opts.prefix ?? '/media/tts'}/:file`, async (req, reply) => {
    const { file } = req.params;
    const notFound = () => reply.code(404).send({ code: 'NOT_FOUND', message: 'no such prompt audio' });
    if (!CACHE_FILE.test(file)) return notFound();
    const path = join(dir, file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return notFound();
    return reply
      .type('audio/wav')
      .header('content-length', info.size)
      // The name is a hash of engine + voice + text: the bytes behind it never change.
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(createReadStream(path));
  });
};
