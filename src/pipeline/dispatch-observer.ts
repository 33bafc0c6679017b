import type { Logger } from 'pino';
import type { InboundMessage } from '../transport/transport';
import type { RouteInfo } from './message-context';
import type { RouteOutcome } from './route-outcome';
import type { FlushReason } from '../batch/flush-reason';

/** Why a message was refused before any middleware or handler saw it. */
export type RejectReason = 'payload_too_large' | 'json_too_complex';

/**
 * What the dispatcher reports about one route: plain calls the metrics side turns into Prometheus
 * series (src/observability). Called on the hot path, so implementations must stay allocation-free.
 */
export interface RouteObserver {
  /** The route took a message in (once per message and route). */
  received(): void;
  /** An attempt starts; returns a timestamp to give back to `attemptEnded`. */
  attemptStarted(): number;
  /** The attempt started at `startedAt` ended (success or error). */
  attemptEnded(startedAt: number): void;
  processed(): void;
  failed(): void;
  retried(): void;
  deadLettered(): void;
  rejected(reason: RejectReason): void;
}

/**
 * What a batch route reports (docs/batching.md), turned into the `routemq_batch_*` series: batch
 * sizes, flushes by reason, handler durations, items isolated by bisection.
 */
export interface BatchObserver {
  /** A batch of `size` items was handed over for `reason`. */
  flushed(size: number, reason: FlushReason): void;
  /** A call of the batch handler starts; returns a timestamp to give back to `handlerEnded`. */
  handlerStarted(): number;
  handlerEnded(startedAt: number): void;
  /** `count` items failed on their own after bisection (they are dead-lettered by their route run). */
  isolated(count: number): void;
}

/** Runs one route's processing of a message (given the logger to use) and resolves with its outcome. */
export type RouteRun = (logger: Logger) => Promise<RouteOutcome>;

/**
 * Hooks the app plugs into the dispatcher for metrics and tracing, so that the pipeline never imports
 * prom-client or OpenTelemetry (docs/operations.md). Every member is optional: an app without metrics
 * or tracing pays nothing.
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher(table, { logger, publish, useSubscriptionIds, observer: metrics });
 * ```
 */
export interface DispatchObserver {
  /** The observer of one route; asked once per route, then cached by the dispatcher. */
  forRoute?(route: RouteInfo): RouteObserver;
  /** The observer of one batch route; asked once per batch route. */
  forBatchRoute?(route: RouteInfo): BatchObserver;
  /** A message matched no route. */
  unmatched?(): void;
  /** Whether `trace` has anything to do for this message; when false the dispatcher skips it (no closure). */
  traces?(message: InboundMessage): boolean;
  /**
   * Runs `run` inside the message's trace context (W3C traceparent, OpenTelemetry span), handing it a
   * logger bound to the trace; an untraced message goes straight to `run(logger)`.
   */
  trace?(message: InboundMessage, route: RouteInfo, logger: Logger, run: RouteRun): Promise<RouteOutcome>;
}
