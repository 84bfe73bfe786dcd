/**
 * Builds the Fastify instance: error shape, auth, OpenAPI, uploads, and every route
 * module from the explicit ROUTES list below (add yours there).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type HTTPMethods } from 'fastify';
import { redactQuery } from '../lib/log.ts';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from './app-deps.ts';
import { registerErrorHandling, ErrorResponse } from './errors.ts';
import { API_DESCRIPTION, registerAuth } from './auth.ts';
import { DOCS_TOKEN_INTERCEPTOR } from './docs-token.ts';
import { addFormats } from './formats.ts';
import { registerBodyIdleTimeout, serverTimeouts } from './timeouts.ts';
import { registerRequestTiming } from './request-timing.ts';
import { createMetrics } from '../lib/metrics.ts';
import type { RouteModule } from './route-module.ts';
import type { ScopePolicy } from './scope.ts';
import campaignRoutes from './routes/campaigns.ts';
import importRoutes from './routes/imports.ts';
import contactRoutes from './routes/contacts.ts';
import agentRoutes from './routes/agents.ts';
import callRoutes from './routes/calls.ts';
import metricsRoutes from './routes/metrics.ts';
import previewRoutes from './routes/preview.ts';
import messageRoutes from './routes/messages.ts';
import linkRoutes from './routes/links.ts';
import paymentRoutes from './routes/payments.ts';
import whatsappRoutes from './routes/whatsapp.ts';
import consoleRoutes from './routes/console.ts';
import strategyRoutes from './routes/strategies.ts';
import actionReportRoutes from './routes/reports.ts';
import debtorRoutes from './routes/debtors.ts';
import consoleLiveRoutes from './routes/console-live.ts';
import debtorActionRoutes from './routes/debtor-actions.ts';
import funnelReportRoutes from './routes/report-funnel.ts';
import adminRoutes from './routes/admin.ts';
import dataProtectionRoutes from './routes/data-protection.ts';
import recordingRoutes from './routes/recordings.ts';
import supervisorRoutes from './routes/supervisor.ts';
import callRecordingRoutes from './routes/call-recordings.ts';
import { ttsMediaRoutes } from '../tts/media-routes.ts';

/** Route modules, registered in this order. Each is `(app, deps) => Promise<void>`. */
export const ROUTES: RouteModule[] = [campaignRoutes, importRoutes, contactRoutes, agentRoutes, callRoutes, metricsRoutes, previewRoutes, messageRoutes, linkRoutes, paymentRoutes, whatsappRoutes, debtorRoutes, debtorActionRoutes, dataProtectionRoutes, consoleLiveRoutes, funnelReportRoutes, adminRoutes, consoleRoutes, strategyRoutes, recordingRoutes, actionReportRoutes, supervisorRoutes, callRecordingRoutes];

export interface RouteInfo {
  method: string;
  url: string;
  roles: string[] | 'public';
  /** The route's declared creditor-scope policy (src/http/scope.ts); undefined = not declared. */
  scope: ScopePolicy | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, for the auth test and `bereik` tooling. */
    bereikRoutes: RouteInfo[];
  }
}

/** The request as the log shows it: no query values (a token may be in one), no headers. */
function requestForLog(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: redactQuery(req.url), remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export async function buildServer(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ mod: 'http' }, { serializers: { req: requestForLog } }) as FastifyBaseLogger,
    ajv: { plugins: [addFormats], customOptions: { allErrors: true } },
    ...serverTimeouts(deps.config.http),
  }).withTypeProvider<TypeBoxTypeProvider>();
  registerBodyIdleTimeout(app, deps.config.http);
  registerRequestTiming(app, (deps.metrics ??= createMetrics()).httpRequest);

  const routes: RouteInfo[] = [];
  app.decorate('bereikRoutes', routes);
  app.addHook('onRoute', (r) => {
    // The documentation UI (a plugin's routes): its page and static files hold no data and
    // are public, like /desktop; the API description it loads needs a token of any role.
    if (r.url.startsWith('/docs')) {
      const docs = r.url === '/docs/json' || r.url === '/docs/yaml' ? { roles: API_DESCRIPTION, scope: 'none' } : /^\/docs(\/|\/static\/.*)?$/.test(r.url) ? { public: true } : {};
      r.config = { ...(r.config as object | undefined), ...docs } as typeof r.config;
    }
    if (r.method === 'HEAD') return;
    for (const m of ([] as HTTPMethods[]).concat(r.method)) {
      routes.push({ method: m, url: r.url, roles: r.config?.public ? 'public' : ['admin', ...(r.config?.roles ?? [])], scope: r.config?.scope });
    }
  });

  registerErrorHandling(app);
  registerAuth(app, { tokens: deps.store.tokens, clock: deps.clock, maxFailedPerMinute: deps.config.auth.maxFailedPerMinute });
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Bereik API', version: '0.1.0', description: 'Campaigns, CSV import, contacts. Every route except /healthz needs a bearer token (this description too: any role).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  // The page asks once for a token (kept for the browser tab) and sends it with every request it makes.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { requestInterceptor: DOCS_TOKEN_INTERCEPTOR } });
  // The upload limit (imports.maxUploadBytes; a million rows is ~150 MB) holds for raw bodies too: routes/imports.ts.
  await app.register(multipart, { limits: { fileSize: deps.config.imports.maxUploadBytes, files: 1, fields: 10 } });
  // Raw CSV uploads reach the route as a stream: nothing buffers the whole file.
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_req, payload, done) => done(null, payload));

  // Public, so a load balancer can ask; it tells whether calls can be made, nothing personal.
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const t = deps.engine?.telephony.health();
    const telephony = t && { state: t.state, since: t.since, simulated: t.simulated, reconnects: t.reconnects, ...(t.lastError ? { lastError: t.lastError } : {}) };
    const messaging = deps.messaging?.health().map((h) => ({ channel: h.channel, state: h.state, links: h.links.map((l) => ({ name: l.name, state: l.state })) }));
    const status = (!t || t.state === 'connected') && !messaging?.some((m) => m.state !== 'up') ? 'ok' : 'degraded';
    // 200 while degraded: the API and the desktop still work; the body says what is missing.
    return reply.send({ status, ...(telephony ? { telephony } : {}), ...(messaging ? { messaging } : {}) });
  });
  // Prompt audio for Asterisk's media cache (tts.delivery = 'http'): public because Asterisk
  // fetches it without a token; names are SHA-256 hashes, so a file cannot be guessed.
  if (deps.config.tts.delivery === 'http') {
    await app.register(async (scope) => {
      scope.addHook('onRoute', (r) => void ((r.config as { public?: boolean } | undefined) ?? ((r as { config: object }).config = {}), ((r as { config: { public?: boolean } }).config.public = true)));
      await scope.register(ttsMediaRoutes, { cacheDir: deps.config.tts.cacheDir });
      if (deps.engine) await scope.register(ttsMediaRoutes, { cacheDir: deps.engine.recordings.dir, prefix: '/media/recordings' });
    });
  }
  app.get(
    '/openapi.json',
    { config: { roles: API_DESCRIPTION, scope: 'none' }, schema: { hide: true } },
    async () => app.swagger(),
  );

  for (const mod of ROUTES) await app.register(async (scope) => mod(scope.withTypeProvider<TypeBoxTypeProvider>(), deps));
  return app;
}
