/**
 * Exceptions caught at an edge of the process (an HTTP route, a desktop socket message,
 * an ARI event, a timer, or the last-resort process handlers of `bereik serve`). None of
 * them may take down the process and the live calls in it: each is logged with its
 * context and counted here, and the service keeps serving. Each app's Prometheus registry
 * reads the counts at every scrape (bereik_handler_errors_total{edge}, src/lib/metrics.ts).
 *
 * One count per process, not per app: the edges sit deep in modules that share no object
 * but the logger, the last-resort process handlers have no app in reach at all, and a
 * count that some edge forgot to report would be worse than this one shared object.
 * Tests read differences, never absolute values.
 */
/** Any pino-like logger (the app's, a request's, a call's child). */
export interface ErrorLog {
  error(obj: object, msg: string): void;
}

export const EDGES = ['http', 'ws', 'ari', 'timer', 'process'] as const;
export type Edge = (typeof EDGES)[number];

export class HandlerErrors {
  private readonly counts = new Map<Edge, number>(EDGES.map((e) => [e, 0]));

  /** Logs the error with its context (callId, route, message type…) and counts it. Never throws. */
  report(log: ErrorLog | undefined, edge: Edge, err: unknown, context: Record<string, unknown> = {}, msg = 'handler failed; the service goes on'): void {
    this.counts.set(edge, (this.counts.get(edge) ?? 0) + 1);
    try {
      log?.error({ err, edge, ...context }, msg);
    } catch {
      // A logger that throws (a closed destination) must not turn one failure into two.
    }
  }

  count(edge: Edge): number {
    return this.counts.get(edge) ?? 0;
  }

  snapshot(): Record<Edge, number> {
    return Object.fromEntries(EDGES.map((e) => [e, this.count(e)])) as Record<Edge, number>;
  }
}

export const handlerErrors = new HandlerErrors();

/** Runs fn (a timer or event callback); an exception is reported at `edge`, never rethrown. */
export function guarded(log: ErrorLog | undefined, edge: Edge, context: Record<string, unknown>, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    handlerErrors.report(log, edge, err, context);
  }
}

/**
 * The last resort of `bereik serve`: an exception no edge caught (a bug in a callback we
 * did not guard) is logged and counted, and the process goes on with its live calls
 * rather than dropping every debtor on the line. Returns a function that removes it.
 */
export function catchStrayErrors(log: ErrorLog): () => void {
  const onException = (err: unknown) => handlerErrors.report(log, 'process', err, {}, 'uncaught exception; the service goes on');
  const onRejection = (reason: unknown) => handlerErrors.report(log, 'process', reason, {}, 'unhandled promise rejection; the service goes on');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
