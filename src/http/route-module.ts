import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from './app-deps.ts';

/** The Fastify instance route modules get: TypeBox schemas give typed params, query and body. */
export type ApiInstance = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** A file under src/http/routes/ exports one of these as default and is listed in server.ts ROUTES. */
export type RouteModule = (app: ApiInstance, deps: AppDeps) => Promise<void>;
