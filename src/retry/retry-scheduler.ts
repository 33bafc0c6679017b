import type { DeliveryOutcome, InboundMessage } from '../transport/transport';

/** One message's next attempt on one route, as the retry lane carries it. */
export interface ScheduledRetry {
  /** `Controller.method` of the route to run again (only that route: the others did their part). */
  readonly route: string;
  readonly message: InboundMessage;
  readonly params: Readonly<Record<string, string>>;
  /** The attempt number the retry will be (2 for the first retry). */
  readonly attempt: number;
  /** Epoch milliseconds before which the attempt must not run (the backoff). */
  readonly notBefore: number;
}

/**
 * Schedules the next attempt of a message on a route, durably: resolves once the broker has it, so
 * the original delivery can be acknowledged at once (docs/reliability.md, "The retry lane").
 *
 * @example
 * ```ts
 * await scheduler.schedule({ route: 'Orders.create', message, params, attempt: 2, notBefore: Date.now() + 200 });
 * ```
 */
export interface RetryScheduler {
  schedule(retry: ScheduledRetry): Promise<void>;
}

/**
 * What runs a retry handed back by the lane (the dispatcher): attempt `retry.attempt` onwards, with the
 * route's own limits. Undefined when no route has that name (an envelope older than a rename).
 *
 * @example
 * ```ts
 * const outcome = dispatcher.runAgain(retry) ?? Promise.resolve('acknowledge');
 * ```
 */
export interface RetryTarget {
  runAgain(retry: ScheduledRetry): Promise<DeliveryOutcome> | undefined;
  /** From now on, hand failed messages to `scheduler` instead of waiting in-process. */
  useRetryScheduler(scheduler: RetryScheduler): void;
}
