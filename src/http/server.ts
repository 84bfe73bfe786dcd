import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';

/** Builds the Fastify instance with every route. */
export async function buildServer(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log.child({ mod: 'http' }) as FastifyBaseLogger });
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
