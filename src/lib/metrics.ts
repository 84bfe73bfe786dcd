/**
 * The app's Prometheus registry (prom-client): Node's process metrics, the histograms
 * where a percentile matters, and the handler-error counts. One registry per app,
 * created in the composition root (src/app.ts) and handed to whoever observes: tests run
 * several apps in one process, and prom-client's global default registry would mix them
 * (and refuse the second app's metrics of the same name).
 *
 * Durations are in seconds (Prometheus' base unit). Labels never carry a phone number,
 * an id or a raw URL: a label value that grows with the data is a privacy leak and a
 * cardinality bomb. docs/metrics.md lists every metric; docs/grafana-dashboard.json
 * charts them.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EDGES, handlerErrors } from './handler-errors.ts';

/** Whoever times something gets only this (no registry, no prom-client types). */
export interface Observer {
  observe(value: number): void;
}

export interface Metrics {
  readonly registry: Registry;
  /** Debtor's latest key → the next prompt starts playing (seconds, the call's clock). */
  readonly dtmfToPrompt: Observer;
  /** Originate sent → the call answered (seconds, the call's clock). */
  readonly originateToAnswer: Observer;
  /** An HTTP request, by route pattern and status class (seconds, wall time). */
  readonly httpRequest: Histogram<'method' | 'route' | 'status_class'>;
  /** One SQLite transaction, outermost only (seconds, wall time). */
  readonly sqliteTransaction: Observer;
  /** Personal data removed or anonymised, by kind (retention job and erasures: docs/data-protection.md). */
  readonly retentionRemoved: Counter<'kind'>;
}

/**
 * Bucket bounds in seconds. A key answered by a prompt is felt as slow past ~0.5 s; the
 * number entry's inter-key pause (4 s) is the top. Answers take the ring time plus AMD's
 * listening (seconds to a minute and more). HTTP is milliseconds except CSV uploads
 * (minutes). A transaction is sub-millisecond to an import batch of tens of ms.
 */
export const BUCKETS = {
  dtmfToPrompt: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
  originateToAnswer: [1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120],
  http: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
  sqlite: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
} as const;

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // Handler errors are counted per process (src/lib/handler-errors.ts: the edges that
  // catch them — ARI socket, timers, `bereik serve`'s last resort — have no app in reach),
  // so this counter reads that count at each scrape instead of being incremented.
  new Counter({
    name: 'bereik_handler_errors_total',
    help: 'exceptions caught at an edge (http route, desktop socket, ARI event, timer, process) instead of ending the process',
    labelNames: ['edge'],
    registers,
    collect() {
      const counts = handlerErrors.snapshot();
      this.reset();
      for (const edge of EDGES) this.inc({ edge }, counts[edge]);
    },
  });
  return {
    registry,
    retentionRemoved: new Counter({
      name: 'bereik_personal_data_removed_total',
      help: 'rows of personal data deleted or anonymised by the retention job (kind = the kind of data) and people erased on request (kind = erasure)',
      labelNames: ['kind'],
      registers,
    }),
    dtmfToPrompt: new Histogram({
      name: 'bereik_dtmf_to_prompt_seconds',
      help: "seconds from the debtor's latest key to the start of the next prompt (what the debtor hears as the IVR's reaction time)",
      buckets: [...BUCKETS.dtmfToPrompt],
      registers,
    }),
    originateToAnswer: new Histogram({
      name: 'bereik_originate_to_answer_seconds',
      help: 'seconds from the originate to the answer of an outbound call (ring time, plus AMD when the campaign uses it)',
      buckets: [...BUCKETS.originateToAnswer],
      registers,
    }),
    httpRequest: new Histogram({
      name: 'bereik_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern (never the raw URL) and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [...BUCKETS.http],
      registers,
    }),
    sqliteTransaction: new Histogram({
      name: 'bereik_sqlite_transaction_seconds',
      help: 'seconds one SQLite transaction took (import batches, dialer claims, call effects); nested savepoints count in their outer transaction',
      buckets: [...BUCKETS.sqlite],
      registers,
    }),
  };
}
