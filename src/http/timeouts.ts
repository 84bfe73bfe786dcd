/**
 * How long a client may hold a connection without doing its part (config http.*TimeoutMs).
 * Without these a slow or stalled body held a socket for ever, unauthenticated too.
 *
 *   headers      headersTimeoutMs     Node's check: the headers must be complete by then
 *   whole body   requestTimeoutMs     Node's check: the whole request must be received by then
 *   body pauses  bodyIdleTimeoutMs    ours: the socket's idle timeout while a body is expected;
 *                                    every chunk rearms it, so a slow upload that keeps moving
 *                                    goes on and one that stalls is cut
 *   handling     connectionTimeoutMs  the socket's idle timeout otherwise (a handler that is
 *                                    silent for minutes: a large synchronous import)
 *   idle         keepAliveTimeoutMs   between requests on a kept-alive connection
 *
 * A socket whose idle timeout fires is destroyed by Node (nothing listens for 'timeout').
 * A WebSocket is exempt once upgraded: ws clears the socket's timeout.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config/schema.ts';

type HttpConfig = Config['http'];

/** How often Node checks headers and request timeouts (its default, 30 s, would make them 30 s coarse). */
const CHECK_EVERY_MS = 1000;

/** Options for Fastify (and through it, Node's http.createServer). */
export function serverTimeouts(http: HttpConfig): Pick<FastifyServerOptions, 'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout'> & { http: object } {
  return {
    connectionTimeout: http.connectionTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(http.headersTimeoutMs, http.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(CHECK_EVERY_MS, http.headersTimeoutMs),
    },
  };
}

function expectsBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Arms the body-idle timeout while a request body is on its way. */
export function registerBodyIdleTimeout(app: FastifyInstance, http: HttpConfig): void {
  app.addHook('onRequest', async (req) => {
    const raw = req.raw;
    const socket = raw.socket;
    if (raw.complete || !expectsBody(raw)) return;
    socket.setTimeout(http.bodyIdleTimeoutMs);
    // 'end' comes when the handler has read the whole body; from then on the handler may take its time.
    raw.once('end', () => {
      if (!socket.destroyed) socket.setTimeout(http.connectionTimeoutMs);
    });
  });
}
