import type { Counter, Histogram, Registry } from 'prom-client';
import type { FlushReason } from '../batch/flush-reason';
import type { BatchObserver } from '../pipeline/dispatch-observer';
/** The prom-client module, loaded by the caller only when metrics are on. */
type PromClient = typeof import('prom-client');

/** From one item to the 65535 a receive maximum allows. */
const SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 65535];
/** A batch handler writes many rows: from a millisecond to a minute. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The `routemq_batch_*` series of batch routes (docs/batching.md, docs/operations.md): batch sizes,
 * flushes by reason, handler durations, items dead-lettered after bisection. Observed once per batch,
 * not per message, so prom-client's own metrics are cheap enough here.
 *
 * @example
 * ```ts
 * const batches = new BatchMetrics(require('prom-client'), registry);
 * const observer = batches.forRoute('IngestController.ingest');
 * ```
 */
export class BatchMetrics {
  readonly #size: Histogram<'route'>;
  readonly #flushes: Counter<'route' | 'reason'>;
  readonly #duration: Histogram<'route'>;
  readonly #isolated: Counter<'route'>;

  constructor(prom: PromClient, registry: Registry) {
    const registers = [registry];
    this.#size = new prom.Histogram({
      name: 'routemq_batch_size',
      help: 'Items per batch handed to a batch handler.',
      labelNames: ['route'],
      buckets: SIZE_BUCKETS,
      registers,
    });
    this.#flushes = new prom.Counter({
      name: 'routemq_batch_flushes_total',
      help: 'Batches handed to a batch handler, by reason: size, time, window (the in-flight window was full), shutdown, manual.',
      labelNames: ['route', 'reason'],
      registers,
    });
    this.#duration = new prom.Histogram({
      name: 'routemq_batch_handler_duration_seconds',
      help: 'Duration of one call of a batch handler (retries and bisection halves are calls too), in seconds.',
      labelNames: ['route'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#isolated = new prom.Counter({
      name: 'routemq_batch_items_dead_lettered_total',
      help: 'Batch items that failed on their own after their batch was split in halves (dead-lettered, or logged when the route has no dead-letter topic).',
      labelNames: ['route'],
      registers,
    });
  }

  /** The observer of one batch route; its series exist (at 0) from now on. */
  forRoute(route: string): BatchObserver {
    const size = this.#size.labels(route);
    const duration = this.#duration.labels(route);
    const isolated = this.#isolated.labels(route);
    isolated.inc(0);
    const flushes = this.#flushes;
    return {
      flushed(count: number, reason: FlushReason) {
        size.observe(count);
        flushes.inc({ route, reason });
      },
      handlerStarted: () => performance.now(),
      handlerEnded(startedAt: number) {
        duration.observe((performance.now() - startedAt) / 1000);
      },
      isolated(count: number) {
        isolated.inc(count);
      },
    };
  }
}
