import type { RejectReason, RouteObserver } from '../pipeline/dispatch-observer';
import type { RateLimitAction } from '../middleware/rate-limit-events';

/** Where attempt durations go: a `HistogramSeries` of bucket-histogram.ts (or prom-client's `histogram.labels(...)`). */
export interface DurationSink {
  observe(seconds: number): void;
}

/**
 * The counts of one route since start. Plain numbers on the hot path (a few nanoseconds each); the
 * Prometheus collectors read them when `/metrics` is scraped (prometheus-metrics.ts), which keeps the
 * per-message cost of metrics to two clock reads and a histogram observation (bucket-histogram.ts).
 */
export interface RouteCounts {
  received: number;
  processed: number;
  failed: number;
  retried: number;
  deadLettered: number;
  inFlight: number;
  readonly rejected: Record<RejectReason, number>;
  readonly rateLimited: Record<RateLimitAction, number>;
}

/**
 * The {@link RouteObserver} of one route: counts, in-flight attempts, and attempt durations.
 *
 * @example
 * ```ts
 * const counters = new RouteCounters('SensorController.data', histogram.labels({ route: 'SensorController.data' }));
 * const started = counters.attemptStarted();
 * counters.attemptEnded(started);
 * ```
 */
export class RouteCounters implements RouteObserver {
  readonly counts: RouteCounts = {
    received: 0,
    processed: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
    inFlight: 0,
    rejected: { payload_too_large: 0, json_too_complex: 0 },
    rateLimited: { dropped: 0, dead_lettered: 0 },
  };

  constructor(
    /** The route's handler name, its `route` label. */
    readonly route: string,
    private readonly duration: DurationSink,
  ) {}

  received(): void {
    this.counts.received++;
  }

  attemptStarted(): number {
    this.counts.inFlight++;
    return performance.now();
  }

  attemptEnded(startedAt: number): void {
    this.counts.inFlight--;
    this.duration.observe((performance.now() - startedAt) / 1000);
  }

  processed(): void {
    this.counts.processed++;
  }

  failed(): void {
    this.counts.failed++;
  }

  retried(): void {
    this.counts.retried++;
  }

  deadLettered(): void {
    this.counts.deadLettered++;
  }

  rejected(reason: RejectReason): void {
    this.counts.rejected[reason]++;
  }
}
