import type { Logger } from 'pino';
import type { BatchSet } from '../batch/batch-set';
import { InFlightTracker } from '../concurrency/in-flight-tracker';
import type { RouteTable } from '../routing/route-table';
import type { DeliveryOutcome, InboundMessage } from '../transport/transport';
import { createDispatchStats, type DispatchStats } from './dispatch-stats';
import type { DispatchObserver, RouteObserver } from './dispatch-observer';
import type { ExecutableRoute } from './executable-route';
import type { PublishFn } from './message-context';
import type { JsonLimits } from './payload';
import type { DeadLetterSink } from './dead-letter';
import type { RetryScheduler, RetryTarget, ScheduledRetry } from '../retry/retry-scheduler';
import type { RouteOutcome } from './route-outcome';
import { RouteRunner, type RunnerDeps } from './route-runner';

/** What the dispatcher needs from the app. */
export interface DispatcherDeps {
  readonly logger: Logger;
  readonly publish: PublishFn;
  /** Route by MQTT 5 subscription identifiers when the transport echoes them (docs/routing.md). */
  readonly useSubscriptionIds: boolean;
  /** Every route of the table, for the retries the lane hands back by handler name. */
  readonly routes?: readonly ExecutableRoute[];
  /** Metrics and tracing hooks (src/observability); none by default. */
  readonly observer?: DispatchObserver;
  /** MAX_JSON_DEPTH / MAX_JSON_KEYS (default 32 / 10000). */
  readonly jsonLimits?: JsonLimits;
  /** The app's batch routes, when it has any (docs/batching.md). */
  readonly batches?: BatchSet;
  /** Where dead letters are kept before their message is acknowledged (docs/reliability.md). */
  readonly deadLetters?: DeadLetterSink;
}

/**
 * Runs every route a message matches, each once, within the route's concurrency limit; retries and
 * dead-letters failures (route-runner.ts). Nothing it does throws into the transport, which acknowledges
 * the message once `handle` settles, unless the app stopped first (then the message is withheld and the
 * broker redelivers it: at-least-once, docs/reliability.md).
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher(table, { logger, publish, useSubscriptionIds: true });
 * await transport.connect(dispatcher.handle);
 * ```
 */
export class Dispatcher implements RetryTarget {
  readonly stats: DispatchStats = createDispatchStats();
  readonly #inFlight = new InFlightTracker();
  readonly #stopping = new AbortController();
  readonly #watches = new Map<ExecutableRoute, RouteObserver | undefined>();
  readonly #byHandler: ReadonlyMap<string, ExecutableRoute>;

  /** What every route run gets; built once, not spread per message (docs/benchmarks.md). */
  #runner: RunnerDeps;

  constructor(
    private readonly table: RouteTable<ExecutableRoute>,
    private readonly deps: DispatcherDeps,
  ) {
    this.#runner = { ...deps, stats: this.stats, stopping: this.#stopping.signal };
    this.#byHandler = new Map((deps.routes ?? []).map((route) => [route.info.handler, route]));
  }

  /** From now on, failed messages are handed to this retry lane instead of waiting in-process. */
  useRetryScheduler(scheduler: RetryScheduler): void {
    this.#runner = { ...this.#runner, scheduler };
  }

  /** The transport's message handler. */
  readonly handle = (message: InboundMessage): Promise<DeliveryOutcome> =>
    this.dispatch(message).then(deliveryOutcome);

  /** Messages being processed right now. */
  get inFlight(): number {
    return this.#inFlight.count;
  }

  /**
   * Runs the routes matching the message and reports what each did; undefined when the app is
   * stopping and the message was not taken in.
   */
  dispatch(message: InboundMessage): Promise<RouteOutcome[] | undefined> {
    if (this.#stopping.signal.aborted) {
      this.stats.withheld++;
      return Promise.resolve(undefined);
    }
    this.stats.received++;
    const batches = this.deps.batches;
    if (batches === undefined) return this.#inFlight.track(this.#dispatchNow(message));
    return batches.hold(message, () => this.#inFlight.track(this.#dispatchNow(message)));
  }

  /**
   * Runs one route again for a message the retry lane handed back: attempt `retry.attempt` onwards,
   * with the route's own limits, counted in flight like any delivery. Undefined for an unknown route.
   */
  runAgain(retry: ScheduledRetry): Promise<DeliveryOutcome> | undefined {
    const route = this.#byHandler.get(retry.route);
    if (route === undefined) return undefined;
    if (this.#stopping.signal.aborted) return Promise.resolve('withhold');
    const runner = new RouteRunner(route, retry.params, retry.message, this.#runner, this.#watchOf(route));
    return this.#inFlight.track(runner.resume(retry.attempt)).then(deliveryOutcomeOf);
  }

  /** Stops taking new messages and ends retry waits; the runs in progress go on, batches are handed over. */
  stopIntake(): void {
    this.#stopping.abort();
    this.deps.batches?.drain();
  }

  /**
   * Hands every batch over now, again as items finish their per-item steps, until nothing is in
   * flight (`testApp.flush()`). Without batch routes, waits for the messages in flight.
   */
  async flushBatches(): Promise<void> {
    const batches = this.deps.batches;
    while (this.#inFlight.count > 0) {
      if (batches === undefined) return void (await this.#inFlight.idle(2 ** 31 - 1));
      await batches.flush();
      if (this.#inFlight.count === 0) return;
      await Promise.race([this.#inFlight.idle(2 ** 31 - 1), batches.nextJoin()]);
    }
  }

  /** Waits until nothing is in flight or the time is up; true when drained. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.#inFlight.idle(timeoutMs);
  }

  #dispatchNow(message: InboundMessage): Promise<RouteOutcome[]> {
    const ids = this.deps.useSubscriptionIds ? subscriptionIdsOf(message) : undefined;
    const matches = this.table.match(message.topic, ids);
    if (matches.length === 0) {
      this.stats.unmatched++;
      this.deps.observer?.unmatched?.();
      this.deps.logger.debug({ topic: message.topic }, 'no route matches this topic');
      return Promise.resolve([]);
    }
    const runner = this.#runner;
    if (matches.length === 1) {
      // The common case: one route, without Promise.all and its per-message closures.
      const { route, params } = matches[0];
      return this.#run(route, params, message, runner).then(inList);
    }
    // Each route takes its own concurrency slot per attempt (route-runner.ts).
    return Promise.all(matches.map(({ route, params }) => this.#run(route, params, message, runner)));
  }

  /** One route for one message, inside the message's trace context when an observer traces. */
  #run(
    route: ExecutableRoute,
    params: Readonly<Record<string, string>>,
    message: InboundMessage,
    runner: RunnerDeps,
  ): Promise<RouteOutcome> {
    const watch = this.#watchOf(route);
    const observer = this.deps.observer;
    if (!observer?.trace || observer.traces?.(message) === false) {
      return new RouteRunner(route, params, message, runner, watch).start();
    }
    return observer.trace(message, route.info, runner.logger, (logger) => {
      const deps = logger === runner.logger ? runner : { ...runner, logger };
      return new RouteRunner(route, params, message, deps, watch).start();
    });
  }

  /** The route's metrics observer, made once per route. */
  #watchOf(route: ExecutableRoute): RouteObserver | undefined {
    let watch = this.#watches.get(route);
    if (watch === undefined && !this.#watches.has(route)) {
      watch = this.deps.observer?.forRoute?.(route.info);
      this.#watches.set(route, watch);
    }
    return watch;
  }
}

function inList(outcome: RouteOutcome): RouteOutcome[] {
  return [outcome];
}

function deliveryOutcomeOf(outcome: RouteOutcome): DeliveryOutcome {
  return outcome.withheld ? 'withhold' : 'acknowledge';
}

function deliveryOutcome(outcomes: readonly RouteOutcome[] | undefined): DeliveryOutcome {
  if (outcomes === undefined) return 'withhold';
  for (const outcome of outcomes) if (outcome.withheld) return 'withhold';
  return 'acknowledge';
}

function subscriptionIdsOf(message: InboundMessage): readonly number[] | undefined {
  const ids = message.properties.subscriptionIdentifier;
  if (ids === undefined) return undefined;
  return typeof ids === 'number' ? [ids] : ids;
}
