/**
 * bereik_http_request_duration_seconds: every request, by method, route pattern and status
 * class. The route is the pattern Fastify matched ("/campaigns/:id"), never the URL: a URL
 * holds ids and query values, which would make a series per campaign or call (and put a
 * token or a number in a label). A request that matched no route is "unmatched".
 */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../lib/metrics.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function registerRequestTiming(app: FastifyInstance, histogram: Metrics['httpRequest']): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    histogram.observe(
      {
        // An unmatched request's method is whatever the client sent: keep the label set closed.
        method: METHODS.has(req.method) ? req.method : 'OTHER',
        route: route ?? 'unmatched',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
}
